#!/usr/bin/env bash
# Builds the container images of kruise-ts without a Docker engine: OCI image layouts assembled
# with umoci (0.4.7), reproducibly (two builds of one commit give the same digests).
#
#   scripts/image/build.sh [manager|daemon]...      # default: both; `make image`
#
# Two images, one per command, sharing their first layer byte for byte:
#   layer 1 (base): the pinned Node binary (versions.env, from .tools/ or the system) at
#                   /usr/local/bin/node, the glibc libraries it links (ldd), /etc/passwd and
#                   /etc/group with the user `nonroot` (65532), /tmp and /home/nonroot.
#   layer 2 (app):  `pnpm deploy --legacy --prod` of the package at /app (its dist/, bin/ and a
#                   node_modules of real files; no .bin shims, no pnpm state files, no src/).
# Config: user 65532:65532, workdir /app, entrypoint `node /app/bin/<command>.js`, NODE_ENV=production,
# org.opencontainers.image.* labels. Every time in the image (file mtimes, config `created`,
# history) is SOURCE_DATE_EPOCH, by default the commit time of HEAD.
#
# Output: dist/image/<name>/ (an OCI layout, tag = the package version, e.g.
# dist/image/kruise-ts-manager:0.1.0), the reference deploy/ uses (ghcr.io/kruise-ts/<name>:<version>)
# and the manifest digest, printed as `<reference> <digest> <size>` and written to
# dist/image/<name>.digest. Load it into containerd:
#   skopeo copy oci:dist/image/kruise-ts-manager:0.1.0 docker-archive:/tmp/m.tar:ghcr.io/kruise-ts/kruise-ts-manager:0.1.0
#   ctr -n k8s.io images import /tmp/m.tar
# KRUISE_TS_IMAGE_SKIP_BUILD=1 skips `pnpm run build` of the packages (they must be built).
set -euo pipefail
umask 022
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
eval "$(scripts/bootstrap.sh)"
log() { printf '[image] %s\n' "$*" >&2; }

for tool in umoci ldd; do
  command -v "$tool" >/dev/null || { log "$tool is missing (scripts/runtime/install.sh installs umoci)"; exit 1; }
done

images=("$@")
[[ ${#images[@]} -gt 0 ]] || images=(manager daemon)
for image in "${images[@]}"; do
  case "$image" in manager | daemon) ;; *) log "unknown image \"$image\" (manager or daemon)"; exit 2 ;; esac
done

epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
node_bin=$(readlink -f "$(command -v node)")
node_version=$("$node_bin" -p 'process.versions.node')

if [[ "${KRUISE_TS_IMAGE_SKIP_BUILD:-0}" != 1 ]]; then
  filters=()
  for image in "${images[@]}"; do
    case "$image" in manager) filters+=(--filter '@kruise-ts/controllers...') ;; daemon) filters+=(--filter '@kruise-ts/daemon...') ;; esac
  done
  log "building ${filters[*]}"
  pnpm "${filters[@]}" run build >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kruise-ts-image.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Sets every mtime below $1 to the epoch (symlinks themselves too), so layer tars do not depend on
# when the files were written.
normalise() { find "$1" -exec touch -h -d "@$epoch" {} +; }

