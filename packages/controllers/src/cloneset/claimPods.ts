import type { OwnerReference, Pod } from '@kruise-ts/core';
import { NotFoundError, Resources } from '@kruise-ts/k8s-adapter';
import type { CloneSetPass, CloneSetWriteDeps } from './cloneSetContext.js';

function ownerReference(pass: CloneSetPass): OwnerReference {
  const { name = '', uid = '' } = pass.object.metadata;
  return { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name, uid, controller: true, blockOwnerDeletion: true };
}

/**
 * Adopts orphans (pods matching the selector that no controller owns) and releases strays (pods
 * it owns that no longer match), as Kubernetes' ClaimPods does. Before adopting, the CloneSet is
 * read again from the apiserver: a CloneSet being deleted (or replaced by a namesake) adopts
 * nothing. Each patch carries the pod's uid, so a pod replaced meanwhile is left alone.
 * Returns whether anything was written.
 */
export async function claimPods(deps: CloneSetWriteDeps, pass: CloneSetPass, orphans: readonly Pod[], strays: readonly Pod[]): Promise<boolean> {
  if (orphans.length === 0 && strays.length === 0) return false;
  const { name = '', namespace, uid } = pass.object.metadata;
  const fresh = await deps.client.get(Resources.CloneSet, { name, namespace }, { signal: pass.signal }).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  const canAdopt = fresh !== undefined && fresh.metadata.uid === uid && fresh.metadata.deletionTimestamp === undefined;
  const mine = ownerReference(pass);
  const patch = async (pod: Pod, ownerReferences: OwnerReference[]): Promise<void> => {
    const body = { metadata: { uid: pod.metadata.uid, ownerReferences } };
    const written = await deps.client
      .patch(Resources.Pod, { name: pod.metadata.name ?? '', namespace }, { type: 'merge', body }, { signal: pass.signal })
      .catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      });
    if (written !== undefined) deps.resourceVersions.expect(written);
  };
  await Promise.all([
    ...(canAdopt ? orphans.map((pod) => patch(pod, [...(pod.metadata.ownerReferences ?? []), mine])) : []),
    ...strays.map((pod) => patch(pod, (pod.metadata.ownerReferences ?? []).filter((o) => o.uid !== uid))),
  ]);
  return canAdopt ? true : strays.length > 0;
}
