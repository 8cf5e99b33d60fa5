import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkloadSpreadSubsetStatus } from '../api/workloadSpread.js';
import { aWorkloadSpread, aZoneSubset } from '../testing/index.js';
import { hasPercentSubset, initialSubsetStatuses, recordPodCreation, recordPodDeletion } from './recordWorkloadSpreadPod.js';

const T = '2025-01-01T00:00:00Z';
const sub = (name: string, missingReplicas: number, extra: Partial<WorkloadSpreadSubsetStatus> = {}): WorkloadSpreadSubsetStatus => ({ name, replicas: 0, missingReplicas, ...extra });
const ws = (...subsetStatuses: WorkloadSpreadSubsetStatus[]) => aWorkloadSpread({ status: { subsetStatuses } });
const unschedulable = { conditions: [{ type: 'Schedulable', status: 'False' }] };

describe('recordPodCreation', () => {
  it.each<[string, ReturnType<typeof ws>, { name: string; generatedUid: string }, unknown]>([
    ['first subset with room takes the pod', ws(sub('a', 0), sub('b', 2), sub('c', -1)), { name: 'web-x', generatedUid: 'g' }, { kind: 'recorded', subset: 'b', key: 'web-x' }],
    ['an unlimited subset takes the pod with no status write', ws(sub('a', 0), sub('c', -1)), { name: 'web-x', generatedUid: 'g' }, { kind: 'unlimited', subset: 'c' }],
    ['a pod without a name is keyed by the generated uid', ws(sub('a', 1)), { name: '', generatedUid: 'g-1' }, { kind: 'recorded', subset: 'a', key: 'g-1' }],
    ['an unschedulable subset is skipped', ws(sub('a', 2, unschedulable), sub('b', 2)), { name: 'web-x', generatedUid: 'g' }, { kind: 'recorded', subset: 'b', key: 'web-x' }],
    ['every subset full', ws(sub('a', 0), sub('b', 0)), { name: 'web-x', generatedUid: 'g' }, { kind: 'no-subset', reason: 'all-subsets-full' }],
    ['no status yet', aWorkloadSpread(), { name: 'web-x', generatedUid: 'g' }, { kind: 'no-subset', reason: 'no-subset-status' }],
    ['a retried request', ws(sub('a', 0, { creatingPods: { 'web-x': T } }), sub('b', 2)), { name: 'web-x', generatedUid: 'g' }, { kind: 'already-recorded', subset: 'a' }],
  ])('%s', (_story, spread, pod, expected) => {
    expect(recordPodCreation(spread, pod, T)).toMatchObject(expected as object);
  });

  it('no status yet, with initial statuses (OpenKruise’s initializedSubsetStatuses): the pod takes a slot and the whole list is written', () => {
    const spread = aWorkloadSpread({ subsets: [aZoneSubset('a', '50%'), aZoneSubset('b', '50%')] });
    const initial = initialSubsetStatuses(spread, 4);
    expect(initial).toEqual([sub('a', 2), sub('b', 2)]);
    const result = recordPodCreation(spread, { name: 'web-x', generatedUid: '' }, T, initial);
    const written = [sub('a', 1, { creatingPods: { 'web-x': T } }), sub('b', 2)];
    expect(result).toEqual({ kind: 'recorded', subset: 'a', key: 'web-x', status: { subsetStatuses: written, versionedSubsetStatuses: { versionIgnored: written } } });
    // A stored status wins over the initial one.
    expect(recordPodCreation(ws(sub('a', 0), sub('b', 1)), { name: 'web-y', generatedUid: '' }, T, initial)).toMatchObject({ kind: 'recorded', subset: 'b' });
  });

  it.each<[string, readonly (number | string | undefined)[], number, readonly number[], boolean]>([
    ['percentages of 5, rounded up', ['50%', '50%'], 5, [3, 3], true],
    ['ints and an unlimited last subset', [2, undefined], 9, [2, -1], false],
    ['percentages of a missing workload (0 replicas)', ['30%', undefined], 0, [0, -1], true],
  ])('initialSubsetStatuses: %s', (_story, caps, replicas, expected, percent) => {
    const spread = aWorkloadSpread({ subsets: caps.map((cap, i) => aZoneSubset(`z${String(i)}`, cap)) });
    expect(initialSubsetStatuses(spread, replicas).map((s) => s.missingReplicas)).toEqual(expected);
    expect(hasPercentSubset(spread)).toBe(percent);
  });

  it('decrements missingReplicas and records the time', () => {
    const result = recordPodCreation(ws(sub('a', 0), sub('b', 2), sub('c', -1)), { name: 'web-x', generatedUid: '' }, T);
    expect(result.kind === 'recorded' && result.status.subsetStatuses).toEqual([sub('a', 0), sub('b', 1, { creatingPods: { 'web-x': T } }), sub('c', -1)]);
  });

  it('property: creations one after another never put more pods in a subset than its missingReplicas', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1, max: 4 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 20 }), (missing, creations) => {
        let spread = ws(...missing.map((m, i) => sub(`s${String(i)}`, m)));
        const taken = new Map<string, number>();
        for (let i = 0; i < creations; i++) {
          const result = recordPodCreation(spread, { name: `p${String(i)}`, generatedUid: '' }, T);
          if (result.kind !== 'recorded' && result.kind !== 'unlimited') continue;
          taken.set(result.subset, (taken.get(result.subset) ?? 0) + 1);
          if (result.kind === 'recorded') spread = { ...spread, status: result.status };
        }
        missing.forEach((m, i) => {
          const count = taken.get(`s${String(i)}`) ?? 0;
          if (m >= 0) expect(count).toBeLessThanOrEqual(m);
          // Earlier subsets fill before a later one takes anything.
          if (count === 0) return;
          missing.slice(0, i).forEach((earlier, j) => {
            if (earlier >= 0) expect(taken.get(`s${String(j)}`) ?? 0).toBe(earlier);
          });
        });
      }),
    );
  });
});

