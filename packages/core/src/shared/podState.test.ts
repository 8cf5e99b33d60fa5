import { describe, expect, it } from 'vitest';
import { aPod, T0 } from '../testing/index.js';
import type { Pod, PodCondition } from '../api/pod.js';
import fc from 'fast-check';
import { getPodCondition, hasUnavailableLabel, isPodActive, isPodAvailable, isPodAvailableToWorkload, isPodReadyForBudget, podDeletionCost } from './podState.js';

describe('isPodAvailable', () => {
  it.each([
    { story: 'minReadySeconds 0, just ready', minReady: 0, now: T0, want: true },
    { story: 'minReadySeconds 30, ready for 30 s', minReady: 30, now: T0 + 30_000, want: false },
    { story: 'minReadySeconds 30, ready for 31 s', minReady: 30, now: T0 + 31_000, want: true },
  ])('$story → $want', ({ minReady, now, want }) => {
    expect(isPodAvailable(aPod({ readySince: T0 }), minReady, now)).toBe(want);
  });

  it('needs a Ready transition time once minReadySeconds is set', () => {
    const pod = aPod();
    const noTime = { ...pod, status: { ...pod.status, conditions: [{ type: 'Ready', status: 'True' as const }] } };
    expect([isPodAvailable(noTime, 0, T0), isPodAvailable(noTime, 1, T0 + 10_000)]).toEqual([true, false]);
  });
});

describe('pod state', () => {
  it.each([
    { phase: 'ready', active: true },
    { phase: 'pending', active: true },
    { phase: 'terminating', active: false },
    { phase: 'succeeded', active: false },
    { phase: 'failed', active: false },
  ] as const)('$phase pod is active: $active', ({ phase, active }) => {
    expect(isPodActive(aPod({ phase }))).toBe(active);
  });

  it.each([
    ['10', 10], ['-5', -5], ['-007', -7], ['0', 0], ['+10', 0], ['007', 0], ['3000000000', 0], ['abc', 0], ['', 0],
  ])('pod-deletion-cost %j → %d', (value, cost) => {
    expect(podDeletionCost(aPod({ deletionCost: value }))).toBe(cost);
  });

  it('counts a pod with an unavailable-pod.kruise.io/ label as not ready for budgets', () => {
    const pod = aPod({ labels: { 'unavailable-pod.kruise.io/drain': 'true' } });
    expect([hasUnavailableLabel(pod), isPodReadyForBudget(pod), isPodReadyForBudget(aPod())]).toEqual([true, false, true]);
  });
});

describe('getPodCondition', () => {
  const ready = { type: 'Ready', status: 'True' } as const;
  it.each<[string, Pod, PodCondition | undefined]>([
    ['no status', { metadata: {}, spec: { containers: [] } }, undefined],
    ['no conditions', { metadata: {}, spec: { containers: [] }, status: {} }, undefined],
    ['the condition of the type', { metadata: {}, spec: { containers: [] }, status: { conditions: [{ type: 'PodScheduled', status: 'True' }, ready] } }, ready],
    ['the first of two of the type', { metadata: {}, spec: { containers: [] }, status: { conditions: [ready, { type: 'Ready', status: 'False' }] } }, ready],
  ])('%s', (_story, pod, condition) => {
    expect(getPodCondition(pod, 'Ready')).toBe(condition);
  });
});

describe('hasUnavailableLabel / isPodAvailableToWorkload', () => {
  it.each([
    { story: 'no labels', labels: undefined, marked: false },
    { story: 'other labels', labels: { app: 'web' }, marked: false },
    { story: 'unavailable-pod.kruise.io/drain=true', labels: { 'unavailable-pod.kruise.io/drain': 'true' }, marked: true },
    { story: 'any value, even empty', labels: { 'unavailable-pod.kruise.io/x': '' }, marked: true },
    { story: 'the bare prefix without a slash', labels: { 'unavailable-pod.kruise.io': 'true' }, marked: false },
    { story: 'the prefix further in the key', labels: { 'x.unavailable-pod.kruise.io/y': 'true' }, marked: false },
  ])('$story → marked $marked, available to a workload ${marked ? false : true}', ({ labels, marked }) => {
    const pod = aPod({ readySince: T0, ...(labels !== undefined && { labels }) });
    expect(hasUnavailableLabel(pod)).toBe(marked);
    expect(isPodAvailableToWorkload(pod, 0, T0)).toBe(!marked);
    // Readiness is untouched: the pod stays available to plain Kubernetes' rule.
    expect(isPodAvailable(pod, 0, T0)).toBe(true);
  });

  it('property: available to a workload ⇔ available and not labelled, for any labels and window', () => {
    const key = fc.oneof(fc.constantFrom('app', 'unavailable-pod.kruise.io/a', 'unavailable-pod.kruise.io'), fc.string({ maxLength: 8 }).map((s) => `unavailable-pod.kruise.io/${s}`), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.dictionary(key, fc.string({ maxLength: 4 }), { maxKeys: 4 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 120_000 }), (labels, minReady, elapsed) => {
        const pod = aPod({ readySince: T0, labels });
        const marked = Object.keys(labels).some((k) => k.startsWith('unavailable-pod.kruise.io/'));
        expect(hasUnavailableLabel(pod)).toBe(marked);
        expect(isPodAvailableToWorkload(pod, minReady, T0 + elapsed)).toBe(!marked && isPodAvailable(pod, minReady, T0 + elapsed));
      }),
    );
  });
});
