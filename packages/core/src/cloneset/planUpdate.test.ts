import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { aCloneSet, aPod, aRevision, somePods, T0, type CloneSetOptions } from '../testing/index.js';
import { planUpdate, type UpdatePlan } from './planUpdate.js';

const V1 = aRevision({ name: 'web-1', image: 'nginx:1' });
const V2 = aRevision({ name: 'web-2', image: 'nginx:2' });
const V2_ENV = aRevision({ name: 'web-2', containers: [{ name: 'main', image: 'nginx:1', env: [{ name: 'MODE', value: 'fast' }] }] });

function plan(cs: CloneSetOptions, pods: readonly Pod[], target = V2, gates = {}): UpdatePlan {
  return planUpdate({ cloneSet: aCloneSet(cs), pods, currentRevision: V1, updateRevision: target, now: T0, featureGates: gates });
}
const old = (n: number, extra = {}) => somePods(n, 'web', { revision: 'web-1', lifecycle: 'Normal', ...extra });
const decisions = (p: UpdatePlan) => (p.kind === 'update' ? p.decisions.map((d) => [d.pod, d.kind]) : []);

describe('planUpdate: how many', () => {
  it.each([
    { story: 'replicas 10, partition 3, maxUnavailable 20% → update 2 now', cs: { replicas: 10, partition: 3 }, pods: old(10), want: 2 },
    { story: 'replicas 5, partition 3, maxUnavailable 1 → update 1 now', cs: { replicas: 5, partition: 3, maxUnavailable: 1 }, pods: old(5), want: 1 },
    { story: 'replicas 5, maxUnavailable 100% → update all 5', cs: { replicas: 5, maxUnavailable: '100%' }, pods: old(5), want: 5 },
    { story: 'replicas 5, partition "40%", maxUnavailable 5 → update 3', cs: { replicas: 5, partition: '40%', maxUnavailable: 5 }, pods: old(5), want: 3 },
  ])('$story', ({ cs, pods, want }) => {
    const result = plan({ podUpdatePolicy: 'ReCreate', ...cs }, pods);
    expect(result.kind === 'update' ? result.decisions.length : 0).toBe(want);
  });

  it.each([
    // The sick pod costs nothing overall, but counts against the target revision's budget.
    { story: 'maxUnavailable 1: only the unavailable pod', maxUnavailable: 1, want: ['web-sick'] },
    { story: 'maxUnavailable 2: the unavailable pod, then one more', maxUnavailable: 2, want: ['web-sick', 'web-0'] },
  ])('updates an already unavailable pod first ($story)', ({ maxUnavailable, want }) => {
    const pods = [...old(4), aPod({ name: 'web-sick', revision: 'web-1', lifecycle: 'Normal', phase: 'not-ready' })];
    expect(decisions(plan({ replicas: 5, maxUnavailable }, pods)).map(([pod]) => pod)).toEqual(want);
  });

  it.each([
    { story: 'paused', cs: { replicas: 3, paused: true }, reason: 'paused' },
    { story: 'OnDelete', cs: { replicas: 3, updateType: 'OnDelete' as const }, reason: 'on-delete' },
    { story: 'partition keeps every pod', cs: { replicas: 3, partition: 3 }, reason: 'update-complete' },
    { story: 'maxUnavailable 0 without surge', cs: { replicas: 3, maxUnavailable: 0 }, reason: 'max-unavailable-reached' },
  ])('does nothing when $story', ({ cs, reason }) => {
    expect(plan(cs, old(3))).toMatchObject({ kind: 'none', reason });
  });

  it('leaves PreparingDelete pods alone', () => {
    const pods = [aPod({ name: 'web-0', revision: 'web-1', lifecycle: 'PreparingDelete' }), ...old(2).slice(1)];
    expect(decisions(plan({ replicas: 3, maxUnavailable: 3 }, pods)).map(([pod]) => pod)).toEqual(['web-1']);
  });

  it('rolls back to the current revision when partition rose (CloneSetPartitionRollback)', () => {
    const pods = [...somePods(3, 'new', { revision: 'web-2', lifecycle: 'Normal' }), ...old(2)];
    const result = plan({ replicas: 5, partition: 4, maxUnavailable: 2 }, pods, V2, { CloneSetPartitionRollback: true });
    expect(result).toMatchObject({ kind: 'update', reason: 'roll-back', targetRevision: 'web-1' });
    expect(decisions(result)).toHaveLength(2);
  });
});