const released = [sub('a', 0), sub('b', 1, { deletingPods: { 'web-3': T } })];

describe('recordPodDeletion', () => {
  it.each<[string, ReturnType<typeof ws>, { name: string; subset: string }, unknown]>([
    [
      'releases a slot (versionIgnored: both lists)',
      ws(sub('a', 0), sub('b', 0)),
      { name: 'web-3', subset: 'b' },
      { kind: 'recorded', subset: 'b', status: { subsetStatuses: released, versionedSubsetStatuses: { versionIgnored: released } } },
    ],
    ['an unlimited subset: nothing to release', ws(sub('c', -1)), { name: 'web-3', subset: 'c' }, { kind: 'unlimited', subset: 'c' }],
    ['already deleting', ws(sub('a', 1, { deletingPods: { 'web-3': T } })), { name: 'web-3', subset: 'a' }, { kind: 'already-recorded', subset: 'a' }],
    ['a subset no longer there', ws(sub('a', 1)), { name: 'web-3', subset: 'gone' }, { kind: 'no-subset', reason: 'unknown-subset' }],
  ])('%s', (_story, spread, pod, expected) => {
    expect(recordPodDeletion(spread, pod, T)).toEqual(expected);
  });
});

describe('versioned statuses (a Deployment rolling update)', () => {
  // Subsets a (max 2) and b (no max); version old fills a.
  const oldFull = [sub('a', 0, { replicas: 2 }), sub('b', -1, { replicas: 2 })];
  const spread = aWorkloadSpread({
    subsets: [aZoneSubset('a', 2), aZoneSubset('b')],
    status: { subsetStatuses: [sub('a', 0, { replicas: 2 }), sub('b', -1, { replicas: 2 })], versionedSubsetStatuses: { old: oldFull } },
  });
  const initial = initialSubsetStatuses(spread, 4);

  it.each<[string, string | undefined, unknown]>([
    ['a pod of the full version goes on to the unlimited subset', 'old', { kind: 'unlimited', subset: 'b' }],
    ['a pod of a new version starts from the caps: a has room for it', 'new', { kind: 'recorded', subset: 'a', key: 'web-x' }],
    ['a pod of no version reads the unversioned list (a is full)', undefined, { kind: 'unlimited', subset: 'b' }],
  ])('%s', (_story, version, expected) => {
    expect(recordPodCreation(spread, { name: 'web-x', generatedUid: '', version }, T, initial)).toMatchObject(expected as object);
  });

  it('a new version’s record is written under its version only; the others are kept', () => {
    const result = recordPodCreation(spread, { name: 'web-x', generatedUid: '', version: 'new' }, T, initial);
    if (result.kind !== 'recorded') throw new Error(result.kind);
    expect(result.status.subsetStatuses).toEqual(spread.status?.subsetStatuses);
    expect(result.status.versionedSubsetStatuses).toEqual({ old: oldFull, new: [sub('a', 1, { creatingPods: { 'web-x': T } }), sub('b', -1)] });
  });

  it('a deletion releases the slot of the pod’s version; a version with no statuses releases nothing', () => {
    const result = recordPodDeletion(spread, { name: 'web-0', subset: 'a', version: 'old' }, T);
    expect(result.kind === 'recorded' && result.status.versionedSubsetStatuses?.['old']?.[0]).toEqual(sub('a', 1, { replicas: 2, deletingPods: { 'web-0': T } }));
    expect(recordPodDeletion(spread, { name: 'web-9', subset: 'a', version: 'other' }, T)).toEqual({ kind: 'no-subset', reason: 'unknown-subset' });
  });

  it('property: creations of two versions, interleaved, never put more pods of one version in a subset than its cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.array(fc.constantFrom('v1', 'v2'), { maxLength: 16 }), (cap, versions) => {
        let current = aWorkloadSpread({ subsets: [aZoneSubset('a', cap), aZoneSubset('b')] });
        const start = initialSubsetStatuses(current, 10);
        const taken = new Map<string, number>();
        versions.forEach((version, i) => {
          const result = recordPodCreation(current, { name: `p${String(i)}`, generatedUid: '', version }, T, start);
          if (result.kind === 'recorded') current = { ...current, status: result.status };
          if (result.kind === 'recorded' && result.subset === 'a') taken.set(version, (taken.get(version) ?? 0) + 1);
        });
        for (const version of ['v1', 'v2']) {
          expect(taken.get(version) ?? 0).toBe(Math.min(cap, versions.filter((v) => v === version).length));
          for (const status of current.status?.versionedSubsetStatuses?.[version] ?? []) expect(status.missingReplicas).toBeGreaterThanOrEqual(-1);
        }
      }),
    );
  });
});
