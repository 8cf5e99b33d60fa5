import type { ResourceDistribution } from '../api/resourceDistribution.js';
import type { JsonPatchOp, ObjectRef } from '../workload/workloadEffect.js';
import { buildDistributedCopy, copyUpdatePatch, isOwnedCopy, resourceHash, type DistributedCopy, type ExistingResource } from './distributedCopy.js';
import { selectTargetNamespaces, type NamespaceView } from './selectTargetNamespaces.js';

/** What a ResourceDistribution pass reads. */
export interface ResourceDistributionSnapshot {
  /** A valid distribution (see `validateResourceDistribution`), with its uid. */
  readonly rd: ResourceDistribution;
  /** Every namespace of the cluster. */
  readonly namespaces: readonly NamespaceView[];
  /** The object of the resource's kind and name in each namespace that has one, by namespace. */
  readonly existing: ReadonlyMap<string, ExistingResource>;
}

/**
 * One namespace's outcome in a pass: a write, or why nothing is written. Targets get `create`,
 * `update`, `in-sync`, `conflict` (an object of that name it does not own: never touched) or
 * `namespace-missing`; other namespaces get `delete` (its own copy) or nothing.
 */
export type DistributionAction =
  | { readonly kind: 'create'; readonly namespace: string; readonly reason: 'copy-missing'; readonly object: DistributedCopy }
  | { readonly kind: 'update'; readonly namespace: string; readonly reason: 'copy-outdated'; readonly target: ObjectRef; readonly patch: readonly JsonPatchOp[] }
  | { readonly kind: 'delete'; readonly namespace: string; readonly reason: 'namespace-not-targeted'; readonly target: ObjectRef }
  | { readonly kind: 'in-sync'; readonly namespace: string }
  | { readonly kind: 'conflict'; readonly namespace: string; readonly reason: 'not-owned' }
  | { readonly kind: 'namespace-missing'; readonly namespace: string; readonly reason: 'not-found' | 'terminating' };

/** What one ResourceDistribution pass does. */
export interface ResourceDistributionPlan {
  /** Target namespaces (`status.desired`). */
  readonly desired: number;
  /** The hash of the resource the copies carry. */
  readonly hash: string;
  /** One action per target namespace (sorted), then the deletions in namespaces no longer targeted. */
  readonly actions: readonly DistributionAction[];
}

const refOf = (object: ExistingResource, namespace: string): ObjectRef => ({ namespace, name: object.metadata.name ?? '', uid: object.metadata.uid ?? '' });

/**
 * Returns what a ResourceDistribution pass does, as OpenKruise's reconcile: in each target
 * namespace (see `selectTargetNamespaces`) create the copy when there is none, update an owned
 * copy that differs from the source (`copyUpdatePatch`: the hash changed, or its data drifted),
 * report a conflict for an object of that name it does not own (never written), and report a
 * missing or terminating namespace; in every other existing namespace delete its own copy, and
 * leave any other object alone.
 *
 * @example namespaces a, b (team=a) and c; selector team=a; a holds an owned up-to-date copy, b a Secret of the name it does not own,
 *   c an owned copy → desired 2, actions [in-sync a, conflict b, delete c]
 */
export function planResourceDistribution(snapshot: ResourceDistributionSnapshot): ResourceDistributionPlan {
  const { rd, namespaces, existing } = snapshot;
  const targets = selectTargetNamespaces(rd.spec.targets, namespaces);
  const byName = new Map(namespaces.map((n) => [n.name, n]));
  const hash = resourceHash(rd.spec.resource);
  const distribute = (namespace: string): DistributionAction => {
    const view = byName.get(namespace);
    if (view === undefined) return { kind: 'namespace-missing', namespace, reason: 'not-found' };
    if (view.terminating === true) return { kind: 'namespace-missing', namespace, reason: 'terminating' };
    const found = existing.get(namespace);
    if (found === undefined) return { kind: 'create', namespace, reason: 'copy-missing', object: buildDistributedCopy(rd, namespace, hash) };
    if (!isOwnedCopy(found, rd)) return { kind: 'conflict', namespace, reason: 'not-owned' };
    const patch = copyUpdatePatch(rd, found, hash);
    return patch.length === 0 ? { kind: 'in-sync', namespace } : { kind: 'update', namespace, reason: 'copy-outdated', target: refOf(found, namespace), patch };
  };
  const clean = (namespace: string): DistributionAction[] => {
    const found = existing.get(namespace);
    if (found === undefined || byName.get(namespace)?.terminating === true || !isOwnedCopy(found, rd)) return [];
    return [{ kind: 'delete', namespace, reason: 'namespace-not-targeted', target: refOf(found, namespace) }];
  };
  return { desired: targets.matched.length, hash, actions: [...targets.matched.map(distribute), ...targets.unmatched.flatMap(clean)] };
}
