import {
  matchesLabelSelector,
  parseCloneSet,
  withCloneSetDefaults,
  type CloneSet,
  type ControllerRevision,
  type FieldProblem,
  type NodeLabels,
  type PersistentVolumeClaim,
  type Pod,
} from '@kruise-ts/core';
import type { KubeObject, Node, ObjectStore } from '@kruise-ts/k8s-adapter';
import { OWNER_INDEX } from '@kruise-ts/k8s-adapter';

/** The caches a CloneSet reconcile reads (informer stores; never the network). */
export interface CloneSetCaches {
  readonly cloneSets: ObjectStore<CloneSet & KubeObject>;
  readonly pods: ObjectStore<Pod & KubeObject>;
  readonly pvcs: ObjectStore<PersistentVolumeClaim & KubeObject>;
  readonly revisions: ObjectStore<ControllerRevision & KubeObject>;
  /** Nodes, for scale-down by topology spread (optional). */
  readonly nodes?: ObjectStore<Node> | undefined;
}

/** What the CloneSet controller sees of one CloneSet in its caches. */
export type CloneSetObservation =
  | { readonly kind: 'gone' }
  | { readonly kind: 'deleting' }
  | { readonly kind: 'invalid'; readonly object: CloneSet & KubeObject; readonly problems: readonly FieldProblem[] }
  | {
      readonly kind: 'observed';
      /** The CloneSet as stored. */
      readonly object: CloneSet & KubeObject;
      /** The CloneSet with OpenKruise's defaults applied (what the algorithms read). */
      readonly cloneSet: CloneSet;
      /** Pods it controls and whose labels match its selector. */
      readonly pods: readonly Pod[];
      /** Pods matching its selector that no controller owns: to adopt. */
      readonly orphans: readonly Pod[];
      /** Pods it controls that no longer match its selector: to release. */
      readonly strays: readonly Pod[];
      readonly pvcs: readonly PersistentVolumeClaim[];
      readonly revisions: readonly ControllerRevision[];
      readonly nodeLabels: NodeLabels;
    };

const controllerUid = (object: KubeObject): string | undefined => object.metadata.ownerReferences?.find((o) => o.controller === true)?.uid;

/**
 * Returns what the caches hold for the CloneSet `key` (`namespace/name`): the CloneSet with its
 * defaults, the pods it controls split by whether they still match its selector, orphans it may
 * adopt, its PVCs and ControllerRevisions, and node labels.
 */
export function observeCloneSet(caches: CloneSetCaches, key: { namespace: string; name: string }): CloneSetObservation {
  const object = caches.cloneSets.get(key);
  if (object === undefined) return { kind: 'gone' };
  if (object.metadata.deletionTimestamp !== undefined) return { kind: 'deleting' };
  const parsed = parseCloneSet(object);
  if (parsed.kind === 'invalid') return { kind: 'invalid', object, problems: parsed.problems };
  const cloneSet = withCloneSetDefaults(parsed.value);
  const uid = object.metadata.uid ?? '';
  const matches = (pod: Pod): boolean => matchesLabelSelector(cloneSet.spec.selector, pod.metadata.labels ?? {});
  const owned = caches.pods.byIndex(OWNER_INDEX, uid);
  const orphans = caches.pods
    .list(key.namespace)
    .filter((pod) => controllerUid(pod) === undefined && pod.metadata.deletionTimestamp === undefined && matches(pod));
  const nodeLabels: Record<string, Readonly<Record<string, string>>> = {};
  for (const node of caches.nodes?.list() ?? []) nodeLabels[node.metadata.name ?? ''] = node.metadata.labels ?? {};
  return {
    kind: 'observed',
    object,
    cloneSet,
    pods: owned.filter(matches),
    orphans,
    strays: owned.filter((pod) => !matches(pod)),
    pvcs: caches.pvcs.byIndex(OWNER_INDEX, uid),
    revisions: caches.revisions.byIndex(OWNER_INDEX, uid),
    nodeLabels,
  };
}
