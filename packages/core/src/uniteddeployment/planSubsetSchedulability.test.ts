import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { formatTime } from '../shared/podState.js';
import { classifyPendingPod } from '../workload/classifyPendingPod.js';
import { planSubsetSchedulability } from './planSubsetSchedulability.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const s = (seconds: number): number => T0 + seconds * 1000;

function pendingPod(name: string, createdAt: number, unschedulable = true): Pod {
  return {
    metadata: { name, creationTimestamp: formatTime(createdAt) },
    spec: { containers: [{ name: 'main', image: 'nginx' }] },
    status: { phase: 'Pending', conditions: unschedulable ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] : [] },
  };
}

describe('classifyPendingPod', () => {
  it.each<[string, Pod, number, ReturnType<typeof classifyPendingPod>]>([
    ['unschedulable for 10 s of 30', pendingPod('p', s(0)), s(10), { kind: 'waiting', afterMs: 20_000 }],
    ['unschedulable for 40 s of 30', pendingPod('p', s(0)), s(40), { kind: 'timed-out' }],
    ['pending but not refused by the scheduler', pendingPod('p', s(0), false), s(40), { kind: 'not-pending' }],
    ['bound to a node', { ...pendingPod('p', s(0)), spec: { containers: [], nodeName: 'n1' } }, s(40), { kind: 'not-pending' }],
    ['being deleted', { ...pendingPod('p', s(0)), metadata: { name: 'p', creationTimestamp: formatTime(s(0)), deletionTimestamp: formatTime(s(1)) } }, s(40), { kind: 'not-pending' }],
  ])('%s', (_story, pod, now, expected) => {
    expect(classifyPendingPod(pod, 30_000, now)).toEqual(expected);
  });
});

describe('planSubsetSchedulability', () => {
  const strategy = { type: 'Adaptive', adaptive: { rescheduleCriticalSeconds: 30, unschedulableDuration: 300 } } as const;

  it('marks a subset whose pods stay pending past the critical time', () => {
    const pods = [pendingPod('a', s(0)), pendingPod('b', s(0)), pendingPod('c', s(0))];
    const plan = planSubsetSchedulability({ condition: undefined, replicas: 4, readyReplicas: 1, pods, strategy, now: s(40) });
    expect(plan).toEqual({
      unschedulable: true,
      pendingPods: 3,
      reason: 'pending-timeout',
      condition: { type: 'Schedulable', status: 'False', lastTransitionTime: formatTime(s(40)), reason: 'reschedule', message: 'timeout pending pods found' },
      requeueAfterMs: 300_000,
    });
  });

  it('looks again when the first pending pod would time out', () => {
    const plan = planSubsetSchedulability({ condition: undefined, replicas: 2, readyReplicas: 0, pods: [pendingPod('a', s(0)), pendingPod('b', s(5))], strategy, now: s(10) });
    expect(plan).toMatchObject({ unschedulable: false, reason: 'schedulable', condition: undefined, requeueAfterMs: 20_000 });
  });

  it('keeps a marked subset unschedulable for unschedulableDuration, then recovers it', () => {
    const condition = { type: 'Schedulable', status: 'False' as const, lastTransitionTime: formatTime(s(0)), reason: 'reschedule', message: 'timeout pending pods found' };
    expect(planSubsetSchedulability({ condition, replicas: 2, readyReplicas: 2, pods: [], strategy, now: s(100) })).toMatchObject({ unschedulable: true, reason: 'still-unschedulable', condition, requeueAfterMs: 200_000 });
    expect(planSubsetSchedulability({ condition, replicas: 2, readyReplicas: 2, pods: [], strategy, now: s(301) })).toMatchObject({
      unschedulable: false,
      reason: 'recovered',
      condition: { status: 'True', reason: 'recover', message: 'unschedulable subset recovered after 300.000000 seconds', lastTransitionTime: formatTime(s(301)) },
    });
  });

  it('keeps the time of an existing mark when pods are still pending', () => {
    const condition = { type: 'Schedulable', status: 'False' as const, lastTransitionTime: formatTime(s(0)), reason: 'reschedule', message: 'timeout pending pods found' };
    const plan = planSubsetSchedulability({ condition, replicas: 1, readyReplicas: 0, pods: [pendingPod('a', s(0))], strategy, now: s(60) });
    expect(plan.condition).toBe(condition);
    expect(plan.pendingPods).toBe(1);
  });
});
