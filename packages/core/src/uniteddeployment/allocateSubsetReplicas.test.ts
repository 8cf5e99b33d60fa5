import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Subset } from '../api/unitedDeployment.js';
import { allocateByMinMax } from './allocateByMinMax.js';
import { allocateSubsetReplicas } from './allocateSubsetReplicas.js';
import type { AllocationInput, ObservedSubsetReplicas, SubsetAllocation } from './subsetAllocation.js';

const observed = (over: Partial<ObservedSubsetReplicas> = {}): ObservedSubsetReplicas => ({
  specReplicas: 0,
  statusReplicas: 0,
  readyReplicas: 0,
  pendingPods: 0,
  unschedulable: false,
  previouslyUnschedulable: false,
  reservedPods: 0,
  ...over,
});

const replicasOf = (allocation: SubsetAllocation): Readonly<Record<string, number>> => {
  if (allocation.kind !== 'allocated') throw new Error(`refused: ${allocation.message}`);
  return allocation.replicas;
};

// OpenKruise's specific allocator cases (allocator_test.go TestScaleReplicas / TestSpecifyValidReplicas /
// TestSpecifyInvalidReplicas): subsets with their current replicas, the total, the specified ones.
function specific(current: Record<string, number>, total: number | undefined, specified: Record<string, number> = {}): SubsetAllocation {
  const subsets: Subset[] = Object.keys(current).map((name) => ({ name, ...(name in specified ? { replicas: specified[name] } : {}) }));
  const existing = Object.fromEntries(Object.entries(current).map(([name, specReplicas]) => [name, observed({ specReplicas })]));
  return allocateSubsetReplicas({ replicas: total, subsets, existing });
}

describe('specific allocator (subset replicas, the rest shared)', () => {
  it.each<[string, Record<string, number>, number, Record<string, number>]>([
    ['5 over t1 1, t2 4, t3 2, t4 2', { t1: 1, t2: 4, t3: 2, t4: 2 }, 5, { t1: 1, t3: 1, t4: 1, t2: 2 }],
    ['0 over one subset', { t1: 2 }, 0, { t1: 0 }],
    ['17 over t1 1, t2 4, t3 2, t4 2', { t1: 1, t2: 4, t3: 2, t4: 2 }, 17, { t1: 4, t3: 4, t4: 4, t2: 5 }],
    ['9 over t1 2, t2 4, t3 2, t4 2', { t1: 2, t2: 4, t3: 2, t4: 2 }, 9, { t1: 2, t3: 2, t4: 2, t2: 3 }],
    ['19 over t1 0, t2 10: the remainder to the bigger one', { t1: 0, t2: 10 }, 19, { t1: 9, t2: 10 }],
    ['21 over t1 0, t2 10', { t1: 0, t2: 10 }, 21, { t1: 10, t2: 11 }],
  ])('%s', (_story, current, total, expected) => {
    expect(replicasOf(specific(current, total))).toEqual(expected);
  });

  it.each<[string, Record<string, number>, number | undefined, Record<string, number>, Record<string, number>]>([
    ['27 with t1 4, t3 4 specified', { t1: 1, t2: 4, t3: 2, t4: 2 }, 27, { t1: 4, t3: 4 }, { t1: 4, t3: 4, t4: 9, t2: 10 }],
    ['8 with t1 4, t3 4 specified: nothing left', { t1: 2, t2: 4, t3: 2, t4: 2 }, 8, { t1: 4, t3: 4 }, { t2: 0, t4: 0, t1: 4, t3: 4 }],
    ['16, every subset specified', { t1: 2, t2: 4, t3: 2, t4: 2 }, 16, { t1: 4, t2: 4, t3: 4, t4: 4 }, { t1: 4, t2: 4, t3: 4, t4: 4 }],
    ['10 with three specified', { t1: 4, t2: 2, t3: 2, t4: 2 }, 10, { t1: 1, t2: 2, t3: 3 }, { t1: 1, t2: 2, t3: 3, t4: 4 }],
    ['replicas unset, every subset specified', { t1: 4, t2: 2, t3: 2, t4: 2 }, undefined, { t1: 1, t2: 2, t3: 3, t4: 4 }, { t1: 1, t2: 2, t3: 3, t4: 4 }],
  ])('%s', (_story, current, total, specified, expected) => {
    expect(replicasOf(specific(current, total, specified))).toEqual(expected);
  });

  it.each<[string, Record<string, number>, number, Record<string, number>, string]>([
    ['specified above the total', { t1: 10, t2: 4 }, 14, { t1: 10, t2: 11 }, "specified subsets' replica (21) is greater than UnitedDeployment replica (14)"],
    ['every subset specified below the total', { t1: 10, t2: 4 }, 14, { t1: 6, t2: 6 }, "specified subsets' replica (12) is less than UnitedDeployment replica (14)"],
  ])('refuses %s (the children keep their replicas)', (_story, current, total, specified, message) => {
    expect(specific(current, total, specified)).toMatchObject({ kind: 'invalid', message });
  });

  it('takes a percentage of the total, half rounded up: 10 over zone-a 20 %, zone-b 3, zone-c → 2, 3, 5', () => {
    const subsets: Subset[] = [{ name: 'zone-a', replicas: '20%' }, { name: 'zone-b', replicas: 3 }, { name: 'zone-c' }];
    expect(allocateSubsetReplicas({ replicas: 10, subsets, existing: {} })).toEqual({
      kind: 'allocated',
      allocator: 'specific',
      replicas: { 'zone-a': 2, 'zone-b': 3, 'zone-c': 5 },
      reasons: { 'zone-a': 'specified', 'zone-b': 'specified', 'zone-c': 'rest-shared' },
    });
  });
});

