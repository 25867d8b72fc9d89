#!/usr/bin/env bash
# Grows the register of a fresh three-administration network in steps with
# `ledgerctl documents import` and measures, at each step, registration and
# verification latency, each peer's ledger size and memory, then the time to
# stop and start the network at the final size (gateway/cmd/civicgrowth).
# The network is removed afterwards unless -keep is given.
# Usage: scripts/bench-growth.sh [-steps 0,100000,250000,500000,1000000] [-callers 16 -duration 15s] [-batch 500 -parallel 2]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$ROOT/scripts/fabric-bins.sh"
cd "$ROOT"
echo "bench-growth: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg)"
go run ./gateway/cmd/civicgrowth "$@"
echo "bench-growth: done $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
