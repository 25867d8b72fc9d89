#!/usr/bin/env bash
# Builds the pinned Fabric and Fabric CA binaries from the Go module proxy into
# $CIVIC_FABRIC_HOME/bin and copies Fabric's sample configs to
# $CIVIC_FABRIC_HOME/config. Does nothing when the cache is already complete.
#
# With --static it builds instead the binaries the container images need
# (peer, orderer, osnadmin, configtxgen, fabric-ca-server, fabric-ca-client), statically
# linked, into $CIVIC_FABRIC_HOME/static/bin: Fabric with CGO_ENABLED=0;
# Fabric CA with cgo (its SQLite driver needs it) linked with -static.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ "${1:-}" == "--static" ]]; then
  static="$CIVIC_FABRIC_HOME/static"
  mkdir -p "$(dirname "$CIVIC_FABRIC_HOME")"
  exec 9>"$CIVIC_FABRIC_HOME.lock"
  flock 9
  [[ -f "$static/.complete" ]] && exit 0
  command -v go >/dev/null || { echo "fabric-bins: Go is required (https://go.dev/doc/install)" >&2; exit 1; }
  mkdir -p "$static/bin"
  echo "fabric-bins: building static Fabric $FABRIC_VERSION and Fabric CA $FABRIC_CA_VERSION into $static/bin (a few minutes, once)"
  (
    cd "$ROOT/network/fabricbin/fabric"
    CGO_ENABLED=0 go build -trimpath -o "$static/bin/" \
      -ldflags "-X github.com/hyperledger/fabric/common/metadata.Version=$FABRIC_VERSION -X github.com/hyperledger/fabric/common/metadata.CommitSHA=bd8e248" \
      github.com/hyperledger/fabric/cmd/peer \
      github.com/hyperledger/fabric/cmd/orderer \
      github.com/hyperledger/fabric/cmd/osnadmin \
      github.com/hyperledger/fabric/cmd/configtxgen
  )
  (
    # The linker warns that SQLite's dlopen needs glibc at run time; the CA
    # never loads SQLite extensions, so the warning is shown only on failure.
    cd "$ROOT/network/fabricbin/ca"
    log="$(mktemp)"
    trap 'rm -f "$log"' EXIT
    CGO_ENABLED=1 go build -trimpath -o "$static/bin/" -tags netgo,osusergo \
      -ldflags "-X github.com/hyperledger/fabric-ca/lib/metadata.Version=$FABRIC_CA_VERSION -linkmode external -extldflags -static" \
      github.com/hyperledger/fabric-ca/cmd/fabric-ca-server \
      github.com/hyperledger/fabric-ca/cmd/fabric-ca-client >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
  )
  for b in peer orderer osnadmin configtxgen fabric-ca-server fabric-ca-client; do
    if [[ ! -x "$static/bin/$b" ]] || ldd "$static/bin/$b" >/dev/null 2>&1; then
      echo "fabric-bins: $static/bin/$b is not statically linked" >&2
      exit 1
    fi
  done
  touch "$static/.complete"
  echo "fabric-bins: static binaries done"
  exit 0
fi

stamp="$CIVIC_FABRIC_HOME/.complete"
# One build at a time: a second caller waits for the first and then finds the
# cache complete.
mkdir -p "$(dirname "$CIVIC_FABRIC_HOME")"
exec 9>"$CIVIC_FABRIC_HOME.lock"
flock 9
if [[ -f "$stamp" ]]; then
  exit 0
fi
command -v go >/dev/null || { echo "fabric-bins: Go is required (https://go.dev/doc/install)" >&2; exit 1; }

bin="$CIVIC_FABRIC_HOME/bin"
mkdir -p "$bin" "$CIVIC_FABRIC_HOME/config"
echo "fabric-bins: building Fabric $FABRIC_VERSION and Fabric CA $FABRIC_CA_VERSION into $bin (about 2-3 minutes, once)"

(
  cd "$ROOT/network/fabricbin/fabric"
  go build -trimpath -o "$bin/" \
    -ldflags "-X github.com/hyperledger/fabric/common/metadata.Version=$FABRIC_VERSION -X github.com/hyperledger/fabric/common/metadata.CommitSHA=bd8e248" \
    github.com/hyperledger/fabric/cmd/peer \
    github.com/hyperledger/fabric/cmd/orderer \
    github.com/hyperledger/fabric/cmd/osnadmin \
    github.com/hyperledger/fabric/cmd/configtxgen \
    github.com/hyperledger/fabric/cmd/configtxlator
  src="$(go list -m -f '{{.Dir}}' github.com/hyperledger/fabric)"
  cp "$src/sampleconfig/core.yaml" "$src/sampleconfig/orderer.yaml" "$CIVIC_FABRIC_HOME/config/"
  chmod u+w "$CIVIC_FABRIC_HOME/config/"*
)
(
  cd "$ROOT/network/fabricbin/ca"
  go build -trimpath -o "$bin/" \
    -ldflags "-X github.com/hyperledger/fabric-ca/lib/metadata.Version=$FABRIC_CA_VERSION" \
    github.com/hyperledger/fabric-ca/cmd/fabric-ca-server \
    github.com/hyperledger/fabric-ca/cmd/fabric-ca-client
)
"$bin/peer" version | grep -q "Version: $FABRIC_VERSION" || { echo "fabric-bins: peer does not report $FABRIC_VERSION" >&2; exit 1; }
touch "$stamp"
echo "fabric-bins: done"
