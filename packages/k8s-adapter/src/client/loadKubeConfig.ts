import type { KubeConfig } from '@kubernetes/client-node';

/**
 * Returns the kubeconfig at `path`, or, for an empty path, client-go's default lookup: `$KUBECONFIG`,
 * then the in-cluster service account, then `~/.kube/config`.
 *
 * `@kubernetes/client-node` (ADR 0004) is imported here, on the first call, and not when the
 * package is imported: it loads every generated API model (about 90 MiB of resident memory and a
 * second of start-up), which a program using only the in-memory cluster never needs.
 */
export async function loadKubeConfig(path = ''): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kubeConfig = new KubeConfig();
  if (path === '') kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(path);
  return kubeConfig;
}
