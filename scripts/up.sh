#!/usr/bin/env bash
# Starts the whole CivicLedger network (3 CAs, 3 Raft orderers, 3 peers, the
# chaincode services, the gateways and the transparency portal), building the
# Fabric binaries first if needed.
# Usage: scripts/up.sh [-topology FILE]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$ROOT/scripts/fabric-bins.sh"
cd "$ROOT"
go run ./network/cmd/civicnet "$@" up
