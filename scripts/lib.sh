# Shared settings for the scripts in this folder; sourced, never run.
# The Fabric binaries live in a cache outside the repository, keyed by version.
FABRIC_VERSION=2.5.0
FABRIC_CA_VERSION=1.5.15
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CIVIC_FABRIC_HOME="${CIVIC_FABRIC_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/civicledger/fabric-${FABRIC_VERSION}-ca-${FABRIC_CA_VERSION}}"
export CIVIC_FABRIC_HOME
