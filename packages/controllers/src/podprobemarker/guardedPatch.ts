import { ConflictError, NotFoundError, type KubeClient, type KubeObject, type ObjectKey, type ResourceType } from '@kruise-ts/k8s-adapter';

/** Attempts of a read-modify-write before the pass fails (and is retried by the queue). */
const ATTEMPTS = 5;

/**
 * Returns after a read-modify-write of one object as merge patches guarded by the resourceVersion
 * read: `change` gets the object as read now and returns the patch body (without
 * `metadata.resourceVersion`, added here) or undefined when nothing changes; on 409 the object is
 * read again and the change re-planned. A missing object is left alone.
 *
 * @example await guardedMergePatch(client, KruiseResources.NodePodProbe, { name: 'node-a' }, (npp) => ({ spec: { podProbes: [...] } }), signal)
 */
export async function guardedMergePatch<T extends KubeObject>(client: KubeClient, type: ResourceType<T>, key: ObjectKey, change: (current: T) => Record<string, unknown> | undefined, signal: AbortSignal, subresource?: 'status'): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let current: T;
    try {
      current = await client.get(type, key, { signal });
    } catch (error) {
      if (error instanceof NotFoundError) return;
      throw error;
    }
    const body = change(current);
    if (body === undefined) return;
    const metadata = { ...(body['metadata'] as Record<string, unknown> | undefined), resourceVersion: current.metadata.resourceVersion };
    try {
      await client.patch(type, key, { type: 'merge', body: { ...body, metadata } }, subresource === undefined ? { signal } : { subresource, signal });
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= ATTEMPTS) throw error;
    }
  }
}
