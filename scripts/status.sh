#!/usr/bin/env bash
# Shows which processes of the network run and where they log.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
go run ./network/cmd/civicnet "$@" status
