#!/usr/bin/env bash
# The full check, as CI runs it: tools, install, envtest binaries, helm (built from its Go module), the container runtime
# (containerd, runc, registry, skopeo, umoci: apt-get when missing) and the kubelet, build, lint, typecheck, the release
# dry run (pack, publint, attw, install from the tarballs), unit tests with coverage, and the end-to-end tests against a real test cluster.
# Prints how long each phase took. `make test` and `.ci/run` call this.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -a names=() secs=()
phase() {
  local name=$1; shift
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  local start=$SECONDS rc=0
  "$@" || rc=$?
  # A failed phase is listed too, so the report's last line says which one failed.
  if (( rc == 0 )); then names+=("$name"); else names+=("$name (FAILED, exit $rc)"); fi
  secs+=($((SECONDS - start)))
  return $rc
}
report() {
  local status=$?
  printf '\n%-28s %8s\n' phase seconds
  local i
  for i in "${!names[@]}"; do printf '%-28s %8d\n' "${names[$i]}" "${secs[$i]}"; done
  printf '%-28s %8d\n' total "$SECONDS"
  (( status == 0 )) || printf '\nFAILED (exit %d) after the phases above\n' "$status"
}
trap report EXIT

bootstrap() { eval "$(scripts/bootstrap.sh)"; node --version; pnpm --version; }
phase "tools (node, pnpm)" bootstrap
eval "$(scripts/bootstrap.sh)"
phase "install" pnpm install --frozen-lockfile
phase "envtest binaries" pnpm run envtest
phase "helm" pnpm run helm
phase "container runtime, kubelet" pnpm exec tsx --conditions=@kruise-ts/source packages/daemon/test/runtime/ensure.ts
# KRUISE_TS_DEMO_BUILT=1 (.ci/run, right after `make demo` on its clean clone): the demo built
# @kruise-ts/controllers and its dependencies (core, k8s-adapter) from these files; build the rest.
build() {
  if [ "${KRUISE_TS_DEMO_BUILT:-0}" = 1 ]; then
    echo "core, k8s-adapter, controllers: built by make demo from this clone; building the others"
    pnpm -r --filter './packages/*' --filter '!@kruise-ts/controllers...' run build
  else
    pnpm run build
  fi
}
phase "build" build
# Lint, typecheck and typedoc read the same sources and each is mostly one process: run them side by
# side (2 cores), each into its own log, printed whole afterwards; any failure fails the phase.
static_checks() {
  local dir; dir=$(mktemp -d)
  local -a names=(lint typecheck "api docs (typedoc)") cmds=("pnpm run lint" "pnpm run typecheck" "pnpm run docs") pids=()
  local i
  for i in "${!cmds[@]}"; do
    ( s=$SECONDS; rc=0; ${cmds[$i]} >"$dir/$i.log" 2>&1 || rc=$?; echo "$rc $((SECONDS - s))" >"$dir/$i.rc"; exit $rc ) &
    pids+=($!)
  done
  local failed=0
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || failed=1; done
  for i in "${!cmds[@]}"; do
    read -r rc took <"$dir/$i.rc"
    printf '\n\033[1m--- %s (%s s, exit %s)\033[0m\n' "${names[$i]}" "$took" "$rc"
    cat "$dir/$i.log"
  done
  rm -rf "$dir"
  return $failed
}
phase "lint, typecheck, typedoc" static_checks
# The release dry run (scripts/release/releaseDryRun.sh): `changeset version` on a copy of HEAD, every package built
# (or, with no version inside and its files unchanged since, its dist/ of the build phase above taken),
# packed, checked (publint --strict, attw) and installed from its tarball with plain npm into a scratch project
# outside the workspace, where a user's first unit test runs. It includes the per-package checks (check:packages).
phase "release dry run" env KRUISE_TS_RELEASE_REUSE_DIST=1 scripts/release/releaseDryRun.sh
# Each test phase also writes vitest's JSON report and prints its slowest files (where the time went).
reports=$(mktemp -d)
tests() {
  local report="$reports/$1.json"; shift
  local rc=0
  pnpm exec vitest run "$@" --reporter=default --reporter=json --outputFile.json="$report" || rc=$?
  if [ -f "$report" ]; then pnpm exec tsx scripts/slowestTestFiles.ts "$report" 12 || true; fi
  return $rc
}
phase "unit tests (+coverage)" tests unit --project '!*:e2e' --coverage
phase "end-to-end tests" tests e2e --project '*:e2e'
