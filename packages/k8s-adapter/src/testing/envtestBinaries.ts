import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestClusterError } from './testClusterError.js';

import { readEnvtestPins, type EnvtestPins } from '../../envtest/pins.js';

// Embedded by tsup and vitest from versions.env; when running the sources directly (tsx), the
// file is read instead.
declare const __KRUISE_TS_ENVTEST_PINS__: EnvtestPins | undefined;
const pinned = (): EnvtestPins => (typeof __KRUISE_TS_ENVTEST_PINS__ === 'undefined' ? readEnvtestPins() : __KRUISE_TS_ENVTEST_PINS__);

/** The binaries a test cluster runs. */
export const ENVTEST_BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
/** One of {@link ENVTEST_BINARIES}. */
export type EnvtestBinary = (typeof ENVTEST_BINARIES)[number];

/** Versions of the envtest binaries: Kubernetes, etcd and kwok (each `vX.Y.Z`). */
export interface EnvtestVersions {
  readonly k8s: string;
  readonly etcd: string;
  readonly kwok: string;
}

/**
 * Returns the envtest versions: the pins from the repository's versions.env, each overridable by
 * `KRUISE_TS_K8S_VERSION`, `KRUISE_TS_ETCD_VERSION`, `KRUISE_TS_KWOK_VERSION`.
 */
export function envtestVersions(env: NodeJS.ProcessEnv = process.env): EnvtestVersions {
  const pins = pinned();
  return {
    k8s: env.KRUISE_TS_K8S_VERSION ?? pins.k8s,
    etcd: env.KRUISE_TS_ETCD_VERSION ?? pins.etcd,
    kwok: env.KRUISE_TS_KWOK_VERSION ?? pins.kwok,
  };
}

/**
 * Returns the versioned cache directory the binaries are built into, outside the repository:
 * `$KRUISE_TS_CACHE_DIR` or `$XDG_CACHE_HOME/kruise-ts` or `~/.cache/kruise-ts`, then
 * `envtest/k8s-v1.36.3_etcd-v3.6.16_kwok-v0.8.0`.
 */
export function envtestCacheDir(versions = envtestVersions(), env: NodeJS.ProcessEnv = process.env): string {
  const root = env.KRUISE_TS_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kruise-ts');
  return join(root, 'envtest', `k8s-${versions.k8s}_etcd-${versions.etcd}_kwok-${versions.kwok}`);
}

/** The path of the script that builds the binaries with Go (shipped in the package). */
export const envtestBuildScript = fileURLToPath(new URL('../../envtest/build.sh', import.meta.url));

/** Returns the shell command that builds the envtest binaries by hand into the cache. */
export function envtestBuildCommand(versions = envtestVersions(), env: NodeJS.ProcessEnv = process.env): string {
  return `K8S_VERSION=${versions.k8s} ETCD_VERSION=${versions.etcd} KWOK_VERSION=${versions.kwok} bash ${envtestBuildScript} ${envtestCacheDir(versions, env)}`;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the path of each envtest binary that exists: from `$KUBEBUILDER_ASSETS` when it holds
 * it (the envtest convention: etcd and kube-apiserver at least), otherwise from the cache.
 * Binaries found nowhere are listed in `missing`.
 */
export async function findEnvtestBinaries(env: NodeJS.ProcessEnv = process.env): Promise<{
  paths: Partial<Record<EnvtestBinary, string>>;
  missing: EnvtestBinary[];
}> {
  const cache = envtestCacheDir(envtestVersions(env), env);
  const dirs = [env.KUBEBUILDER_ASSETS, cache].filter((d): d is string => d !== undefined && d !== '');
  const paths: Partial<Record<EnvtestBinary, string>> = {};
  const missing: EnvtestBinary[] = [];
  for (const name of ENVTEST_BINARIES) {
    let found: string | undefined;
    for (const dir of dirs) {
      if (await isExecutable(join(dir, name))) {
        found = join(dir, name);
        break;
      }
    }
    if (found === undefined) missing.push(name);
    else paths[name] = found;
  }
  return { paths, missing };
}

/** How {@link ensureEnvtestBinaries} reports build progress (default: stderr). */
export type ProgressSink = (line: string) => void;

/**
 * Returns the paths of all envtest binaries, building the missing ones with Go into the cache
 * first (minutes when cold; progress is printed). With `build: false` a missing binary is an error
 * naming it and the command that builds it.
 */
export async function ensureEnvtestBinaries(
  options: { build?: boolean; progress?: ProgressSink; env?: NodeJS.ProcessEnv } = {},
): Promise<Record<EnvtestBinary, string>> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  let { paths, missing } = await findEnvtestBinaries(env);
  if (missing.length > 0 && options.build !== false && env.KRUISE_TS_ENVTEST_BUILD !== '0') {
    await runBuild(env, progress);
    ({ paths, missing } = await findEnvtestBinaries(env));
  }
  const first = missing[0];
  if (first !== undefined) {
    throw new TestClusterError({
      component: first,
      failure: 'binary-missing',
      message: `binary not found (missing: ${missing.join(', ')}) in ${[env.KUBEBUILDER_ASSETS, envtestCacheDir(envtestVersions(env), env)].filter(Boolean).join(' or ')}`,
      hint: `build it by hand with: ${envtestBuildCommand(envtestVersions(env), env)}`,
    });
  }
  return paths as Record<EnvtestBinary, string>;
}

async function runBuild(env: NodeJS.ProcessEnv, progress: ProgressSink): Promise<void> {
  const versions = envtestVersions(env);
  const child = spawn('bash', [envtestBuildScript, envtestCacheDir(versions, env)], {
    env: { ...env, K8S_VERSION: versions.k8s, ETCD_VERSION: versions.etcd, KWOK_VERSION: versions.kwok },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const onData = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line === '') continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (line.startsWith('[envtest-build')) progress(line);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    throw new TestClusterError({
      component: 'envtest-build',
      failure: 'build-failed',
      message: `building the envtest binaries failed (exit ${String(code)})`,
      hint: `run it by hand to see everything: ${envtestBuildCommand(versions, env)}`,
      logTail: tail.join('\n'),
    });
  }
}
