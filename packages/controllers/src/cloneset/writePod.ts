import type { Pod, PodCondition } from '@kruise-ts/core';
import { Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';

type PodObject = Pod & KubeObject;

const json = (value: unknown): string => JSON.stringify(value ?? null);

/**
 * Writes the changes from `before` to `after` (both whole pods, as core plans return them): the
 * object through PUT when metadata or spec differ, then `status` through the status subresource
 * when it differs. Each PUT carries the resourceVersion it was read at, so a concurrent change
 * fails with a ConflictError instead of being overwritten. Returns the last written pod.
 */
export async function writePod(client: KubeClient, before: Pod, after: Pod, signal?: AbortSignal): Promise<PodObject> {
  let written = after as PodObject;
  const mainChanged = json(before.metadata) !== json(after.metadata) || json(before.spec) !== json(after.spec);
  if (mainChanged) {
    written = await client.replace(Resources.Pod, { ...after, status: before.status } as PodObject, { signal });
  }
  if (json(before.status) !== json(after.status)) {
    const base = mainChanged ? written : (before as PodObject);
    written = await client.replace(Resources.Pod, { ...base, status: after.status }, { subresource: 'status', signal });
  }
  return written;
}

/** Writes only the pod's status conditions (status subresource), at the pod's resourceVersion. */
export async function writePodConditions(client: KubeClient, pod: Pod, conditions: readonly PodCondition[], signal?: AbortSignal): Promise<PodObject> {
  return client.replace(Resources.Pod, { ...pod, status: { ...pod.status, conditions: [...conditions] } } as PodObject, { subresource: 'status', signal });
}
