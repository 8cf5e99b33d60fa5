import { isStatefulSetMember, matchesLabelSelector, parseStatefulPodName, parseStatefulSet, type ControllerRevision, type PersistentVolumeClaim, type Pod, type StatefulSet, type StorageClassInfo } from '@kruise-ts/core';
import { OWNER_INDEX, type KubeObject, type ObjectStore, type StorageClass } from '@kruise-ts/k8s-adapter';
import type { WorkloadObservation } from '../workload/reconcileWorkload.js';
import { parseObjectKey } from '../runtime/watches.js';

/** The caches an Advanced StatefulSet reconcile reads (informer stores; never the network). */
export interface StatefulSetCaches {
  readonly statefulSets: ObjectStore<StatefulSet & KubeObject>;
  readonly pods: ObjectStore<Pod & KubeObject>;
  readonly pvcs: ObjectStore<PersistentVolumeClaim & KubeObject>;
  readonly revisions: ObjectStore<ControllerRevision & KubeObject>;
  /** StorageClasses, with StatefulSetAutoResizePVCGate only (PVC expansion reads allowVolumeExpansion). */
  readonly storageClasses?: ObjectStore<StorageClass> | undefined;
}

/** What an Advanced StatefulSet pass reads: everything of `StatefulSetSnapshot` but the moment and the knobs. */
export interface ObservedStatefulSet {
  readonly statefulSet: StatefulSet;
  /** Pods it controls, and orphans named `<set>-<n>` its selector matches (the planner adopts them). */
  readonly pods: readonly Pod[];
  /** PVCs named `<claim>-<set>-<n>` after its claim templates. */
  readonly pvcs: readonly PersistentVolumeClaim[];
  readonly revisions: readonly ControllerRevision[];
  readonly storageClasses: readonly StorageClassInfo[];
}

/** Returns whether a PVC is named `<claim>-<set>-<ordinal>` after one of the set's claim templates. */
export function isClaimOfSet(set: StatefulSet, pvc: PersistentVolumeClaim): boolean {
  const setName = set.metadata?.name ?? '';
  const { parent, ordinal } = parseStatefulPodName(pvc.metadata.name ?? '');
  if (ordinal < 0) return false;
  return (set.spec.volumeClaimTemplates ?? []).some((claim) => parent === `${claim.metadata.name ?? ''}-${setName}`);
}

/**
 * Returns what the caches hold for the Advanced StatefulSet `namespacedName`: the set, the pods
 * it controls plus the orphans it may adopt (as Kubernetes' `ClaimPods`: no controller, named
 * after the set, matching its selector), the PVCs of its claim templates, and the
 * ControllerRevisions it owns.
 */
export function observeStatefulSet(caches: StatefulSetCaches, namespacedName: string): WorkloadObservation<ObservedStatefulSet> {
  const object = caches.statefulSets.get(parseObjectKey(namespacedName));
  if (object === undefined) return { kind: 'gone' };
  if (object.metadata.deletionTimestamp !== undefined) return { kind: 'deleting' };
  const parsed = parseStatefulSet(object);
  if (parsed.kind === 'invalid') return { kind: 'invalid', object, problems: parsed.problems };
  const set = parsed.value;
  const uid = object.metadata.uid ?? '';
  const namespace = object.metadata.namespace ?? '';
  const name = object.metadata.name ?? '';
  const owned = caches.pods.byIndex(OWNER_INDEX, uid);
  const orphans = caches.pods
    .list(namespace)
    .filter((pod) => isStatefulSetMember(name, pod) && !(pod.metadata.ownerReferences ?? []).some((ref) => ref.controller === true) && matchesLabelSelector(set.spec.selector, pod.metadata.labels ?? {}));
  const pods = [...owned, ...orphans];
  const pvcs = (set.spec.volumeClaimTemplates ?? []).length === 0 ? [] : caches.pvcs.list(namespace).filter((pvc) => isClaimOfSet(set, pvc));
  return {
    kind: 'observed',
    object,
    observed: {
      statefulSet: set,
      pods,
      pvcs,
      revisions: caches.revisions.byIndex(OWNER_INDEX, uid),
      storageClasses: (caches.storageClasses?.list() ?? []).map((sc) => ({ name: sc.metadata.name ?? '', allowVolumeExpansion: sc.allowVolumeExpansion === true })),
    },
    podUids: pods.map((pod) => pod.metadata.uid ?? ''),
  };
}
