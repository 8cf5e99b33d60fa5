import { minMaxBounds } from './allocateByMinMax.js';
import { UNBOUNDED, type AllocationInput, type ObservedSubsetReplicas, type SubsetAllocation, type SubsetAllocationReason } from './subsetAllocation.js';

/** Returns whether new replicas may go to a subset: it is schedulable now and was before this pass. */
export function isSubsetAllocatable(subset: ObservedSubsetReplicas | undefined): boolean {
  return subset === undefined || (!subset.unschedulable && !subset.previouslyUnschedulable);
}

interface Bucket {
  /** Replicas given so far. */
  replicas: number;
  /** How many more may count against the total (an unschedulable subset's reserved pods do not). */
  left: number;
}

// Raises a subset to `to` (or lowers it, when `to` is below what it has), taking at most `rest`;
// returns how many of them count against the total.
function raise(bucket: Bucket, to: number, rest: number): number {
  const add = Math.min(to - bucket.replicas, rest);
  bucket.replicas += add;
  bucket.left -= add;
  return Math.max(0, Math.min(0, bucket.left) + add);
}

/**
 * Returns each subset's replicas by OpenKruise's reservation allocator (Adaptive with
 * `reserveUnschedulablePods`): the pods of an unschedulable subset are kept (reserved) and
 * substitutes are created in the other subsets. An unschedulable (or just recovered) subset keeps
 * its current replicas but only its pods that are not reserved count against the total; the
 * others are filled, minimums first in subset order, then up to their maximums (an unschedulable
 * subset "up to" its current replicas), until `spec.replicas` (default 0) are running or about to.
 *
 * @example replicas 2, subsets a, b, c (no bounds); a unschedulable with 2 replicas, 2 reserved → { a: 2, b: 2, c: 0 }
 *   (a keeps its 2 reserved pods, which do not count; b gets the 2 substitutes)
 */
export function allocateReservedReplicas(input: AllocationInput): SubsetAllocation {
  const replicas = input.replicas ?? 0;
  const bounds = minMaxBounds(replicas, input.subsets);
  if ('invalidIndex' in bounds) return { kind: 'invalid', allocator: 'reservation', reason: 'min-above-max', message: `subset[${String(bounds.invalidIndex)}].maxReplicas(${String(bounds.max)}) must be more than or equal to minReplicas(${String(bounds.min)})` };
  const names = input.subsets.map((s) => s.name);
  const buckets = new Map<string, Bucket>(
    names.map((name) => {
      const existing = input.existing[name];
      return [name, { replicas: 0, left: isSubsetAllocatable(existing) ? UNBOUNDED : (existing?.specReplicas ?? 0) - (existing?.reservedPods ?? 0) }];
    }),
  );
  let rest = replicas;
  const fill = (target: (name: string) => number): boolean => {
    for (const name of names) {
      rest -= raise(buckets.get(name) as Bucket, target(name), rest);
      if (rest <= 0) return true;
    }
    return false;
  };
  if (!fill((name) => bounds.min[name] ?? 0)) {
    fill((name) => {
      const existing = input.existing[name];
      return existing?.unschedulable === true ? existing.specReplicas : (bounds.max[name] ?? 0);
    });
  }
  const result = Object.fromEntries(names.map((name) => [name, buckets.get(name)?.replicas ?? 0]));
  const reasons = Object.fromEntries(
    names.map((name): [string, SubsetAllocationReason] => [name, !isSubsetAllocatable(input.existing[name]) ? 'reserved' : (result[name] ?? 0) > (bounds.min[name] ?? 0) ? 'filled' : 'minimum']),
  );
  return { kind: 'allocated', allocator: 'reservation', replicas: result, reasons };
}
