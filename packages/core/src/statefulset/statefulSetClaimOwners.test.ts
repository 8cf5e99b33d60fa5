import { describe, expect, it } from 'vitest';
import type { OwnerReference } from '../api/objectMeta.js';
import type { PersistentVolumeClaim } from '../api/pod.js';
import type { PersistentVolumeClaimRetentionPolicyType } from '../api/statefulSet.js';
import { aPod, aStatefulSet } from '../testing/index.js';
import { isClaimStale, newClaimOwners, wantedClaimOwners } from './statefulSetClaimOwners.js';

// Expected values follow OpenKruise's stateful_set_utils.go `claimOwnerMatchesSetAndPod` /
// `updateClaimOwnerRefForSetAndPod` (and TestClaimOwnerMatchesSetAndPod,
// TestUpdateClaimOwnerRefForSetAndPod), `setOwnerRef` (appends apiVersion, kind, name, uid),
// `removeOwnerRef` (keeps the order of the others) and `hasStaleOwnerRef` / `PodClaimIsStale`.

const set = aStatefulSet({ name: 'web' });
const pod = aPod({ name: 'web-1', uid: 'pod-uid' });
const setRef: OwnerReference = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web', uid: 'uid-web' };
const podRef: OwnerReference = { apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: 'pod-uid' };
const others: OwnerReference[] = [
  { apiVersion: 'v1', kind: 'Pod', name: 'rand1', uid: 'rand1-abc' },
  { apiVersion: 'v1', kind: 'Pod', name: 'rand2', uid: 'rand2-def' },
];

const claim = (ownerReferences: OwnerReference[]): PersistentVolumeClaim => ({ metadata: { name: 'data-web-1', ownerReferences } });
const retention = (whenScaled: PersistentVolumeClaimRetentionPolicyType, whenDeleted: PersistentVolumeClaimRetentionPolicyType) => ({ whenScaled, whenDeleted });

/** What each policy wants on a PVC: [whenScaled, whenDeleted, scaled down, wants set ref, wants pod ref]. */
const POLICIES: readonly [PersistentVolumeClaimRetentionPolicyType, PersistentVolumeClaimRetentionPolicyType, boolean, boolean, boolean][] = [
  ['Retain', 'Retain', false, false, false],
  ['Retain', 'Retain', true, false, false],
  ['Retain', 'Delete', false, true, false],
  ['Retain', 'Delete', true, true, false],
  ['Delete', 'Retain', false, false, false],
  ['Delete', 'Retain', true, false, true],
  ['Delete', 'Delete', false, true, false],
  ['Delete', 'Delete', true, false, true],
];

const rows = POLICIES.flatMap(([whenScaled, whenDeleted, scaledDown, wantSet, wantPod]) =>
  [false, true].flatMap((hasSet) =>
    [false, true].flatMap((hasPod) =>
      [false, true].map((withOthers) => ({
        story: `whenScaled ${whenScaled}, whenDeleted ${whenDeleted}, ${scaledDown ? 'scaled down' : 'a replica'}; PVC ${hasSet ? 'with' : 'without'} set ref, ${hasPod ? 'with' : 'without'} pod ref${withOthers ? ', other owners' : ''}`,
        whenScaled,
        whenDeleted,
        scaledDown,
        hasSet,
        hasPod,
        withOthers,
        wantSet,
        wantPod,
      })),
    ),
  ),
);

