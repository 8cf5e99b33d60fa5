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

/**
 * Returns `client` with every request it answers recorded: the reads as {@link countReads}, and
 * `replace <plural>/<name>[/<subresource>]`, `patch <plural>/<name>`, for tests that count what one
 * admission costs the apiserver.
 *
 * @example await counted.client.replace(KruiseResources.WorkloadSpread, ws, { subresource: 'status' }) // requests: ['replace workloadspreads/web-ws/status']
 */
export function countRequests(base: KubeClient): { client: KubeClient; requests: string[] } {
  const { client, reads: requests } = countReads(base);
  return {
    requests,
    client: {
      ...client,
      replace: (type, object, options) => {
        requests.push(`replace ${type.plural}/${object.metadata.name ?? ''}${options?.subresource === undefined ? '' : `/${options.subresource}`}`);
        return base.replace(type, object, options);
      },
      patch: (type, key, patch, options) => {
        requests.push(`patch ${type.plural}/${key.name}`);
        return base.patch(type, key, patch, options);
      },
    },
  };
}
