#!/usr/bin/env bash
# Regenerates the Go code of the gateway's gRPC API from
# gateway/api/civicledger/v1/*.proto with pinned generators: protoc from
# Debian's protobuf-compiler (installed if missing), protoc-gen-go and
# protoc-gen-go-grpc at the versions below. The generated files are checked in.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PROTOC_GEN_GO=v1.36.11
PROTOC_GEN_GO_GRPC=v1.5.1

if ! command -v protoc >/dev/null || [ ! -f /usr/include/google/protobuf/timestamp.proto ]; then
  echo "generate: installing protoc (Debian protobuf-compiler)"
  apt-get update -qq && apt-get install -y -qq protobuf-compiler libprotobuf-dev >/dev/null
fi
tools="$CIVIC_FABRIC_HOME/../protoc-plugins"
mkdir -p "$tools"
GOBIN="$tools" go install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO"
GOBIN="$tools" go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC"

cd "$ROOT"
api=gateway/api/civicledger/v1
PATH="$tools:$PATH" protoc -I gateway/api -I /usr/include \
  --go_out=gateway/api --go_opt=paths=source_relative \
  --go-grpc_out=gateway/api --go-grpc_opt=paths=source_relative \
  "$api"/*.proto
echo "generate: $(ls "$api"/*.pb.go | wc -l) files in $api"
