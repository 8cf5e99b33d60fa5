import { parseCloneSet, type CloneSet, type ControllerRevision, type NodeLabels, type PersistentVolumeClaim, type Pod } from '@kruise-ts/core';
import { OWNER_INDEX, type KubeObject, type Node, type ObjectStore } from '@kruise-ts/k8s-adapter';
import type { WorkloadObservation } from '../workload/reconcileWorkload.js';

/** The caches a CloneSet reconcile reads (informer stores; never the network). */
export interface CloneSetCaches {
  readonly cloneSets: ObjectStore<CloneSet & KubeObject>;
  readonly pods: ObjectStore<Pod & KubeObject>;
  readonly pvcs: ObjectStore<PersistentVolumeClaim & KubeObject>;
  readonly revisions: ObjectStore<ControllerRevision & KubeObject>;
  /** Nodes, for scale-down by topology spread (optional). */
  readonly nodes?: ObjectStore<Node> | undefined;
}

/** What a CloneSet pass reads: everything of `CloneSetSnapshot` but the moment and the knobs. */
export interface ObservedCloneSet {
  /** The CloneSet as stored (the pass applies the defaults). */
  readonly cloneSet: CloneSet;
  /** Pods whose controller is this CloneSet (matching its selector or not: the planner releases strays). */
  readonly pods: readonly Pod[];
  readonly pvcs: readonly PersistentVolumeClaim[];
  readonly revisions: readonly ControllerRevision[];
  readonly nodeLabels: NodeLabels;
}

const key = (text: string): { namespace: string; name: string } => {
  const slash = text.indexOf('/');
  return slash < 0 ? { namespace: '', name: text } : { namespace: text.slice(0, slash), name: text.slice(slash + 1) };
};

/**
 * Returns what the caches hold for the CloneSet `namespacedName`: the CloneSet with its
 * defaults, the pods, PVCs and ControllerRevisions it owns (by the owner index: as OpenKruise,
 * a CloneSet never adopts orphans), and node labels.
 */
export function observeCloneSet(caches: CloneSetCaches, namespacedName: string): WorkloadObservation<ObservedCloneSet> {
  const object = caches.cloneSets.get(key(namespacedName));
  if (object === undefined) return { kind: 'gone' };
  if (object.metadata.deletionTimestamp !== undefined) return { kind: 'deleting' };
  const parsed = parseCloneSet(object);
  if (parsed.kind === 'invalid') return { kind: 'invalid', object, problems: parsed.problems };
  const uid = object.metadata.uid ?? '';
  const pods = caches.pods.byIndex(OWNER_INDEX, uid);
  const nodeLabels: Record<string, Readonly<Record<string, string>>> = {};
  for (const node of caches.nodes?.list() ?? []) nodeLabels[node.metadata.name ?? ''] = node.metadata.labels ?? {};
  return {
    kind: 'observed',
    object,
    observed: {
      cloneSet: parsed.value,
      pods,
      pvcs: caches.pvcs.byIndex(OWNER_INDEX, uid),
      revisions: caches.revisions.byIndex(OWNER_INDEX, uid),
      nodeLabels,
    },
    podUids: pods.map((pod) => pod.metadata.uid ?? ''),
  };
}
