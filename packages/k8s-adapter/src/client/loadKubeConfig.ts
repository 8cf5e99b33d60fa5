import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeConfigError } from '../errors.js';
import { chooseKubeConfigSource, type KubeConfigLookup } from './chooseKubeConfigSource.js';

/** The process's own environment, home directory and file system. */
function processLookup(): KubeConfigLookup {
  return { env: process.env, home: homedir(), exists: existsSync };
}

/**
 * Returns the kubeconfig at `path`, or, for an empty path, controller-runtime's lookup:
 * `$KUBECONFIG`, then the in-cluster service account, then `~/.kube/config`
 * (`chooseKubeConfigSource`). Rejects with a {@link KubeConfigError} whose message is one line
 * naming the file and what is wrong: missing, unreadable, not a kubeconfig, no current context with
 * a cluster, or nothing to load at all.
 *
 * `@kubernetes/client-node` (ADR 0004) is imported here, on the first call, and not when the
 * package is imported: a program using only the in-memory cluster never needs it. Only its
 * kubeconfig and authentication modules are loaded (`clientNodeConfig.ts`, ADR 0024), not its
 * generated API models.
 */
export async function loadKubeConfig(path = '', lookup: KubeConfigLookup = processLookup()): Promise<KubeConfig> {
  const source = chooseKubeConfigSource(path, lookup);
  if (source.kind === 'none') {
    throw path === '' ? new KubeConfigError(source.missing.length > 0 ? 'missing' : 'none', undefined, source.detail) : new KubeConfigError('missing', path, 'no such file');
  }
  const { KubeConfig } = await import('./clientNodeConfig.js');
  const kubeConfig = new KubeConfig();
  if (source.kind === 'in-cluster') {
    try {
      kubeConfig.loadFromCluster();
    } catch (error) {
      throw new KubeConfigError('unreadable', undefined, `in-cluster service account: ${firstLine(error)}`, { cause: error });
    }
    return kubeConfig;
  }
  const [first = '', ...rest] = source.paths;
  loadFile(kubeConfig, first);
  for (const file of rest) {
    const other = new KubeConfig();
    loadFile(other, file);
    kubeConfig.mergeConfig(other);
  }
  // client-node leaves the current context undefined when the file has none, despite its type.
  const context = kubeConfig.getCurrentContext() as string | undefined;
  if (context === undefined || context === '' || kubeConfig.getCurrentCluster()?.server === undefined) {
    const problem = context === undefined || context === '' ? 'has no current-context' : `its current context "${context}" names no cluster with a server`;
    throw new KubeConfigError('invalid', source.paths.join(', '), problem);
  }
  return kubeConfig;
}

function loadFile(kubeConfig: KubeConfig, file: string): void {
  try {
    kubeConfig.loadFromFile(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw new KubeConfigError('missing', file, 'no such file', { cause: error });
    if (typeof code === 'string') throw new KubeConfigError('unreadable', file, `cannot be read (${code})`, { cause: error });
    throw new KubeConfigError('invalid', file, `not a kubeconfig: ${firstLine(error)}`, { cause: error });
  }
}

/** The first line of an error's message: YAML parse errors quote the file over several lines. */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
