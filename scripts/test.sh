#!/usr/bin/env bash
# Runs every test: vet, unit tests with the race detector, then the
# integration tests, each package of which starts its own real network (or
# attaches to the one named by CIVIC_NETWORK).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$ROOT/scripts/fabric-bins.sh"
cd "$ROOT"

echo "== go vet"
go vet ./...
go vet -tags integration ./...

echo "== unit tests"
go test -race -count=1 ./...

echo "== integration tests (real Fabric network)"
mapfile -t pkgs < <(go list ./... | grep '/integration$')
go test -tags integration -count=1 -p 1 -timeout 40m "${pkgs[@]}"
