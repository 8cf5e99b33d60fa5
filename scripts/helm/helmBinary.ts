/**
 * helm for the chart's tests: built from its Go module (helm.sh/helm/v3/cmd/helm at versions.env's
 * HELM_VERSION) into the kruise-ts cache when missing, as the envtest binaries are.
 *
 *   pnpm exec tsx scripts/helm/helmBinary.ts   # builds it when missing and prints its path
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSIONS_FILE = fileURLToPath(new URL('../../versions.env', import.meta.url));
const BUILD_SCRIPT = fileURLToPath(new URL('./build.sh', import.meta.url));

/** The pinned helm version from versions.env (`HELM_VERSION`), e.g. `v3.22.0`; `KRUISE_TS_HELM_VERSION` overrides it. */
export function helmVersion(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KRUISE_TS_HELM_VERSION !== undefined && env.KRUISE_TS_HELM_VERSION !== '') return env.KRUISE_TS_HELM_VERSION;
  const match = /^HELM_VERSION=(\S+)$/m.exec(readFileSync(VERSIONS_FILE, 'utf8'));
  if (match?.[1] === undefined) throw new Error(`${VERSIONS_FILE}: HELM_VERSION is not set`);
  return match[1];
}

/**
 * Where helm is cached: `$KRUISE_TS_CACHE_DIR` or `$XDG_CACHE_HOME/kruise-ts` or
 * `~/.cache/kruise-ts`, then `helm/<version>/helm`, e.g. `~/.cache/kruise-ts/helm/v3.22.0/helm`.
 */
export function helmPath(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.KRUISE_TS_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kruise-ts');
  return join(root, 'helm', helmVersion(env), 'helm');
}

/** Returns the path of helm, building it with Go first when it is not in the cache (1-3 minutes cold). */
export function ensureHelm(env: NodeJS.ProcessEnv = process.env): string {
  const path = helmPath(env);
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    const built = spawnSync('bash', [BUILD_SCRIPT, join(path, '..')], { env: { ...env, HELM_VERSION: helmVersion(env) }, stdio: ['ignore', 'inherit', 'inherit'] });
    if (built.status !== 0) throw new Error(`building helm ${helmVersion(env)} failed (exit ${String(built.status)}): HELM_VERSION=${helmVersion(env)} bash ${BUILD_SCRIPT} ${join(path, '..')}`);
    return path;
  }
}

/** Runs helm with `args` and returns its standard output; throws with its standard error on failure. */
export function runHelm(args: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync(ensureHelm(env), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`helm ${args.join(' ')} failed: ${stderr || String(error)}`, { cause: error });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(`${ensureHelm()}\n`);
