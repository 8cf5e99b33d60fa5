import { matchesLabelSelector, parseDaemonSet, withDaemonSetSurgingDefaults, type ControllerRevision, type DaemonSet, type Node, type Pod } from '@kruise-ts/core';
import { OWNER_INDEX, type KubeObject, type ObjectStore } from '@kruise-ts/k8s-adapter';
import type { WorkloadObservation } from '../workload/reconcileWorkload.js';
import { parseObjectKey } from '../runtime/watches.js';

/** The caches an Advanced DaemonSet reconcile reads (informer stores; never the network). */
export interface DaemonSetCaches {
  readonly daemonSets: ObjectStore<DaemonSet & KubeObject>;
  readonly pods: ObjectStore<Pod & KubeObject>;
  readonly revisions: ObjectStore<ControllerRevision & KubeObject>;
  /** Every node of the cluster (cluster-scoped, whatever namespace the controller watches). */
  readonly nodes: ObjectStore<KubeObject>;
}

/** What an Advanced DaemonSet pass reads: everything of `DaemonSetSnapshot` but the moment and the controller's state. */
export interface ObservedDaemonSet {
  readonly daemonSet: DaemonSet;
  /** Pods it controls, and orphans of its namespace its selector matches (the planner adopts them). */
  readonly pods: readonly Pod[];
  readonly nodes: readonly Node[];
  readonly revisions: readonly ControllerRevision[];
}

const hasController = (pod: Pod): boolean => (pod.metadata.ownerReferences ?? []).some((ref) => ref.controller === true);

/**
 * Returns what the caches hold for the Advanced DaemonSet `namespacedName`: the set (a v1alpha1
 * object read through conversion), the pods it controls plus the orphans its selector matches
 * (Kubernetes' `ClaimPods`), every node, and the ControllerRevisions it owns.
 */
export function observeDaemonSet(caches: DaemonSetCaches, namespacedName: string): WorkloadObservation<ObservedDaemonSet> {
  const object = caches.daemonSets.get(parseObjectKey(namespacedName));
  if (object === undefined) return { kind: 'gone' };
  if (object.metadata.deletionTimestamp !== undefined) return { kind: 'deleting' };
  const parsed = parseDaemonSet(object, { beforeConversion: withDaemonSetSurgingDefaults });
  if (parsed.kind === 'invalid') return { kind: 'invalid', object, problems: parsed.problems };
  const set = parsed.value;
  const uid = object.metadata.uid ?? '';
  const owned = caches.pods.byIndex(OWNER_INDEX, uid);
  const orphans = caches.pods.list(object.metadata.namespace ?? '').filter((pod) => !hasController(pod) && matchesLabelSelector(set.spec.selector, pod.metadata.labels ?? {}));
  const pods = [...owned, ...orphans];
  return {
    kind: 'observed',
    object,
    observed: { daemonSet: set, pods, nodes: caches.nodes.list(), revisions: caches.revisions.byIndex(OWNER_INDEX, uid) },
    podUids: pods.map((pod) => pod.metadata.uid ?? ''),
  };
}
