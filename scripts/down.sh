#!/usr/bin/env bash
# Stops every process of the network. Add -purge to delete its data too.
# Usage: scripts/down.sh [-topology FILE] [-purge]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
args=() purge=()
for a in "$@"; do
  case "$a" in -purge|--purge) purge=(-purge) ;; *) args+=("$a") ;; esac
done
go run ./network/cmd/civicnet "${args[@]}" down "${purge[@]}"
