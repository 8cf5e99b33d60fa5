import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PodUnavailableBudgetSpec } from '../api/podUnavailableBudget.js';
import { aPod, aPodUnavailableBudget, at, iso, somePods, T0 } from '../testing/index.js';
import { computePubStatus, desiredAvailableForPub, expectedPubReplicas } from './computePubStatus.js';

describe('desiredAvailableForPub', () => {
  it.each<[string, Partial<PodUnavailableBudgetSpec>, number, number | undefined]>([
    ['maxUnavailable 1 of 5', { maxUnavailable: 1 }, 5, 4],
    ['maxUnavailable 25% of 10 rounds up to 3', { maxUnavailable: '25%' }, 10, 7],
    ['maxUnavailable larger than the replicas', { maxUnavailable: 8 }, 5, 0],
    ['minAvailable 8 is taken as is', { minAvailable: 8 }, 5, 8],
    ['minAvailable 50% of 5 rounds up', { minAvailable: '50%' }, 5, 3],
    ['an unreadable percentage', { maxUnavailable: 'half' }, 5, undefined],
  ])('%s', (_story, spec, expected, desired) => {
    expect(desiredAvailableForPub(spec, expected)).toBe(desired);
  });
});

describe('computePubStatus', () => {
  const pods = somePods(5, 'web', { labels: { app: 'web' } });

  it('5 ready pods, maxUnavailable 1', () => {
    const plan = computePubStatus({ pub: aPodUnavailableBudget({ maxUnavailable: 1, generation: 2 }), pods, expectedCount: 5, now: T0 });
    expect(plan).toEqual({ status: { observedGeneration: 2, unavailableAllowed: 1, currentAvailable: 5, desiredAvailable: 4, totalReplicas: 5 }, recheckAt: undefined, notDeleted: [] });
  });

  it('a pod disrupted 5 s ago stays recorded and unavailable; recheck when it expires', () => {
    const pub = aPodUnavailableBudget({ maxUnavailable: 1, status: { disruptedPods: { 'web-0': iso(at(-5)) }, unavailableAllowed: 0 } });
    const plan = computePubStatus({ pub, pods, expectedCount: 5, now: T0 });
    expect(plan.status).toMatchObject({ currentAvailable: 4, unavailableAllowed: 0, disruptedPods: { 'web-0': iso(at(-5)) } });
    expect(plan.recheckAt).toBe(at(15));
  });

  it('a disrupted pod still running after 20 s is counted again and reported', () => {
    const pub = aPodUnavailableBudget({ maxUnavailable: 1, status: { disruptedPods: { 'web-0': iso(at(-21)) } } });
    const plan = computePubStatus({ pub, pods, expectedCount: 5, now: T0 });
    expect(plan.status).toMatchObject({ currentAvailable: 5, unavailableAllowed: 1 });
    expect(plan.status?.disruptedPods).toBeUndefined();
    expect(plan.notDeleted).toEqual(['web-0']);
  });

  it('a deleted pod drops its entry', () => {
    const pub = aPodUnavailableBudget({ maxUnavailable: 1, status: { disruptedPods: { 'web-9': iso(at(-1)) } } });
    expect(computePubStatus({ pub, pods, expectedCount: 5, now: T0 }).status?.disruptedPods).toBeUndefined();
  });

  it('an updated pod stays unavailable 10 s, then counts by its readiness', () => {
    const pub = aPodUnavailableBudget({ maxUnavailable: 1, status: { unavailablePods: { 'web-1': iso(at(-10)) } } });
    expect(computePubStatus({ pub, pods, expectedCount: 5, now: T0 }).status).toMatchObject({ currentAvailable: 4, unavailablePods: { 'web-1': iso(at(-10)) } });
    expect(computePubStatus({ pub, pods, expectedCount: 5, now: at(1) }).status).toMatchObject({ currentAvailable: 5 });
  });

  it('not-ready, terminating and labelled pods are not available', () => {
    const mixed = [aPod({ name: 'a', phase: 'not-ready' }), aPod({ name: 'b', phase: 'terminating' }), aPod({ name: 'c', labels: { 'unavailable-pod.kruise.io/x': '1' } }), aPod({ name: 'd' })];
    expect(computePubStatus({ pub: aPodUnavailableBudget({ minAvailable: 1 }), pods: mixed, expectedCount: 4, now: T0 }).status).toMatchObject({ currentAvailable: 1, desiredAvailable: 1, unavailableAllowed: 0 });
  });

  it('property: unavailableAllowed = max(0, currentAvailable − desiredAvailable) and currentAvailable never exceeds the active pods', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<'ready' | 'not-ready' | 'terminating' | 'succeeded'>('ready', 'not-ready', 'terminating', 'succeeded'), { maxLength: 12 }), fc.nat(12), fc.nat(15), (phases, expected, max) => {
        const all = phases.map((phase, i) => aPod({ name: `p-${i}`, phase }));
        const status = computePubStatus({ pub: aPodUnavailableBudget({ maxUnavailable: max }), pods: all, expectedCount: expected, now: T0 }).status;
        expect(status?.unavailableAllowed).toBe(Math.max(0, (status?.currentAvailable ?? 0) - (status?.desiredAvailable ?? 0)));
        expect(status?.currentAvailable).toBeLessThanOrEqual(phases.filter((p) => p === 'ready').length);
      }),
    );
  });
});

describe('expectedPubReplicas', () => {
  it.each<[string, number | undefined, [string, number][], number]>([
    ['one workload', undefined, [['cs', 5]], 5],
    ['two workloads add up', undefined, [['a', 2], ['b', 3]], 5],
    ['protectTotalReplicas overrides', 8, [['cs', 5]], 8],
    ['no workload', undefined, [], 0],
  ])('%s', (_story, protectTotalReplicas, workloads, expected) => {
    expect(expectedPubReplicas({ protectTotalReplicas, workloadReplicas: new Map(workloads) })).toBe(expected);
  });
});
