#!/usr/bin/env bash
# Release dry run: what `changeset publish` would publish, built from the committed tree (HEAD) in a
# temporary copy, so the work tree and its versions are never touched.
#   1. `changeset version` in the copy: one version for all packages (the `fixed` group), CHANGELOGs.
#   2. build every package, `pnpm pack` it (workspace:/catalog: ranges become real versions),
#      and check each with publint --strict and @arethetypeswrong/cli (`check:package`).
#   3. scripts/release/scratchInstall.sh: the tarballs installed with plain `npm install` into a
#      project outside the workspace, where a user's unit test runs.
# Usage: scripts/release/releaseDryRun.sh [out-dir]   (tarballs land in out-dir/tarballs; default a temp dir)
# About 1.5 minutes (build, pack, npm install from the registry): a phase of `make test` / `.ci/run`, and alone as
# `make release-check`.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$(mktemp -d "${TMPDIR:-/tmp}/kruise-ts-release.XXXXXX")}"
copy="$out/repo"
tarballs="$out/tarballs"
rm -rf "$copy" "$tarballs"
mkdir -p "$copy" "$tarballs"

step() { printf '\n\033[1m── %s\033[0m\n' "$*"; }

step "Copy of HEAD ($(git -C "$repo" rev-parse --short HEAD)) in $copy"
git -C "$repo" archive HEAD | tar -x -C "$copy"
cd "$copy"
pnpm install --frozen-lockfile --offline --reporter=silent || pnpm install --frozen-lockfile --reporter=silent

step "changeset version"
pending=$(find .changeset -name '*.md' ! -name 'README.md' | wc -l)
pnpm exec changeset version
printf '%s changesets applied; versions now:\n' "$pending"
for pkg in packages/*/package.json; do node -e 'const p = require(process.argv[1]); console.log(`  ${p.name}@${p.version}`)' "$copy/$pkg"; done
versions=$(for pkg in packages/*/package.json; do node -p "require('$copy/$pkg').version"; done | sort -u | wc -l)
if [ "$versions" != 1 ]; then echo "release: the packages do not share one version" >&2; exit 1; fi

step "build"
# KRUISE_TS_RELEASE_REUSE_DIST=1 (scripts/check.sh, right after its build phase): a package whose
# build embeds no version (its tsup.config.ts never says `version`: core, k8s-adapter, cli; the
# manager's and daemon's main.js carry __KRUISE_TS_VERSION__) takes the work tree's fresh dist/
# instead of a second build, when its files and the shared build inputs in the work tree are HEAD's
# (git status clean for them, untracked files included); every other package is built here.
build=()
for dir in packages/*/; do
  name=$(node -p "require('./$dir/package.json').name")
  inputs=("$dir" tsconfig.base.json package.json pnpm-lock.yaml pnpm-workspace.yaml)
  if [ "${KRUISE_TS_RELEASE_REUSE_DIST:-0}" = 1 ] && ! grep -qi version "$dir/tsup.config.ts" && [ -f "$repo/$dir/dist/index.js" ] &&
    [ -z "$(git -C "$repo" status --porcelain --untracked-files=all -- "${inputs[@]}")" ]; then
    cp -R "$repo/$dir/dist" "$dir/dist"
    printf '  %s: dist/ of the build phase (built from these files, no version inside)\n' "$name"
  else
    build+=(--filter "$name")
  fi
done
if [ ${#build[@]} -gt 0 ]; then pnpm "${build[@]}" run build >/dev/null; fi

step "pack, publint, attw"
for dir in packages/*/; do
  (cd "$dir" && pnpm pack --pack-destination "$tarballs" >/dev/null && pnpm run --silent check:package)
  listing="$(tar -tzf "$tarballs/$(node -p "const p = require('./$dir/package.json'); p.name.replace('@', '').replace('/', '-') + '-' + p.version + '.tgz'")")"
  for f in README.md LICENSE CHANGELOG.md; do
    if ! grep -qx "package/$f" <<<"$listing"; then
      echo "release: $dir's tarball has no $f" >&2
      exit 1
    fi
  done
done
ls -l "$tarballs"

step "scratch project outside the workspace"
"$repo/scripts/release/scratchInstall.sh" "$tarballs"
printf '\nrelease dry run: OK (tarballs in %s)\n' "$tarballs"