describe('elastic allocator (min/max)', () => {
  // OpenKruise's TestCapacityAllocator: five subsets, min 2 each, max 5 but the last unbounded.
  it.each<[string, number, number[]]>([
    ['sum of minimums = replicas', 10, [2, 2, 2, 2, 2]],
    ['sum of minimums < replicas: the first ones filled to their maximum', 14, [5, 3, 2, 2, 2]],
    ['sum of minimums > replicas: minimums in subset order', 5, [2, 2, 1, 0, 0]],
  ])('%s', (_story, replicas, expected) => {
    const subsets: Subset[] = [0, 1, 2, 3, 4].map((i) => ({ name: `subset-${String(i)}`, minReplicas: 2, ...(i < 4 ? { maxReplicas: 5 } : {}) }));
    expect(Object.values(replicasOf(allocateSubsetReplicas({ replicas, subsets, existing: {} })))).toEqual(expected);
  });

  it('replicas 9 over (min 2, max 4) and (min 2) → 4 and 5; 5 → 3 and 2 (OpenKruise’s doc example)', () => {
    const subsets: Subset[] = [{ name: 'a', minReplicas: 2, maxReplicas: 4 }, { name: 'b', minReplicas: 2 }];
    expect(allocateSubsetReplicas({ replicas: 9, subsets, existing: {} })).toMatchObject({ allocator: 'elastic', replicas: { a: 4, b: 5 }, reasons: { a: 'filled', b: 'filled' } });
    expect(replicasOf(allocateSubsetReplicas({ replicas: 5, subsets, existing: {} }))).toEqual({ a: 3, b: 2 });
  });

  it('refuses a minimum above the maximum', () => {
    const subsets: Subset[] = [{ name: 'a', minReplicas: 4, maxReplicas: 2 }, { name: 'b' }];
    expect(allocateSubsetReplicas({ replicas: 4, subsets, existing: {} })).toMatchObject({ kind: 'invalid', reason: 'min-above-max', message: 'subset[0].maxReplicas must be more than or equal to minReplicas' });
  });
});

