import type { Pod } from '../api/pod.js';
import type { WorkloadSpreadSubset } from '../api/workloadSpread.js';
import { isPodActive } from '../shared/podState.js';
import { sortActivePods } from '../workload/podSorter.js';
import { subsetCap } from './subsetMaxReplicas.js';

/** OpenKruise's `PodDeletionCostPositive` (kept pods) and `PodDeletionCostNegative` (pods over the cap). */
export const WORKLOADSPREAD_DELETION_COST_POSITIVE = 100;
export const WORKLOADSPREAD_DELETION_COST_NEGATIVE = -100;

/** One pod's wanted `controller.kubernetes.io/pod-deletion-cost`. */
export interface PodDeletionCost {
  readonly pod: string;
  /** The annotation value, e.g. `"300"` or `"-100"`. */
  readonly cost: string;
}

/** What {@link planSubsetDeletionCost} reads. */
export interface SubsetDeletionCostInput {
  /** The subset, or `undefined` for the pods that match no subset. */
  readonly subset: WorkloadSpreadSubset | undefined;
  /** Position of the subset (the number of subsets for the pods that match none). */
  readonly index: number;
  readonly subsetCount: number;
  readonly pods: readonly Pod[];
  readonly workloadReplicas: number;
}

/**
 * Returns the deletion cost of a subset's active pods (OpenKruise's `syncSubsetPodDeletionCost`), so
 * that scale-in removes pods from the last subsets first and from overfull subsets before all: a
 * subset within its cap (or uncapped) gives its pods 100 × (subsets − index); a subset over its cap
 * gives the pods scale-down would take first (ActivePods order) −100 × (index + 1), as many as it is
 * over, and the rest 100 × (subsets − index); pods matching no subset all get −100 × (subsets + 1).
 *
 * @example subsets a (max 10), b (max 10), c (no max) with 20, 20, 20 pods →
 *   a: 10 × "300" + 10 × "-100", b: 10 × "200" + 10 × "-200", c: 20 × "100"
 */
export function planSubsetDeletionCost(input: SubsetDeletionCostInput): readonly PodDeletionCost[] {
  const active = input.pods.filter(isPodActive);
  const positive = String(WORKLOADSPREAD_DELETION_COST_POSITIVE * (input.subsetCount - input.index));
  const negative = String(WORKLOADSPREAD_DELETION_COST_NEGATIVE * (input.index + 1));
  const name = (pod: Pod): string => pod.metadata.name ?? '';
  if (input.subset === undefined) return active.map((pod) => ({ pod: name(pod), cost: negative }));
  const cap = subsetCap(input.subset, input.workloadReplicas);
  if (cap.kind === 'invalid') return [];
  if (cap.kind === 'unlimited' || active.length <= cap.max) return active.map((pod) => ({ pod: name(pod), cost: positive }));
  const over = active.length - cap.max;
  return sortActivePods(active).map((pod, i) => ({ pod: name(pod), cost: i < over ? negative : positive }));
}
