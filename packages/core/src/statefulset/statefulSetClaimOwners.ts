import type { OwnerReference } from '../api/objectMeta.js';
import type { PersistentVolumeClaim, Pod } from '../api/pod.js';
import { STATEFULSET_API_VERSION, STATEFULSET_KIND, type StatefulSet } from '../api/statefulSet.js';
import type { StatefulSetSettings } from './statefulSetSettings.js';

/**
 * Who owns a pod's PVCs under `persistentVolumeClaimRetentionPolicy` (OpenKruise
 * `updateClaimOwnerRefForSetAndPod`): `whenDeleted: Delete` puts the set's reference on the PVCs
 * of the replicas (the garbage collector removes them with the set); `whenScaled: Delete` puts the
 * pod's reference on the PVCs of a pod scaled away (they go with the pod). Retain drops both.
 */

const hasRef = (claim: PersistentVolumeClaim, uid: string): boolean => (claim.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid);

/** The plain (non-controller) references a retention policy puts on PVCs. */
function ownerRef(apiVersion: string, kind: string, object: { readonly metadata?: { readonly name?: string | undefined; readonly uid?: string | undefined } | undefined }): OwnerReference {
  return { apiVersion, kind, name: object.metadata?.name ?? '', uid: object.metadata?.uid ?? '' };
}

/**
 * Returns the owner references a PVC of `pod` should have, or `undefined` when it already has
 * them: the set's reference iff `whenDeleted: Delete` and the pod is not scaled down (with
 * `whenScaled: Delete`, a scaled-down pod's PVC loses it); the pod's reference iff `whenScaled:
 * Delete` and the pod is scaled down. Other owners are kept.
 *
 * @example Retain/Delete (whenScaled Retain, whenDeleted Delete), PVC without owners → [set reference]
 * @example Delete/Delete, pod scaled down, PVC owned by the set → [pod reference]
 */
export function wantedClaimOwners(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod, scaledDown: boolean, retention: StatefulSetSettings['retention']): OwnerReference[] | undefined {
  const setUid = set.metadata?.uid ?? '';
  const podUid = pod.metadata.uid ?? '';
  const byScale = retention.whenScaled === 'Delete';
  const wantSet = retention.whenDeleted === 'Delete' && !(byScale && scaledDown);
  const wantPod = byScale && scaledDown;
  if (hasRef(claim, setUid) === wantSet && hasRef(claim, podUid) === wantPod) return undefined;
  // As OpenKruise's setOwnerRef/removeOwnerRef: removals keep the others' order, additions go last.
  let refs = [...(claim.metadata.ownerReferences ?? [])];
  const follow = (uid: string, wanted: boolean, ref: () => OwnerReference): void => {
    if (wanted && !refs.some((r) => r.uid === uid)) refs.push(ref());
    if (!wanted) refs = refs.filter((r) => r.uid !== uid);
  };
  follow(setUid, wantSet, () => ownerRef(STATEFULSET_API_VERSION, STATEFULSET_KIND, set));
  follow(podUid, wantPod, () => ownerRef('v1', 'Pod', pod));
  return refs;
}

/**
 * Returns the owner references a PVC created for a replica gets at once (saving the update
 * OpenKruise makes right after): the set's reference with `whenDeleted: Delete`, none otherwise.
 */
export function newClaimOwners(set: StatefulSet, retention: StatefulSetSettings['retention']): OwnerReference[] {
  return retention.whenDeleted === 'Delete' ? [ownerRef(STATEFULSET_API_VERSION, STATEFULSET_KIND, set)] : [];
}

/**
 * Returns whether an existing PVC still belongs to an earlier pod of the same name (OpenKruise
 * `PodClaimIsStale`, only with `whenScaled: Delete`): it holds a reference to a pod of that name
 * with another uid. The pod is not created until the garbage collector has removed it.
 *
 * @example whenScaled Delete, PVC owned by pod web-1 uid u1, new pod web-1 (no uid yet) → true
 */
export function isClaimStale(claim: PersistentVolumeClaim, podName: string, podUid: string, retention: StatefulSetSettings['retention']): boolean {
  if (retention.whenScaled !== 'Delete') return false;
  return (claim.metadata.ownerReferences ?? []).some((ref) => ref.name === podName && ref.uid !== podUid);
}
