#!/usr/bin/env bash
# Measures document registrations per second and p50/p99 latency through the
# CivicLedger gateway and through a bare fabric-gateway client, next to bare
# Fabric writes (-modes bare,direct,gateway: a Put to a bench-only chaincode
# deployed on the same network), with the CPU time per committed transaction
# of every process of the network and of the client; or with
# -modes anchor the hashes anchored per second through AnchorService, on one
# fresh network started for the purpose (and removed afterwards).
# Usage: scripts/bench-gateway.sh [civicbench flags, e.g. -duration 60s -concurrency 64,
# or -modes anchor -batch 20000 -concurrency 4 for batch anchoring]
# CIVIC_BENCH_ORGS=N (3 to 9, default 3) sets how many administrations the
# network has: Registry, Treasury, Council, then Agency4 … AgencyN.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$ROOT/scripts/fabric-bins.sh"
cd "$ROOT"
dir="$(mktemp -d)"
topo="$dir/topology.yaml"
cat > "$topo" <<YAML
name: bench
dataDir: $dir/data
portBase: ${CIVIC_BENCH_PORT_BASE:-31000}
organizations:
  - {mspId: RegistryMSP, name: registry, displayName: Registry of Certified Documents, kind: agency, contact: registry@example.org}
  - {mspId: TreasuryMSP, name: treasury, displayName: Treasury, kind: ministry, contact: treasury@example.org}
  - {mspId: CouncilMSP, name: council, displayName: Council Secretariat, kind: city, contact: council@example.org}
YAML
orgs="${CIVIC_BENCH_ORGS:-3}"
if ! [[ "$orgs" =~ ^[3-9]$ ]]; then
  echo "bench-gateway: CIVIC_BENCH_ORGS must be 3 to 9, got $orgs" >&2
  exit 2
fi
for ((i = 4; i <= orgs; i++)); do
  echo "  - {mspId: Agency${i}MSP, name: agency${i}, displayName: Agency ${i}, kind: agency, contact: agency${i}@example.org}" >> "$topo"
done
trap 'go run ./network/cmd/civicnet -topology "$topo" down -purge >/dev/null; rm -rf "$dir"' EXIT
go run ./network/cmd/civicnet -topology "$topo" up >/dev/null
echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (with local changes)'), $(nproc) CPUs"
go run ./gateway/cmd/civicbench -connection "$dir/data/connection.json" "$@"
