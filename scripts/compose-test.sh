#!/usr/bin/env bash
# Brings docker-compose.yaml up for real and checks it the way a client on
# the host would: registers a document with ledgerctl through the Registry's
# gateway container, verifies it through the Treasury's, checks that
# `docker-compose down` keeps the ledger (a second `up` still verifies it
# through the Council's gateway) and that `down -v` removes it. Runs under
# its own compose project name, data directory and block of free ports (so
# it runs beside a compose network on the default ports, and beside test
# networks), with docker-compose.yaml rendered for those ports by the same
# code as the repository's (civicnet compose file); on any failure it prints
# the state and the logs of the containers that are not healthy, and it
# always removes its containers, network and volumes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

work="$(mktemp -d "${TMPDIR:-/tmp}/civic-compose.XXXXXX")"
export CIVIC_DATA="$work/data"
export COMPOSE_PROJECT_NAME="civictest$$"
export CIVIC_COMPOSE_PORTBASE=0
export CIVIC_IMAGE_TAG="$COMPOSE_PROJECT_NAME"
compose() { docker-compose -f "$work/docker-compose.yaml" --project-directory "$ROOT" "$@"; }
began=$SECONDS

cleanup() {
  status=$?
  if ((status != 0)) && command -v docker-compose >/dev/null && docker info >/dev/null 2>&1; then
    echo "compose-test: FAILED; containers of $COMPOSE_PROJECT_NAME:" >&2
    compose ps >&2 || true
    for cid in $(compose ps -q 2>/dev/null); do
      state="$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}} {{.State.ExitCode}}' "$cid")"
      case "$state" in
        "running healthy"*|"exited  0") continue ;;
      esac
      name="$(docker inspect -f '{{.Name}}' "$cid")"
      echo "---- logs of ${name#/} ($state)" >&2
      docker logs --tail 60 "$cid" >&2 2>&1 || true
    done
  fi
  if command -v docker-compose >/dev/null && docker info >/dev/null 2>&1; then
    compose down -v --remove-orphans >/dev/null 2>&1 || true
    for target in ca orderer peer chaincode gateway portal setup; do
      docker rmi "civicledger/$target:$CIVIC_IMAGE_TAG" >/dev/null 2>&1 || true
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

"$ROOT/scripts/docker.sh"
"$ROOT/network/docker/build/bin/civicnet" compose file -dir "$CIVIC_DATA" >"$work/docker-compose.yaml"
portal="$(sed -n 's/^baseURL: *//p' "$CIVIC_DATA/orgs/registry/portal/config.yaml")"
CGO_ENABLED=0 go build -o "$work/ledgerctl" ./gateway/cmd/ledgerctl
ledgerctl() { "$work/ledgerctl" --connection "$CIVIC_DATA/connection.json" "$@"; }

# up: docker-compose waits for the health checks and for the setup job
# (depends_on conditions); then wait until the gateways are healthy too.
up() {
  if ! compose up -d >"$work/up.log" 2>&1; then
    cat "$work/up.log" >&2
    return 1
  fi
  for svc in gateway0.registry gateway0.treasury gateway0.council portal0.registry; do
    for _ in $(seq 120); do
      local cid
      cid="$(compose ps -q "$svc")"
      [[ -n "$cid" && "$(docker inspect -f '{{.State.Health.Status}}' "$cid")" == healthy ]] && continue 2
      sleep 1
    done
    echo "compose-test: $svc is not healthy after 120 s" >&2
    return 1
  done
}

echo "compose-test: up ($COMPOSE_PROJECT_NAME, data in $CIVIC_DATA)"
t=$SECONDS
up
echo "compose-test: network up in $((SECONDS - t)) s"
[[ "$(docker inspect -f '{{.State.ExitCode}}' "$(compose ps -q setup)")" == 0 ]] || { echo "compose-test: setup job failed" >&2; exit 1; }

doc="COMPOSE-$$-$RANDOM"
printf 'compose test document %s\n' "$doc" >"$work/doc.txt"
ref="$(printf 'subject %s' "$doc" | sha256sum | cut -d' ' -f1)"
ledgerctl --org registry documents register --id "$doc" --type permit --file "$work/doc.txt" --subject-ref "$ref"
ledgerctl --org treasury documents verify "$doc" --issuer registry
# The portal indexes blocks as they come: give it a few seconds.
portal_lists() { curl -fsS "$portal/registers/documents.json" | grep -q "\"$doc\""; }
for _ in $(seq 30); do portal_lists && break; sleep 1; done
portal_lists || { echo "compose-test: the portal does not list $doc" >&2; exit 1; }
echo "compose-test: the portal lists $doc"

echo "compose-test: down (keeps the ledger)"
compose down 2>&1 | grep -v -e '^Stopping' -e '^Removing' || true
docker volume inspect "${COMPOSE_PROJECT_NAME}_registry-peer-ledger" >/dev/null
up
ledgerctl --org council documents verify "$doc" --issuer registry
echo "compose-test: $doc still verifies after down and up"

echo "compose-test: down -v (removes the ledger)"
compose down -v 2>&1 | grep -v -e '^Stopping' -e '^Removing' || true
if docker volume inspect "${COMPOSE_PROJECT_NAME}_registry-peer-ledger" >/dev/null 2>&1; then
  echo "compose-test: down -v left the peer's ledger volume" >&2
  exit 1
fi
echo "compose-test: ok in $((SECONDS - began)) s"
