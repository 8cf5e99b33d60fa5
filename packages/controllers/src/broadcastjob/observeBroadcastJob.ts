import { parseBroadcastJob, type BroadcastJob, type Node, type Pod } from '@kruise-ts/core';
import { OWNER_INDEX, type KubeObject, type ObjectStore } from '@kruise-ts/k8s-adapter';
import { parseObjectKey } from '../runtime/watches.js';
import type { WorkloadObservation } from '../workload/reconcileWorkload.js';

/** The caches a BroadcastJob reconcile reads (informer stores; never the network). */
export interface BroadcastJobCaches {
  readonly jobs: ObjectStore<BroadcastJob & KubeObject>;
  readonly pods: ObjectStore<Pod & KubeObject>;
  /** Every node of the cluster (cluster-scoped, whatever namespace the controller watches). */
  readonly nodes: ObjectStore<KubeObject>;
}

/** What a BroadcastJob pass reads: everything of `BroadcastJobSnapshot` but the moment and the name suffixes. */
export interface ObservedBroadcastJob {
  readonly job: BroadcastJob;
  /** The pods it controls (by the owner index: the uid of their controller reference). */
  readonly pods: readonly Pod[];
  readonly nodes: readonly Node[];
}

/**
 * Returns what the caches hold for the BroadcastJob `namespacedName`: the job (a v1alpha1 object
 * read through conversion), the pods it controls, and every node.
 */
export function observeBroadcastJob(caches: BroadcastJobCaches, namespacedName: string): WorkloadObservation<ObservedBroadcastJob> {
  const object = caches.jobs.get(parseObjectKey(namespacedName));
  if (object === undefined) return { kind: 'gone' };
  if (object.metadata.deletionTimestamp !== undefined) return { kind: 'deleting' };
  const parsed = parseBroadcastJob(object);
  if (parsed.kind === 'invalid') return { kind: 'invalid', object, problems: parsed.problems };
  const pods = caches.pods.byIndex(OWNER_INDEX, object.metadata.uid ?? '');
  return {
    kind: 'observed',
    object,
    observed: { job: parsed.value, pods, nodes: caches.nodes.list() },
    podUids: pods.map((pod) => pod.metadata.uid ?? ''),
  };
}
