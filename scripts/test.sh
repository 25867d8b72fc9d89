#!/usr/bin/env bash
# Runs every test: vet, unit tests with the race detector, then the
# integration tests, each package of which starts its own real network (or
# attaches to the one named by CIVIC_NETWORK).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$ROOT/scripts/fabric-bins.sh"
"$ROOT/scripts/browser-deps.sh"
cd "$ROOT"

echo "== go vet"
go vet ./...
go vet -tags integration ./...

echo "== unit tests"
go test -race -count=1 ./...

export CIVIC_SCREENSHOTS="${CIVIC_SCREENSHOTS:-${TMPDIR:-/tmp}/civicledger-screenshots}"
echo "== browser tests (headless Chromium, axe-core; screenshots in $CIVIC_SCREENSHOTS)"
# Only the packages that have browser tests: the rest ran above already.
mapfile -t browser_pkgs < <(grep -rl --include='*_test.go' '^//go:build browser' . | xargs -n1 dirname | sort -u)
go test -tags browser -count=1 -timeout 20m "${browser_pkgs[@]}"

# A count, not a duration: with a duration, Go 1.26's fuzz coordinator can
# fail a target with "context deadline exceeded" when the time runs out on a
# busy machine (golang/go#75804, fixed in Go 1.27).
echo "== fuzzing the chaincode's argument parsing (${CIVIC_FUZZTIME:=50000x} per target)"
for pkg in ./chaincode/contracts/anchors ./chaincode/contracts/base ./chaincode/contracts/convocations ./chaincode/contracts/directory ./chaincode/contracts/documents ./chaincode/contracts/permissions ./chaincode/contracts/subsidies; do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz'); do
    go test -run='^$' -fuzz="^${target}\$" -fuzztime="$CIVIC_FUZZTIME" "$pkg"
  done
done

echo "== integration tests (real Fabric network)"
mapfile -t pkgs < <(go list -tags integration ./... | grep '/integration$')
go test -tags integration -count=1 -p 1 -timeout 40m "${pkgs[@]}"

echo "== docker-compose network (scripts/compose-test.sh; installs and starts Docker when missing)"
"$ROOT/scripts/compose-test.sh"
