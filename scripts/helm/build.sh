#!/usr/bin/env bash
# Builds helm (helm.sh/helm/v3/cmd/helm) from the Go module proxy into $1 (a versioned cache
# directory) when it is missing, like packages/k8s-adapter/envtest/build.sh does for the envtest
# binaries. scripts/helm/helmBinary.ts runs it (the tooling tests, the helm e2e test, check.sh).
#
#   HELM_VERSION=v3.22.0 build.sh ~/.cache/kruise-ts/helm/v3.22.0
set -euo pipefail

out=${1:?usage: build.sh <output-dir>}
: "${HELM_VERSION:?}"
mkdir -p "$out"
out=$(cd "$out" && pwd)
[[ -x "$out/helm" ]] && exit 0
command -v go >/dev/null || { echo "build.sh: go is not on PATH; install Go >= 1.26" >&2; exit 127; }

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=
start=$SECONDS
echo "[helm-build] helm $HELM_VERSION: building (about 1-3 minutes cold)" >&2
work="$out/.build"
rm -rf "$work"
GOBIN="$work" go install -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
  "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
mv "$work/helm" "$out/helm"
rm -rf "$work"
echo "[helm-build] helm built in $((SECONDS - start)) s: $out/helm" >&2
