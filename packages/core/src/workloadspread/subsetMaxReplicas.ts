import type { WorkloadSpreadSubset } from '../api/workloadSpread.js';
import { scaledValueFromIntOrPercent } from '../shared/intOrPercent.js';

/** A subset's cap against the workload's replicas: a number, no cap, or an unreadable value. */
export type SubsetCap = { readonly kind: 'limited'; readonly max: number } | { readonly kind: 'unlimited' } | { readonly kind: 'invalid' };

/**
 * Returns a subset's `maxReplicas` against the workload's replicas, a percentage rounded up (OpenKruise's
 * `GetValueFromIntOrPercent(maxReplicas, replicas, true)`); unset = unlimited.
 *
 * @example maxReplicas '30%', replicas 10 → { kind: 'limited', max: 3 }; maxReplicas '25%', replicas 6 → 2 (1.5 up)
 */
export function subsetCap(subset: WorkloadSpreadSubset, workloadReplicas: number): SubsetCap {
  const value = subset.maxReplicas;
  if (value === undefined) return { kind: 'unlimited' };
  const scaled = scaledValueFromIntOrPercent(value, workloadReplicas, true);
  return scaled.kind === 'scaled' && scaled.value >= 0 ? { kind: 'limited', max: scaled.value } : { kind: 'invalid' };
}
