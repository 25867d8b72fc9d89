#!/usr/bin/env bash
# Installs what the browser tests (go test -tags browser) need: Debian's
# chromium when /usr/bin/chromium is missing, and a pinned axe-core from the
# npm registry into $CIVIC_NPM_HOME. Idempotent; prints both paths.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

AXE_VERSION=4.14.1
CIVIC_NPM_HOME="${CIVIC_NPM_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/civicledger/npm}"

if [[ ! -x /usr/bin/chromium ]]; then
  echo "browser-deps: installing Debian's chromium (a minute or two, once)"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q chromium
fi

axe="$CIVIC_NPM_HOME/node_modules/axe-core"
installed="$(node -p "require('$axe/package.json').version" 2>/dev/null || true)"
if [[ "$installed" != "$AXE_VERSION" ]]; then
  command -v npm >/dev/null || { echo "browser-deps: npm is required (apt-get install npm)" >&2; exit 1; }
  echo "browser-deps: installing axe-core $AXE_VERSION into $CIVIC_NPM_HOME"
  mkdir -p "$CIVIC_NPM_HOME"
  npm install --prefix "$CIVIC_NPM_HOME" --no-save --no-audit --no-fund --ignore-scripts "axe-core@$AXE_VERSION"
fi
[[ -f "$axe/axe.min.js" ]] || { echo "browser-deps: $axe/axe.min.js is missing after install" >&2; exit 1; }

echo "browser-deps: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}') at /usr/bin/chromium"
echo "browser-deps: axe-core $AXE_VERSION at $axe/axe.min.js"
