#!/usr/bin/env bash
# Installs what the end-to-end test needs on a clean Debian 12 machine, and reuses it when present:
# Debian's chromium (Playwright cannot download a browser here), libkrb5-dev (code-server's kerberos
# dependency compiles from source), ripgrep (pre-seeds @vscode/ripgrep, which would otherwise download rg),
# and code-server from npm, installed into a cache folder outside the repository.
# Prints the code-server folder on its last line.
set -euo pipefail

CS_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CACHE="${MEDIA_DEDUPE_E2E_CACHE:-$HOME/.cache/media-dedupe-e2e}"
CS_DIR="$CACHE/code-server-$CS_VERSION"
CS_PKG="$CS_DIR/node_modules/code-server"

log() { echo "[e2e-setup] $*" >&2; }

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

if [ -f "$CS_PKG/out/node/entry.js" ] && [ -f "$CS_DIR/.complete" ]; then
  log "code-server $CS_VERSION already in $CS_DIR"
  echo "$CS_PKG"
  exit 0
fi

log "installing code-server@$CS_VERSION into $CS_DIR (about a minute)"
rm -rf "$CS_DIR"
mkdir -p "$CS_DIR"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# @vscode/ripgrep looks for this exact tarball in its cache before downloading: give it Debian's rg.
rgcache="$tmp/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rgcache"
cp "$(command -v rg)" "$tmp/rg"
tar -C "$tmp" -czf "$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg
(
  cd "$CS_DIR"
  echo '{"name":"media-dedupe-e2e-code-server","private":true}' > package.json
  # --unsafe-perm: code-server's postinstall refuses root otherwise; npm_config_yes: node-pty's postinstall runs npx.
  TMPDIR="$tmp" npm_config_yes=true npm install --no-audit --no-fund --no-save --unsafe-perm --loglevel=error \
    "code-server@$CS_VERSION" >&2
)
[ -f "$CS_PKG/out/node/entry.js" ] || { log "code-server install failed: no out/node/entry.js"; exit 1; }
touch "$CS_DIR/.complete"
log "code-server $CS_VERSION installed"
echo "$CS_PKG"