describe('planUpdate: in place or recreate', () => {
  it.each([
    { story: 'image change, InPlaceIfPossible → in place', policy: 'InPlaceIfPossible' as const, target: V2, want: 'update-in-place' },
    { story: 'env change, InPlaceIfPossible → recreate', policy: 'InPlaceIfPossible' as const, target: V2_ENV, want: 'recreate' },
    { story: 'image change, ReCreate → recreate', policy: 'ReCreate' as const, target: V2, want: 'recreate' },
    { story: 'env change, InPlaceOnly → error', policy: 'InPlaceOnly' as const, target: V2_ENV, want: 'error' },
  ])('$story', ({ policy, target, want }) => {
    const result = plan({ replicas: 1, podUpdatePolicy: policy }, old(1), target);
    expect(result.kind === 'update' ? result.decisions[0] : undefined).toMatchObject({ kind: want });
  });

  it('says why a pod is recreated', () => {
    const result = plan({ replicas: 1, podUpdatePolicy: 'InPlaceIfPossible' }, old(1), V2_ENV);
    expect(result.kind === 'update' && result.decisions[0]).toMatchObject({
      kind: 'recreate', from: 'web-1', to: 'web-2', reason: 'spec-changed',
    });
  });

  it('moves an in-place pod to Updating with the image to set', () => {
    const result = plan({ replicas: 1, podUpdatePolicy: 'InPlaceIfPossible', gracePeriodSeconds: 5 }, old(1));
    expect(result.kind === 'update' && result.decisions[0]).toMatchObject({
      kind: 'update-in-place', spec: { containerImages: { main: 'nginx:2' } }, gracePeriodSeconds: 5, transition: { to: 'Updating' },
    });
  });

  it('stops at the first error, as OpenKruise returns on it', () => {
    const result = plan({ replicas: 3, maxUnavailable: 3, podUpdatePolicy: 'InPlaceOnly' }, old(3), V2_ENV);
    expect(decisions(result)).toEqual([['web-0', 'error']]);
  });
});

describe('planUpdate: lifecycle hooks', () => {
  const hook = { inPlaceUpdate: { finalizersHandler: ['example.io/blocker'], markPodNotReady: true } };
  it.each([
    { story: 'hooked Normal pod is parked in PreparingUpdate', lifecycle: 'Normal' as const, finalizers: ['example.io/blocker'], want: { kind: 'prepare-update', transition: { to: 'PreparingUpdate', markPodNotReady: true } } },
    { story: 'PreparingUpdate pod still hooked waits', lifecycle: 'PreparingUpdate' as const, finalizers: ['example.io/blocker'], want: { kind: 'wait', reason: 'in-place-update-hook-held' } },
    { story: 'PreparingUpdate pod released is updated in place', lifecycle: 'PreparingUpdate' as const, finalizers: [], want: { kind: 'update-in-place' } },
    { story: 'Updated pod at an old revision goes back to PreparingUpdate with its hook', lifecycle: 'Updated' as const, finalizers: [], want: { kind: 'prepare-update', transition: { restoreHook: hook.inPlaceUpdate } } },
  ])('$story', ({ lifecycle, finalizers, want }) => {
    const pods = [aPod({ name: 'web-0', revision: 'web-1', lifecycle, finalizers })];
    const result = plan({ replicas: 1, podUpdatePolicy: 'InPlaceIfPossible', lifecycle: hook }, pods);
    expect(result.kind === 'update' && result.decisions[0]).toMatchObject(want);
  });

  it.each([
    { story: 'PreparingNormal → Normal once the preNormal hook is on', pod: { lifecycle: 'PreparingNormal' as const, finalizers: ['pre'] }, to: 'Normal' },
    { story: 'Updating → Updated once the update completed and the hook is released', pod: { lifecycle: 'Updating' as const, revision: 'web-2' }, to: 'Updated' },
    { story: 'Updated → Normal once the hook is back', pod: { lifecycle: 'Updated' as const, revision: 'web-2', finalizers: ['example.io/blocker'] }, to: 'Normal' },
  ])('refreshes first: $story', ({ pod, to }) => {
    const lifecycle = { ...hook, preNormal: { finalizersHandler: ['pre'] } };
    const result = plan({ replicas: 1, lifecycle }, [aPod({ name: 'web-0', revision: 'web-1', ...pod })]);
    expect(result).toMatchObject({ kind: 'refresh', transitions: [{ pod: 'web-0', to }] });
  });

  it('adds a missing pod-template-hash label first', () => {
    const pod = aPod({ name: 'web-0', labels: { 'controller-revision-hash': 'web-1' } });
    expect(plan({ replicas: 1 }, [pod])).toMatchObject({ kind: 'refresh', podTemplateHashFixes: [{ pod: 'web-0', labels: { 'pod-template-hash': '1' } }] });
  });
});
