import type { DeleteOptions, KubeClient, ObjectKey } from '../ports.js';
import { Resources, resourcePath } from '../resourceType.js';

/**
 * Evicts a pod through the `pods/eviction` subresource: the apiserver deletes it unless a
 * PodDisruptionBudget (or an admission webhook such as PodUnavailableBudget's) refuses, which
 * comes back as a TooManyRequestsError (429) or a ForbiddenError.
 */
export async function evictPod(client: KubeClient, key: ObjectKey, options: { deleteOptions?: Omit<DeleteOptions, 'signal'>; signal?: AbortSignal } = {}): Promise<void> {
  const body = {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: key.name, ...(key.namespace === undefined ? {} : { namespace: key.namespace }) },
    ...(options.deleteOptions === undefined ? {} : { deleteOptions: options.deleteOptions }),
  };
  await client.request('POST', resourcePath(Resources.Pod, { ...key, subresource: 'eviction' }), { body, ...(options.signal === undefined ? {} : { signal: options.signal }) });
}
