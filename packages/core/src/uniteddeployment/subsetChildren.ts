import { SUBSET_NAME_LABEL } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import { scaledValueFromIntOrPercent, type IntOrPercent } from '../shared/intOrPercent.js';
import { matchesLabelSelector, type LabelSelector } from '../shared/selector.js';
import type { OwnedObject } from '../workload/workloadEffect.js';

/** A child workload as the pass reads it: an owned object with its stored name and uid. */
export type SubsetChild = OwnedObject;

type Json = Record<string, unknown>;
const specOf = (child: SubsetChild): Json => (child.spec ?? {}) as Json;
const statusOf = (child: SubsetChild): Json => (child.status ?? {}) as Json;
const count = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** Returns the subset a child belongs to (its `apps.kruise.io/subset-name` label), or undefined. */
export function childSubsetName(child: SubsetChild): string | undefined {
  const name = child.metadata.labels?.[SUBSET_NAME_LABEL];
  return name === undefined || name === '' ? undefined : name;
}

/** Returns a child's `spec.replicas` (1 when unset, as the apiserver defaults it). */
export function childSpecReplicas(child: SubsetChild): number {
  const replicas = specOf(child)['replicas'];
  return typeof replicas === 'number' ? replicas : 1;
}

/** Returns a child's `status.replicas` and `status.readyReplicas` (0 when unset). */
export function childStatusReplicas(child: SubsetChild): { readonly replicas: number; readonly readyReplicas: number } {
  const status = statusOf(child);
  return { replicas: count(status['replicas']), readyReplicas: count(status['readyReplicas']) };
}

/**
 * Returns the partition a child has: `updateStrategy.rollingUpdate.partition` of a v1beta1
 * CloneSet (a percentage of its replicas, rounded up) or a StatefulSet; 0 for a Deployment or
 * none set.
 *
 * @example CloneSet { replicas: 5, updateStrategy: { rollingUpdate: { partition: '50%' } } } → 3
 */
export function childPartition(child: SubsetChild): number {
  const strategy = (specOf(child)['updateStrategy'] ?? {}) as Json;
  const value = ((strategy['rollingUpdate'] ?? {}) as Json)['partition'];
  if (value === undefined) return 0;
  const scaled = scaledValueFromIntOrPercent(value as IntOrPercent, childSpecReplicas(child), true);
  return scaled.kind === 'scaled' ? scaled.value : 0;
}

/**
 * Returns the pods of a subset: those in the pass whose labels match the UnitedDeployment
 * selector narrowed to the subset (the child's selector).
 *
 * @example selector app=web, subset zone-a → pods labelled app=web and apps.kruise.io/subset-name=zone-a
 */
export function subsetPods(pods: readonly Pod[], selector: LabelSelector, subsetName: string): Pod[] {
  const narrowed = { ...selector, matchLabels: { ...selector.matchLabels, [SUBSET_NAME_LABEL]: subsetName } };
  return pods.filter((pod) => matchesLabelSelector(narrowed, pod.metadata.labels ?? {}));
}