# ── layer 1: Node and the libraries it links
base="$work/base"
mkdir -p "$base/usr/local/bin" "$base/etc" "$base/tmp" "$base/home/nonroot"
cp "$node_bin" "$base/usr/local/bin/node"
chmod 0755 "$base/usr/local/bin/node"
while read -r lib; do
  # "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"
  path=$(awk '{ if ($2 == "=>") print $3; else print $1 }' <<<"$lib")
  [[ "$path" == /* ]] || continue
  mkdir -p "$base$(dirname "$path")"
  cp -L "$path" "$base$path"
done < <(ldd "$node_bin")
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$base/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$base/etc/group"
chmod 1777 "$base/tmp"
chown -R 0:0 "$base"
chown 65532:65532 "$base/home/nonroot"
normalise "$base"

mkdir -p dist/image
for image in "${images[@]}"; do
  case "$image" in
    manager) package=@kruise-ts/controllers dir=packages/controllers name=kruise-ts-manager ;;
    daemon) package=@kruise-ts/daemon dir=packages/daemon name=kruise-ts-daemon ;;
  esac
  version=$(node -p "require('./$dir/package.json').version")
  description=$(node -p "require('./$dir/package.json').description")
  [[ -f "$dir/dist/main.js" ]] || { log "$dir/dist/main.js is missing: build $package first"; exit 1; }

  # ── layer 2: the package with its production dependencies as real files
  app="$work/$image/app"
  log "pnpm deploy $package → /app"
  pnpm --filter "$package" deploy --legacy --prod --prefer-offline "$app.linked" >"$work/$image.deploy.log" 2>&1 ||
    { cat "$work/$image.deploy.log" >&2; exit 1; }
  # pnpm deploy hard-links files: the workspace packages' dist/ files (and the store's) would get the
  # owner and mtimes set below, so a build looked older than its sources afterwards. A copy holds
  # files of its own (cp -a makes new inodes).
  cp -a "$app.linked" "$app"
  rm -rf "$app.linked"
  # Things that hold the build's temp path or time, and that node never reads.
  find "$app" -name .bin -type d -prune -exec rm -rf {} +
  # The TypeScript sources the packages also ship (for source maps and the @kruise-ts/source
  # condition) are not run: the image holds dist/ only.
  rm -rf "$app/src"
  find "$app/node_modules/.pnpm" -path '*/node_modules/@kruise-ts/*/src' -prune -exec rm -rf {} +
  rm -f "$app/node_modules/.modules.yaml" "$app/node_modules/.pnpm/lock.yaml" "$app/node_modules/.pnpm-workspace-state"*.json
  if grep -rlF "$work" "$app" >&2; then log "the files above name the build directory $work: the image would not be reproducible"; exit 1; fi
  chown -R 0:0 "$app"
  normalise "$work/$image"

  layout="dist/image/$name"
  ref="$layout:$version"
  rm -rf "$layout"
  umoci init --layout "$layout"
  umoci new --image "$ref"
  # unpack/repack rather than `umoci insert`: 0.4.7's insert writes layer tars without their
  # end-of-archive blocks (GNU tar: "Unexpected EOF in archive").
  bundle="$work/$image/bundle"
  umoci unpack --image "$ref" "$bundle" >/dev/null
  cp -a "$base/." "$bundle/rootfs/"
  normalise "$bundle/rootfs"
  umoci repack --refresh-bundle --image "$ref" --history.created "$created" --history.created_by "scripts/image/build.sh: node $node_version and its libraries" "$bundle"
  cp -a "$app" "$bundle/rootfs/app"
  normalise "$bundle/rootfs"
  umoci repack --image "$ref" --history.created "$created" --history.created_by "scripts/image/build.sh: pnpm deploy --prod $package" "$bundle"
  umoci config --image "$ref" --created "$created" --author "kruise-ts" --os linux --architecture amd64 \
    --history.created "$created" --history.created_by "scripts/image/build.sh: config" \
    --config.user 65532:65532 --config.workingdir /app \
    --config.env PATH=/usr/local/bin:/usr/bin:/bin --config.env NODE_ENV=production \
    --clear=config.entrypoint --clear=config.cmd \
    --config.entrypoint /usr/local/bin/node --config.entrypoint "/app/bin/$name.js" \
    --config.label "org.opencontainers.image.title=$name" \
    --config.label "org.opencontainers.image.description=$description" \
    --config.label "org.opencontainers.image.version=$version" \
    --config.label "org.opencontainers.image.revision=$revision" \
    --config.label "org.opencontainers.image.created=$created" \
    --config.label "org.opencontainers.image.licenses=Apache-2.0" \
    --config.label "org.opencontainers.image.source=https://github.com/kruise-ts/kruise-ts" \
    --config.label "org.opencontainers.image.url=https://github.com/kruise-ts/kruise-ts/tree/main/$dir#readme" \
    --config.label "org.opencontainers.image.base.name=scratch"
  umoci gc --layout "$layout"

  read -r digest size < <(node -e '
    const fs = require("node:fs"); const layout = process.argv[1], tag = process.argv[2];
    const index = JSON.parse(fs.readFileSync(layout + "/index.json", "utf8"));
    const m = index.manifests.find((d) => d.annotations?.["org.opencontainers.image.ref.name"] === tag);
    const manifest = JSON.parse(fs.readFileSync(layout + "/blobs/" + m.digest.replace(":", "/"), "utf8"));
    const size = manifest.layers.reduce((sum, l) => sum + l.size, manifest.config.size);
    console.log(m.digest, size);' "$layout" "$version")
  reference="ghcr.io/kruise-ts/$name:$version"
  printf '%s@%s\n' "$reference" "$digest" >"dist/image/$name.digest"
  printf '%s %s %s\n' "$reference" "$digest" "$(numfmt --to=iec --suffix=B "$size") compressed"
done
