# Two commands on a fresh clone (Node and pnpm are fetched into .tools/ when the system lacks them):
#   make demo   run the main job
#   make test   run every check CI runs (install, build, lint, typecheck, unit and end-to-end tests)
SHELL := /bin/bash
TOOLS := eval "$$(scripts/bootstrap.sh)"

.PHONY: demo test install build lint typecheck unit e2e envtest clean release-check image

install:
	@$(TOOLS) && pnpm install --frozen-lockfile

# DEMO_FLAGS: extra options of the rollout demo (e.g. `--step-timeout 30`; `.ci/run` sets `--plain`).
DEMO_FLAGS ?=

# The manager's --help runs the built command, so the demo builds it and what it depends on
# (core, k8s-adapter) first, in dependency order; the demo programs run from source with tsx.
demo: install
	@printf '── Building @kruise-ts/controllers and its dependencies\n'
	@$(TOOLS) && pnpm --filter '@kruise-ts/controllers...' run build
	@printf '\n── kruise-ts-manager --help\n\n'
	@$(TOOLS) && node packages/controllers/bin/kruise-ts-manager.js --help
	@printf '\n── CloneSet rollout on the in-memory cluster (examples/cloneset-rollout-demo; --kubeconfig for a real one)\n\n'
	@$(TOOLS) && pnpm exec tsx --conditions=@kruise-ts/source examples/cloneset-rollout-demo/demo.ts $(DEMO_FLAGS)
	@printf '\n── The same seed CloneSet, planned offline (examples/plan-only)\n\n'
	@$(TOOLS) && pnpm exec tsx --conditions=@kruise-ts/source examples/plan-only/planOnly.ts examples/plan-only/cloneset.yaml examples/plan-only/pods.yaml

test:
	@bash scripts/check.sh

build: install
	@$(TOOLS) && pnpm run build

lint: install
	@$(TOOLS) && pnpm run lint

typecheck: install
	@$(TOOLS) && pnpm run typecheck

unit: install
	@$(TOOLS) && pnpm run test:unit

e2e: install
	@$(TOOLS) && pnpm run test:e2e

envtest: install
	@$(TOOLS) && pnpm run envtest

clean:
	rm -rf node_modules packages/*/node_modules packages/*/dist examples/node_modules coverage

# Release dry run (also a phase of `make test`): changeset version, build, pack,
# publint and attw on a copy of HEAD, then the tarballs installed with plain npm into a scratch
# project outside the workspace where a user's first unit test runs.
release-check: install
	@$(TOOLS) && scripts/release/releaseDryRun.sh

# Container images of kruise-ts-manager and kruise-ts-daemon as OCI layouts in dist/image/ (umoci,
# no Docker engine; reproducible: prints each reference and digest). See scripts/image/build.sh.
image: install
	@$(TOOLS) && scripts/image/build.sh
