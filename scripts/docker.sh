#!/usr/bin/env bash
# Makes everything docker-compose.yaml needs: installs Docker (Debian's
# docker.io and docker-compose) and busybox-static when missing, starts
# dockerd when it is not running, builds the static binaries (Fabric,
# Fabric CA, CivicLedger) into network/docker/build, builds the images
# from network/docker/Dockerfile, and prepares identities, genesis block and
# configuration in $CIVIC_DATA (default .civicledger-compose, written to
# .env) with civicnet compose prepare, on ports from 9700 (docker-compose.yaml)
# or from $CIVIC_COMPOSE_PORTBASE (0: a free block; then render the matching
# compose file with civicnet compose file -dir, as scripts/compose-test.sh
# does). Then: docker-compose up -d.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

given_data="${CIVIC_DATA:-}"
data="${CIVIC_DATA:-$ROOT/.civicledger-compose}"

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
[[ -x /bin/busybox ]] && /bin/busybox --list >/dev/null 2>&1 && ! ldd /bin/busybox >/dev/null 2>&1 || missing+=(busybox-static)
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
if ((${#missing[@]})); then
  echo "docker: installing ${missing[*]} (about a minute, once)"
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
  echo "docker: starting dockerd (log: /tmp/civicledger-dockerd.log)"
  $sudo nohup dockerd >/tmp/civicledger-dockerd.log 2>&1 &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "docker: dockerd did not start; see /tmp/civicledger-dockerd.log" >&2; exit 1; }
fi

"$ROOT/scripts/fabric-bins.sh"
"$ROOT/scripts/fabric-bins.sh" --static
stage="$ROOT/network/docker/build"
mkdir -p "$stage/bin"
cp "$CIVIC_FABRIC_HOME/static/bin/"* "$stage/bin/"
cp /bin/busybox "$stage/busybox"
CGO_ENABLED=0 go build -trimpath -o "$stage/bin/civic" ./chaincode/cmd/civicledger
CGO_ENABLED=0 go build -trimpath -o "$stage/bin/" ./gateway/cmd/civicgw ./gateway/cmd/civicportal ./network/cmd/civicnet

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for target in ca orderer peer chaincode gateway portal setup; do
  docker build -q --target "$target" -t "civicledger/$target:local" network/docker >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
done
tag="${CIVIC_IMAGE_TAG:-local}"
if [[ "$tag" != local ]]; then
  for target in ca orderer peer chaincode gateway portal setup; do
    docker tag "civicledger/$target:local" "civicledger/$target:$tag"
  done
fi
echo "docker: images civicledger/{ca,orderer,peer,chaincode,gateway,portal,setup}:$tag built"

"$stage/bin/civicnet" compose prepare -dir "$data" -portbase "${CIVIC_COMPOSE_PORTBASE:-9700}"
if [[ -z "$given_data" ]]; then
  printf 'CIVIC_DATA=%s\n' "$data" >"$ROOT/.env"
fi
echo "docker: ready; start with: docker-compose up -d"
