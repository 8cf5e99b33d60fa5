import { allocateByMinMax, minMaxBounds, type MinMaxBounds } from './allocateByMinMax.js';
import type { AllocationInput, SubsetAllocation, SubsetAllocationReason } from './subsetAllocation.js';

/**
 * Returns each subset's replicas by OpenKruise's elastic allocator (some subset has
 * `minReplicas` or `maxReplicas`), and, with `adaptive`, by its Adaptive schedule strategy on top:
 * bounds from {@link minMaxBounds} (of `spec.replicas`, default 1), then {@link allocateByMinMax}
 * (minimums first in subset order, then up to the maximums in subset order). Adaptive adjusts the
 * bounds first with the running pods of each existing subset (`status.replicas` minus the pods
 * pending past `rescheduleCriticalSeconds`): an unschedulable subset gets at most its running pods
 * (min and max lowered to them: its pending pods move elsewhere), a schedulable one keeps its
 * running pods (min raised to them, up to its max). Refused when a minimum is above its maximum.
 *
 * @example replicas 9, subsets a (min 2, max 4), b (min 2) → { a: 4, b: 5 } (a 2, b 2, then a up to 4, b the rest)
 * @example Adaptive, replicas 10, a (min 2, max 4) unschedulable with 4 pods of which 3 pending, b → { a: 1, b: 9 }
 */
export function allocateElasticReplicas(input: AllocationInput, adaptive: boolean): SubsetAllocation {
  const allocator = adaptive ? 'adaptive' : 'elastic';
  const replicas = input.replicas ?? 1;
  const raw = minMaxBounds(replicas, input.subsets);
  if ('invalidIndex' in raw) return { kind: 'invalid', allocator, reason: 'min-above-max', message: `subset[${String(raw.invalidIndex)}].maxReplicas must be more than or equal to minReplicas` };
  const reasons: Record<string, SubsetAllocationReason> = {};
  const bounds: MinMaxBounds = adaptive ? adaptiveBounds(input, raw, reasons) : raw;
  const names = input.subsets.map((s) => s.name);
  const result = allocateByMinMax(replicas, bounds, names);
  for (const name of names) reasons[name] ??= (result[name] ?? 0) > (bounds.min[name] ?? 0) ? 'filled' : 'minimum';
  return { kind: 'allocated', allocator, replicas: result, reasons };
}

function adaptiveBounds(input: AllocationInput, raw: MinMaxBounds, reasons: Record<string, SubsetAllocationReason>): MinMaxBounds {
  const min = { ...raw.min };
  const max = { ...raw.max };
  for (const { name } of input.subsets) {
    const existing = input.existing[name];
    // A subset without a child yet is schedulable and runs nothing.
    const running = existing === undefined ? 0 : existing.statusReplicas - existing.pendingPods;
    const unschedulable = existing?.unschedulable === true;
    if (unschedulable) {
      min[name] = Math.min(running, min[name] ?? 0);
      max[name] = Math.min(running, max[name] ?? 0);
      reasons[name] = 'unschedulable-capped';
    } else if (running > (min[name] ?? 0)) {
      min[name] = Math.min(running, max[name] ?? 0);
      reasons[name] = 'running-kept';
    }
  }
  return { min, max };
}
