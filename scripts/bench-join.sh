#!/usr/bin/env bash
# Measures the time from a membership proposal to the newcomer's first
# committed transaction (docs/benchmarks.md), on new three-administration
# networks, with the admins acting through ledgerctl at once.
# Usage: scripts/bench-join.sh [-runs N]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$ROOT/scripts/fabric-bins.sh"
cd "$ROOT"
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/ledgerctl" ./gateway/cmd/ledgerctl
go run ./network/cmd/civicnet bench-join -ledgerctl "$bin/ledgerctl" "$@"
