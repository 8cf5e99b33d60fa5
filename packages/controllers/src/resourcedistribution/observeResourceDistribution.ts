import { parseResourceDistribution, validateResourceDistribution, type ExistingResource, type FieldProblem, type NamespaceView, type ResourceDistribution } from '@kruise-ts/core';
import type { KubeObject, Namespace, ObjectStore } from '@kruise-ts/k8s-adapter';

/** The caches a ResourceDistribution reconcile reads (informer stores; never the network). */
export interface ResourceDistributionCaches {
  readonly distributions: ObjectStore<ResourceDistribution & KubeObject>;
  readonly namespaces: ObjectStore<Namespace>;
  /** Secrets (only copies keep their data, see `distributedCopyView`). */
  readonly secrets: ObjectStore<KubeObject>;
  readonly configMaps: ObjectStore<KubeObject>;
}

/** What the caches hold for one ResourceDistribution. */
export type ResourceDistributionObservation =
  | { readonly kind: 'gone' }
  | { readonly kind: 'deleting' }
  | { readonly kind: 'invalid'; readonly object: KubeObject; readonly problems: readonly FieldProblem[] }
  | {
      readonly kind: 'observed';
      readonly object: KubeObject;
      readonly rd: ResourceDistribution;
      /** The store of the resource's kind (Secrets or ConfigMaps). */
      readonly kindStore: ObjectStore<KubeObject>;
      readonly namespaces: readonly NamespaceView[];
      /** The object of the resource's kind and name in each namespace that has one. */
      readonly existing: ReadonlyMap<string, ExistingResource>;
    };

/** Returns a namespace as a ResourceDistribution sees it: name, labels, terminating. */
export function namespaceView(ns: Namespace): NamespaceView {
  return { name: ns.metadata.name ?? '', labels: ns.metadata.labels, terminating: ns.metadata.deletionTimestamp != null };
}

/**
 * Returns what the caches hold for ResourceDistribution `name`: the distribution (a v1alpha1 one
 * read through conversion), refused when it is not valid (a distribution stored before the webhook
 * ran, or with the webhook bypassed: OpenKruise logs it and does nothing), every namespace, and the
 * object of the resource's kind and name in each namespace.
 */
export function observeResourceDistribution(caches: ResourceDistributionCaches, name: string): ResourceDistributionObservation {
  const object = caches.distributions.get({ name });
  if (object === undefined) return { kind: 'gone' };
  if (object.metadata.deletionTimestamp != null) return { kind: 'deleting' };
  const parsed = parseResourceDistribution(object);
  if (parsed.kind === 'invalid') return { kind: 'invalid', object, problems: parsed.problems };
  const problems = validateResourceDistribution(parsed.value);
  if (problems.length > 0) return { kind: 'invalid', object, problems };
  const rd = parsed.value;
  const kindStore = rd.spec.resource.kind === 'Secret' ? caches.secrets : caches.configMaps;
  const resourceName = rd.spec.resource.metadata?.name ?? '';
  const namespaces = caches.namespaces.list().map(namespaceView);
  const existing = new Map<string, ExistingResource>();
  for (const namespace of namespaces) {
    const found = kindStore.get({ namespace: namespace.name, name: resourceName });
    if (found !== undefined) existing.set(namespace.name, found);
  }
  return { kind: 'observed', object, rd, kindStore, namespaces, existing };
}
