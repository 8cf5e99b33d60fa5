#!/usr/bin/env bash
# Builds the envtest binaries (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok)
# from the Go module proxy into $1 (a versioned cache directory), only those that are missing.
#
#   K8S_VERSION=v1.36.3 ETCD_VERSION=v3.6.16 KWOK_VERSION=v0.8.0 build.sh ~/.cache/kruise-ts/envtest/<key>
#
# K8S_BINARIES (e.g. `kubelet`) builds only those commands of k8s.io/kubernetes, from the same
# wrapper module (the daemon's real-node trials, docs/notes/real-runtime.md).
#
# k8s.io/kubernetes cannot be `go install`ed (its go.mod replaces the staging modules with local
# paths), so it is built inside a wrapper module whose replace block maps every staging module to
# its published v0.<minor>.<patch>; the block is generated from the tag's own go.mod so it cannot
# drift. See docs/decisions/0003-test-cluster.md.
set -euo pipefail

out=${1:?usage: build.sh <output-dir>}
: "${K8S_VERSION:?}" "${ETCD_VERSION:?}" "${KWOK_VERSION:?}"
mkdir -p "$out"
out=$(cd "$out" && pwd)
work="$out/.build"
mkdir -p "$work"

export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
command -v go >/dev/null || { echo "build.sh: go is not on PATH; install Go >= 1.26" >&2; exit 127; }

say() { printf '[envtest-build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
elapsed() { local s=$1; printf '%dm%02ds' $(( (SECONDS - s) / 60 )) $(( (SECONDS - s) % 60 )); }

# Run a long command, printing a heartbeat every 30 s so CI logs show progress.
with_heartbeat() {
  local label=$1; shift
  local start=$SECONDS
  "$@" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    if (( (SECONDS - start) % 30 < 5 )) && kill -0 "$pid" 2>/dev/null; then say "$label: still building ($(elapsed "$start"))"; fi
  done
  wait "$pid"
}

build_etcd() {
  [[ -x "$out/etcd" ]] && return 0
  say "etcd $ETCD_VERSION: building (about 1-3 minutes cold)"
  local s=$SECONDS d="$work/etcd"
  mkdir -p "$d"
  cat >"$d/go.mod" <<MOD
module local/etcdbin

go 1.26.0

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
MOD
  (cd "$d" && with_heartbeat etcd go build -trimpath -ldflags '-s -w' -o "$out/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$out/etcd.tmp" "$out/etcd"
  say "etcd: built in $(elapsed $s)"
}

build_kwok() {
  [[ -x "$out/kwok" ]] && return 0
  say "kwok $KWOK_VERSION: building (about 2-5 minutes cold)"
  local s=$SECONDS
  with_heartbeat kwok env GOBIN="$work/kwokbin" GOFLAGS= go install -trimpath -ldflags '-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  mv "$work/kwokbin/kwok" "$out/kwok"
  say "kwok: built in $(elapsed $s)"
}

build_kubernetes() {
  local missing=()
  for b in ${K8S_BINARIES:-kube-apiserver kube-controller-manager kube-scheduler}; do
    [[ -x "$out/$b" ]] || missing+=("$b")
  done
  (( ${#missing[@]} )) || return 0
  say "kubernetes $K8S_VERSION: building ${missing[*]} (about 15-30 minutes cold on 2 cores)"
  local s=$SECONDS d="$work/k8s" staging=v0.${K8S_VERSION#v1.}
  local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  mkdir -p "$d"
  local modfile
  modfile=$(cd "$d" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')
  {
    printf 'module local/k8sbins\n\ngo 1.26.0\n\ngodebug default=go1.26\n\nrequire k8s.io/kubernetes %s\n\nreplace (\n' "$K8S_VERSION"
    sed -n "s#^\t\(k8s.io/[^ ]*\) => ./staging/src/.*#\t\1 => \1 $staging#p" "$modfile"
    printf ')\n'
  } >"$d/go.mod"
  local ldf="-s -w" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf="$ldf -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=2026-01-01T00:00:00Z"
  done
  local pkgs=()
  for b in "${missing[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
  mkdir -p "$work/k8sbin"
  (cd "$d" && with_heartbeat kubernetes go build -trimpath -ldflags "$ldf" -o "$work/k8sbin/" "${pkgs[@]}")
  for b in "${missing[@]}"; do mv "$work/k8sbin/$b" "$out/$b"; done
  say "kubernetes: built in $(elapsed $s)"
}

total=$SECONDS
if [[ -z ${K8S_BINARIES:-} ]]; then
  build_etcd
  build_kwok
fi
build_kubernetes
rm -rf "$work"
say "all binaries present in $out ($(elapsed $total))"