describe('adaptive allocator', () => {
  const adaptive = { type: 'Adaptive' } as const;
  // OpenKruise's TestAdaptiveElasticAllocator: subset-1 (min 2, max 4) unschedulable with 4 pods, some pending past the critical time.
  it.each<[number, number, number]>([
    [5, 0, 10],
    [4, 0, 10],
    [3, 1, 9],
    [2, 2, 8],
    [1, 3, 7],
    [0, 4, 6],
  ])('%d pending pods of 4 → subset-1 %d, subset-2 %d', (pending, one, two) => {
    const subsets: Subset[] = [{ name: 'subset-1', minReplicas: 2, maxReplicas: 4 }, { name: 'subset-2' }];
    const existing = { 'subset-1': observed({ specReplicas: 2, statusReplicas: 4, pendingPods: pending, unschedulable: true }) };
    expect(replicasOf(allocateSubsetReplicas({ replicas: 10, subsets, existing, scheduleStrategy: adaptive }))).toEqual({ 'subset-1': one, 'subset-2': two });
  });

  // OpenKruise's TestProtectingRunningPodsAdaptive: running pods are not deleted to reach a lower target.
  it.each<[number, number, number, number]>([
    [1, 1, 2, 0],
    [2, 1, 2, 1],
    [1, 2, 2, 1],
    [0, 4, 2, 2],
    [3, 1, 3, 1],
  ])('subset-1 [2,4] running %d, subset-2 running %d → %d, %d', (run1, run2, one, two) => {
    const subsets: Subset[] = [{ name: 'subset-1', minReplicas: 2, maxReplicas: 4 }, { name: 'subset-2' }];
    const existing = { 'subset-1': observed({ statusReplicas: run1 }), 'subset-2': observed({ statusReplicas: run2 }) };
    expect(replicasOf(allocateSubsetReplicas({ replicas: run1 + run2, subsets, existing, scheduleStrategy: adaptive }))).toEqual({ 'subset-1': one, 'subset-2': two });
  });

  it('says why: an unschedulable subset is capped, a schedulable one keeps its running pods', () => {
    const subsets: Subset[] = [{ name: 'a', minReplicas: 2, maxReplicas: 4 }, { name: 'b' }];
    const existing = { a: observed({ statusReplicas: 4, pendingPods: 3, unschedulable: true }), b: observed({ statusReplicas: 6 }) };
    expect(allocateSubsetReplicas({ replicas: 10, subsets, existing, scheduleStrategy: adaptive })).toMatchObject({ allocator: 'adaptive', replicas: { a: 1, b: 9 }, reasons: { a: 'unschedulable-capped', b: 'running-kept' } });
  });
});

describe('reservation allocator (Adaptive with reserveUnschedulablePods)', () => {
  const reserve = { type: 'Adaptive', adaptive: { reserveUnschedulablePods: true } } as const;
  const three: Subset[] = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
  it.each<[string, Record<string, Partial<ObservedSubsetReplicas>>, Record<string, number>]>([
    ['start: all to the first subset', {}, { a: 2, b: 0, c: 0 }],
    ['a unschedulable with 2 reserved: a keeps them, b gets 2 substitutes', { a: { specReplicas: 2, reservedPods: 2, unschedulable: true } }, { a: 2, b: 2, c: 0 }],
    [
      'a and b unschedulable: c gets the substitutes',
      { a: { specReplicas: 2, reservedPods: 2, unschedulable: true }, b: { specReplicas: 2, reservedPods: 2, unschedulable: true } },
      { a: 2, b: 2, c: 2 },
    ],
    ['a recovered (schedulable again, was not before): its pods count, the substitutes go', { a: { specReplicas: 2 }, b: { specReplicas: 2 } }, { a: 2, b: 0, c: 0 }],
  ])('%s', (_story, existing, expected) => {
    const observedSubsets = Object.fromEntries(Object.entries(existing).map(([name, over]) => [name, observed(over)]));
    expect(replicasOf(allocateSubsetReplicas({ replicas: 2, subsets: three, existing: observedSubsets, scheduleStrategy: reserve }))).toEqual(expected);
  });

  it('reports the unschedulable subset as reserved', () => {
    const existing = { a: observed({ specReplicas: 2, reservedPods: 2, unschedulable: true }) };
    expect(allocateSubsetReplicas({ replicas: 2, subsets: three, existing, scheduleStrategy: reserve })).toMatchObject({ allocator: 'reservation', reasons: { a: 'reserved', b: 'filled', c: 'minimum' } });
  });
});

