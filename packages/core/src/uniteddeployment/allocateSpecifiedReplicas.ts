import { parseSubsetReplicas } from '../api/parseSubsetReplicas.js';
import type { AllocationInput, SubsetAllocation, SubsetAllocationReason } from './subsetAllocation.js';

interface Entry {
  readonly name: string;
  replicas: number;
  specified: boolean;
}

/**
 * Returns each subset's replicas by OpenKruise's specific allocator (no min/max anywhere): a
 * subset with `replicas` gets that count (a percentage of `spec.replicas`, half rounded up; an
 * unreadable value is ignored as OpenKruise logs and skips it); the rest is shared evenly by the
 * others, the remainder going one each to those with the most replicas now (subsets sorted by
 * current replicas, then name; the last ones get the extra). With `spec.replicas` unset every
 * subset must say its replicas. Refused when the specified sum is above the total, or below it
 * with every subset specified.
 *
 * @example replicas 10, subsets a '20%', b 3, c → { a: 2, b: 3, c: 5 }
 * @example replicas 5, four unspecified subsets now at 1, 4, 2, 2 (t1..t4) → { t1: 1, t3: 1, t4: 1, t2: 2 }
 */
export function allocateSpecifiedReplicas(input: AllocationInput): SubsetAllocation {
  const total = input.replicas ?? -1;
  const specified = new Map<string, number>();
  for (const subset of input.subsets) {
    if (subset.replicas === undefined) continue;
    const parsed = parseSubsetReplicas(total, subset.replicas);
    if (parsed.kind === 'count') specified.set(subset.name, parsed.value);
  }
  const entries: Entry[] = input.subsets.map((s) => ({ name: s.name, replicas: input.existing[s.name]?.specReplicas ?? 0, specified: false }));
  entries.sort((a, b) => a.replicas - b.replicas || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const sum = [...specified.values()].reduce((a, b) => a + b, 0);
  const count = entries.filter((e) => specified.has(e.name)).length;
  if (total !== -1 && sum > total) return invalid('specified-above-total', `specified subsets' replica (${String(sum)}) is greater than UnitedDeployment replica (${String(total)})`);
  if (total !== -1 && sum < total && count === entries.length) return invalid('specified-below-total', `specified subsets' replica (${String(sum)}) is less than UnitedDeployment replica (${String(total)})`);
  if (total === -1 && count !== entries.length) return invalid('replicas-unset', 'all subsets must be specified when UnitedDeployment replica is unspecified');
  for (const entry of entries) {
    const value = specified.get(entry.name);
    if (value !== undefined) Object.assign(entry, { replicas: value, specified: true });
  }
  shareRest(entries, total - sum);
  const replicas = Object.fromEntries(entries.map((e) => [e.name, e.replicas]));
  const reasons = Object.fromEntries(entries.map((e): [string, SubsetAllocationReason] => [e.name, e.specified ? 'specified' : 'rest-shared']));
  return { kind: 'allocated', allocator: 'specific', replicas, reasons };
}

// The even share goes from the end of the sorted list, so the remainder lands on the subsets
// that have the most replicas now (fewer pods move).
function shareRest(entries: Entry[], rest: number): void {
  const open = entries.filter((e) => !e.specified);
  if (open.length === 0) return;
  const average = Math.trunc(rest / open.length);
  let remainder = rest % open.length;
  for (const entry of [...open].reverse()) {
    entry.replicas = remainder > 0 ? average + 1 : average;
    if (remainder > 0) remainder--;
  }
}

function invalid(reason: Extract<SubsetAllocation, { kind: 'invalid' }>['reason'], message: string): SubsetAllocation {
  return { kind: 'invalid', allocator: 'specific', reason, message };
}
