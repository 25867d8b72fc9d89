#!/usr/bin/env bash
# Measures the time from nothing to a network that commits, and from a
# stopped network to one that endorses again (median of several runs).
# Usage: scripts/bench-startup.sh [-runs N]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$ROOT/scripts/fabric-bins.sh"
cd "$ROOT"
go run ./network/cmd/civicnet bench-startup "$@"