describe('allocation properties', () => {
  const boundsArb = fc
    .array(fc.record({ min: fc.nat(5), extra: fc.option(fc.nat(5), { nil: undefined }) }), { minLength: 1, maxLength: 5 })
    .map((list) => list.map((b, i): Subset => ({ name: `s${String(i)}`, minReplicas: b.min, ...(b.extra === undefined || i === list.length - 1 ? {} : { maxReplicas: b.min + b.extra }) })));

  it('elastic: the sum is the replicas when the bounds allow it, every subset within its bounds when the replicas cover the minimums', () => {
    fc.assert(
      fc.property(boundsArb, fc.nat(40), (subsets, replicas) => {
        const result = replicasOf(allocateSubsetReplicas({ replicas, subsets, existing: {} }));
        const sum = Object.values(result).reduce((a, b) => a + b, 0);
        // The last subset has no maximum: any total fits.
        expect(sum).toBe(replicas);
        const minimums = subsets.reduce((a, s) => a + Number(s.minReplicas), 0);
        for (const subset of subsets) {
          const got = result[subset.name] ?? 0;
          if (subset.maxReplicas !== undefined) expect(got).toBeLessThanOrEqual(Number(subset.maxReplicas));
          if (replicas >= minimums) expect(got).toBeGreaterThanOrEqual(Number(subset.minReplicas));
        }
      }),
    );
  });

  it('specific: the sum is the replicas, specified subsets get exactly their count, the others differ by at most one', () => {
    const arb = fc.record({
      current: fc.array(fc.nat(10), { minLength: 1, maxLength: 5 }),
      fixed: fc.array(fc.option(fc.nat(4), { nil: undefined }), { minLength: 5, maxLength: 5 }),
      extra: fc.nat(20),
    });
    fc.assert(
      fc.property(arb, ({ current, fixed, extra }) => {
        const names = current.map((_, i) => `t${String(i)}`);
        const specifiedCount = names.filter((_, i) => fixed[i] !== undefined).length;
        // Every subset specified: the total must be the sum exactly.
        const total = fixed.slice(0, names.length).reduce<number>((a, b) => a + (b ?? 0), 0) + (specifiedCount === names.length ? 0 : extra);
        const input: AllocationInput = {
          replicas: total,
          subsets: names.map((name, i) => ({ name, ...(fixed[i] === undefined ? {} : { replicas: fixed[i] }) })),
          existing: Object.fromEntries(names.map((name, i) => [name, observed({ specReplicas: current[i] ?? 0 })])),
        };
        const result = replicasOf(allocateSubsetReplicas(input));
        expect(Object.values(result).reduce((a, b) => a + b, 0)).toBe(total);
        const shared = names.filter((_, i) => fixed[i] === undefined).map((n) => result[n] ?? 0);
        names.forEach((n, i) => {
          if (fixed[i] !== undefined) expect(result[n]).toBe(fixed[i]);
        });
        if (shared.length > 0) expect(Math.max(...shared) - Math.min(...shared)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('allocateByMinMax never gives more than the replicas', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(5), fc.nat(5)), { maxLength: 5 }), fc.nat(30), (pairs, replicas) => {
        const names = pairs.map((_, i) => `s${String(i)}`);
        const bounds = { min: Object.fromEntries(pairs.map(([m], i): [string, number] => [names[i] ?? '', m])), max: Object.fromEntries(pairs.map(([m, e], i): [string, number] => [names[i] ?? '', m + e])) };
        const sum = Object.values(allocateByMinMax(replicas, bounds, names)).reduce((a, b) => a + b, 0);
        expect(sum).toBeLessThanOrEqual(replicas);
      }),
    );
  });
});
