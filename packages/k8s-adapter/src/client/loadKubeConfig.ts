import { KubeConfig } from '@kubernetes/client-node';

/**
 * Returns the kubeconfig at `path`, or, for an empty path, client-go's default lookup: `$KUBECONFIG`,
 * then the in-cluster service account, then `~/.kube/config`.
 */
export function loadKubeConfig(path = ''): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (path === '') kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(path);
  return kubeConfig;
}
