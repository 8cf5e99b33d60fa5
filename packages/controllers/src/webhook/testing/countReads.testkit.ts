import type { KubeClient } from '@kruise-ts/k8s-adapter';

/**
 * Returns `client` with the reads it answers recorded, `get <plural>/<name>` and
 * `list <plural> <namespace or *>`, for tests that check what a cache spared the apiserver.
 *
 * @example const { client, reads } = countReads(cluster.client); await client.get(Resources.Pod, { namespace: 'apps', name: 'p' }) // reads: ['get pods/p']
 */
export function countReads(client: KubeClient): { client: KubeClient; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    client: {
      ...client,
      get: (type, key, options) => {
        reads.push(`get ${type.plural}/${key.name}`);
        return client.get(type, key, options);
      },
      list: (type, options) => {
        reads.push(`list ${type.plural} ${options?.namespace ?? '*'}`);
        return client.list(type, options);
      },
    },
  };
}