describe('wantedClaimOwners', () => {
  it.each(rows)('$story', ({ whenScaled, whenDeleted, scaledDown, hasSet, hasPod, withOthers, wantSet, wantPod }) => {
    // OpenKruise's tests add the pod ref first, then the set ref, then the others.
    const before = [...(hasPod ? [podRef] : []), ...(hasSet ? [setRef] : []), ...(withOthers ? others : [])];
    const result = wantedClaimOwners(claim(before), set, pod, scaledDown, retention(whenScaled, whenDeleted));
    if (hasSet === wantSet && hasPod === wantPod) {
      expect(result).toBeUndefined();
      return;
    }
    expect(result).toBeDefined();
    const after = result ?? [];
    expect(after.some((ref) => ref.uid === setRef.uid)).toBe(wantSet);
    expect(after.some((ref) => ref.uid === podRef.uid)).toBe(wantPod);
    // Other owners are kept, in their order.
    expect(after.filter((ref) => ref.uid !== setRef.uid && ref.uid !== podRef.uid)).toEqual(withOthers ? others : []);
    // Added references carry apiVersion, kind, name and uid only (no controller flag).
    if (wantSet && !hasSet) expect(after.find((ref) => ref.uid === setRef.uid)).toEqual(setRef);
    if (wantPod && !hasPod) expect(after.find((ref) => ref.uid === podRef.uid)).toEqual(podRef);
  });

  it.each([
    { story: 'Retain/Delete, PVC without owners → [set reference]', policy: retention('Retain', 'Delete'), scaledDown: false, before: [], after: [setRef] },
    { story: 'Delete/Delete, scaled down, PVC owned by the set → [pod reference]', policy: retention('Delete', 'Delete'), scaledDown: true, before: [setRef], after: [podRef] },
    { story: 'Delete/Retain, scaled down, PVC owned by others → others, then the pod appended', policy: retention('Delete', 'Retain'), scaledDown: true, before: others, after: [...others, podRef] },
    { story: 'Retain/Retain, PVC owned by the set and others → the set removed, others kept in order', policy: retention('Retain', 'Retain'), scaledDown: false, before: [others[0], setRef, others[1]], after: others },
    { story: 'Delete/Delete, back in range, PVC owned by the pod → pod removed, set appended', policy: retention('Delete', 'Delete'), scaledDown: false, before: [podRef, ...others], after: [...others, setRef] },
  ])('$story', ({ policy, scaledDown, before, after }) => {
    expect(wantedClaimOwners(claim(before as OwnerReference[]), set, pod, scaledDown, policy)).toEqual(after);
  });

  it('keeps an existing set reference as it is (its extra fields too)', () => {
    const controllerLike = { ...setRef, controller: false, blockOwnerDeletion: true };
    expect(wantedClaimOwners(claim([controllerLike, podRef]), set, pod, false, retention('Retain', 'Delete'))).toEqual([controllerLike]);
  });
});

describe('newClaimOwners', () => {
  it.each([
    { story: 'whenDeleted Delete → the set reference', policy: retention('Retain', 'Delete'), owners: [setRef] },
    { story: 'whenDeleted Delete, whenScaled Delete → the set reference', policy: retention('Delete', 'Delete'), owners: [setRef] },
    { story: 'whenDeleted Retain → none', policy: retention('Delete', 'Retain'), owners: [] },
    { story: 'Retain/Retain → none', policy: retention('Retain', 'Retain'), owners: [] },
  ])('$story', ({ policy, owners }) => {
    expect(newClaimOwners(set, policy)).toEqual(owners);
  });
});

describe('isClaimStale', () => {
  it.each([
    { story: 'whenScaled Retain: never stale', policy: retention('Retain', 'Delete'), refs: [{ ...podRef, uid: 'old' }], podUid: '', stale: false },
    { story: 'whenScaled Delete, owned by an earlier web-1, new pod without uid → stale', policy: retention('Delete', 'Retain'), refs: [{ ...podRef, uid: 'old' }], podUid: '', stale: true },
    { story: 'whenScaled Delete, owned by an earlier web-1, pod of another uid → stale', policy: retention('Delete', 'Delete'), refs: [{ ...podRef, uid: 'old' }], podUid: 'pod-uid', stale: true },
    { story: 'whenScaled Delete, owned by this very pod → not stale', policy: retention('Delete', 'Retain'), refs: [podRef], podUid: 'pod-uid', stale: false },
    { story: 'whenScaled Delete, owned by other objects only → not stale', policy: retention('Delete', 'Retain'), refs: [setRef, ...others], podUid: '', stale: false },
    { story: 'whenScaled Delete, no owners → not stale', policy: retention('Delete', 'Retain'), refs: [], podUid: '', stale: false },
    // hasStaleOwnerRef compares name and uid only, whatever the kind.
    { story: 'whenScaled Delete, any kind named web-1 with another uid → stale', policy: retention('Delete', 'Retain'), refs: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'web-1', uid: 'cm' }], podUid: 'pod-uid', stale: true },
  ])('$story', ({ policy, refs, podUid, stale }) => {
    expect(isClaimStale(claim(refs), 'web-1', podUid, policy)).toBe(stale);
  });
});
