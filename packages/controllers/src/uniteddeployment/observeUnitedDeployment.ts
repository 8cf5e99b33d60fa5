import { matchesLabelSelector, parseUnitedDeployment, type ControllerRevision, type Pod, type SubsetChild, type UnitedDeployment } from '@kruise-ts/core';
import { OWNER_INDEX, type KubeObject, type ObjectStore } from '@kruise-ts/k8s-adapter';
import { parseObjectKey } from '../runtime/watches.js';
import type { WorkloadObservation } from '../workload/reconcileWorkload.js';

/** The caches a UnitedDeployment reconcile reads (informer stores; never the network). */
export interface UnitedDeploymentCaches {
  readonly unitedDeployments: ObjectStore<UnitedDeployment & KubeObject>;
  /** One store per child kind (CloneSet, Advanced StatefulSet, apps/v1 StatefulSet, Deployment). */
  readonly children: readonly ObjectStore<KubeObject>[];
  readonly pods: ObjectStore<Pod & KubeObject>;
  readonly revisions: ObjectStore<ControllerRevision & KubeObject>;
}

/** What a UnitedDeployment pass reads: everything of `UnitedDeploymentSnapshot` but the moment. */
export interface ObservedUnitedDeployment {
  readonly unitedDeployment: UnitedDeployment;
  readonly children: readonly SubsetChild[];
  readonly pods: readonly Pod[];
  readonly revisions: readonly ControllerRevision[];
}

/**
 * Returns what the caches hold for the UnitedDeployment `namespacedName`: the object (read as
 * v1beta1), the workload objects of every child kind it controls (controller reference), the pods
 * of its namespace its selector matches, and the ControllerRevisions it owns.
 */
export function observeUnitedDeployment(caches: UnitedDeploymentCaches, namespacedName: string): WorkloadObservation<ObservedUnitedDeployment> {
  const object = caches.unitedDeployments.get(parseObjectKey(namespacedName));
  if (object === undefined) return { kind: 'gone' };
  if (object.metadata.deletionTimestamp !== undefined) return { kind: 'deleting' };
  const parsed = parseUnitedDeployment(object);
  if (parsed.kind === 'invalid') return { kind: 'invalid', object, problems: parsed.problems };
  const ud = parsed.value;
  const uid = object.metadata.uid ?? '';
  const children = caches.children.flatMap((store) => store.byIndex(OWNER_INDEX, uid)) as unknown as SubsetChild[];
  const pods = caches.pods.list(object.metadata.namespace).filter((pod) => matchesLabelSelector(ud.spec.selector, pod.metadata.labels ?? {}));
  // The pass writes no pod: no pod's resourceVersion gates it.
  return { kind: 'observed', object, observed: { unitedDeployment: ud, children, pods, revisions: caches.revisions.byIndex(OWNER_INDEX, uid) }, podUids: [] };
}
