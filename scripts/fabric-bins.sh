#!/usr/bin/env bash
# Builds the pinned Fabric and Fabric CA binaries from the Go module proxy into
# $CIVIC_FABRIC_HOME/bin and copies Fabric's sample configs to
# $CIVIC_FABRIC_HOME/config. Does nothing when the cache is already complete.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

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
