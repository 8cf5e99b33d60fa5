import { SIDECARSET_NAME_LABEL, matchesLabelSelector, parseSidecarSet, type ControllerRevision, type NamespaceLabels, type Pod, type SidecarSet } from '@kruise-ts/core';
import type { KubeObject, Namespace, ObjectStore } from '@kruise-ts/k8s-adapter';
import type { WorkloadObservation } from '../workload/reconcileWorkload.js';

/** The caches a SidecarSet reconcile reads (informer stores; never the network). */
export interface SidecarSetCaches {
  readonly sidecarSets: ObjectStore<SidecarSet & KubeObject>;
  /** Pods (all namespaces, or the controller's one). */
  readonly pods: ObjectStore<Pod & KubeObject>;
  readonly namespaces: ObjectStore<Namespace>;
  /** ControllerRevisions of the manager's namespace labelled `kruise.io/sidecarset-name`. */
  readonly revisions: ObjectStore<ControllerRevision & KubeObject>;
}

/** What a SidecarSet pass reads: everything of `SidecarSetSnapshot` but the moment and the revision namespace. */
export interface ObservedSidecarSet {
  /** The SidecarSet read by core (v1beta1), as stored (the webhook defaulted it). */
  readonly sidecarSet: SidecarSet;
  /** Pods its selector matches (core narrows them to those it injected). */
  readonly pods: readonly Pod[];
  /** Labels of every namespace, when it has a namespaceSelector (else empty). */
  readonly namespaceLabels: NamespaceLabels;
  /** Its ControllerRevisions. */
  readonly revisions: readonly ControllerRevision[];
}

/**
 * Returns what the caches hold for SidecarSet `name`: the SidecarSet, the pods its selector
 * matches (a missing or empty selector matches none), the namespace labels its namespaceSelector
 * needs, and its ControllerRevisions.
 */
export function observeSidecarSet(caches: SidecarSetCaches, name: string): WorkloadObservation<ObservedSidecarSet> {
  const object = caches.sidecarSets.get({ name });
  if (object === undefined) return { kind: 'gone' };
  if (object.metadata.deletionTimestamp !== undefined) return { kind: 'deleting' };
  const parsed = parseSidecarSet(object);
  if (parsed.kind === 'invalid') return { kind: 'invalid', object, problems: parsed.problems };
  const ss = parsed.value;
  const selector = ss.spec.selector;
  const pods = selector === undefined ? [] : caches.pods.list().filter((pod) => matchesLabelSelector(selector, pod.metadata.labels));
  const namespaceLabels: Record<string, Readonly<Record<string, string>>> = {};
  if (ss.spec.namespaceSelector !== undefined) for (const ns of caches.namespaces.list()) namespaceLabels[ns.metadata.name ?? ''] = ns.metadata.labels ?? {};
  const revisions = caches.revisions.list().filter((r) => r.metadata.labels?.[SIDECARSET_NAME_LABEL] === name);
  return { kind: 'observed', object, observed: { sidecarSet: ss, pods, namespaceLabels, revisions }, podUids: pods.map((pod) => pod.metadata.uid ?? '') };
}
