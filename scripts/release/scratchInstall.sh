#!/usr/bin/env bash
# Installs the packed tarballs in a new project outside the workspace with plain `npm install` (no
# overrides, no workspace links: the registry for everything else) and runs a user's first unit
# test there: examples/first-unit-test/firstUnitTest.test.ts, under vitest from the registry.
# Usage: scripts/release/scratchInstall.sh <dir with the .tgz files>
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
tarballs="$(cd "$1" && pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/kruise-ts-scratch.XXXXXX")"
case "$scratch" in "$repo"/*) echo "scratch project inside the workspace: $scratch" >&2; exit 1 ;; esac
vitest="$(sed -n 's/^  vitest: *//p' "$repo/pnpm-workspace.yaml")"
cd "$scratch"
printf '{ "name": "kruise-ts-first-user", "private": true, "type": "module" }\n' > package.json
echo "npm install $(cd "$tarballs" && ls ./*.tgz | tr '\n' ' ')vitest@$vitest (in $scratch)"
npm install --no-audit --no-fund --loglevel=error "$tarballs"/*.tgz "vitest@$vitest"
cp "$repo/examples/first-unit-test/firstUnitTest.test.ts" .
npx --no-install vitest run --reporter=verbose
