import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { aPod, at, T0, type PodOptions } from '../testing/index.js';
import { hasFinished, isCreated, isHealthy, statefulPodAvailability } from './statefulPodState.js';

// Expected values follow OpenKruise's stateful_set_utils.go: `isHealthy` (lifecycle state empty or
// Normal, Running and Ready, not terminating), `isRunningAndAvailable` (lifecycle state, Running
// and Ready, then `waitTime := lastTransitionTime + minReadySeconds - now; if waitTime > 0` not
// yet available) and TestIsRunningAndAvailable.

const pod = (options: PodOptions = {}): Pod => aPod({ name: 'web-0', ...options });
const withPhase = (p: Pod, phase: NonNullable<Pod['status']>['phase']): Pod => ({ ...p, status: { ...p.status, phase } });
const withoutReadyTime = (p: Pod): Pod => ({ ...p, status: { ...p.status, conditions: (p.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { type: c.type, status: c.status } : c)) } });

describe('isHealthy', () => {
  it.each([
    { story: 'Running and Ready', pod: pod(), expected: true },
    { story: 'Running and Ready in state Normal', pod: pod({ lifecycle: 'Normal' }), expected: true },
    { story: 'Running, Ready=False', pod: pod({ phase: 'not-ready' }), expected: false },
    { story: 'Pending', pod: pod({ phase: 'pending' }), expected: false },
    { story: 'Ready=True but phase Pending', pod: withPhase(pod(), 'Pending'), expected: false },
    { story: 'Ready but terminating', pod: pod({ phase: 'terminating' }), expected: false },
    { story: 'Ready in PreparingNormal', pod: pod({ lifecycle: 'PreparingNormal' }), expected: false },
    { story: 'Ready in PreparingUpdate', pod: pod({ lifecycle: 'PreparingUpdate' }), expected: false },
    { story: 'Ready in Updating', pod: pod({ lifecycle: 'Updating' }), expected: false },
    { story: 'Ready in Updated', pod: pod({ lifecycle: 'Updated' }), expected: false },
    { story: 'Ready in PreparingDelete', pod: pod({ lifecycle: 'PreparingDelete' }), expected: false },
    { story: 'Failed', pod: pod({ phase: 'failed' }), expected: false },
  ])('$story', ({ pod: candidate, expected }) => {
    expect(isHealthy(candidate)).toBe(expected);
  });
});

describe('statefulPodAvailability', () => {
  it.each([
    { story: 'not ready: not available, no wait', pod: pod({ phase: 'not-ready' }), minReadySeconds: 10, now: at(60), expected: { available: false, waitMs: 0 } },
    { story: 'Pending: not available, no wait', pod: pod({ phase: 'pending' }), minReadySeconds: 0, now: at(60), expected: { available: false, waitMs: 0 } },
    { story: 'Ready=True but phase Pending: not available', pod: withPhase(pod(), 'Pending'), minReadySeconds: 0, now: at(60), expected: { available: false, waitMs: 0 } },
    { story: 'ready, minReadySeconds 0: available at once', pod: pod({ readySince: at(60) }), minReadySeconds: 0, now: at(60), expected: { available: true, waitMs: 0 } },
    { story: 'ready 4 s of 10: waits 6 s', pod: pod({ readySince: T0 }), minReadySeconds: 10, now: at(4), expected: { available: false, waitMs: 6000 } },
    { story: 'ready 1 ms short of 10 s: waits 1 ms', pod: pod({ readySince: T0 }), minReadySeconds: 10, now: at(10) - 1, expected: { available: false, waitMs: 1 } },
    { story: 'boundary: ready exactly 10 s of 10 (waitTime 0, not > 0): available', pod: pod({ readySince: T0 }), minReadySeconds: 10, now: at(10), expected: { available: true, waitMs: 0 } },
    { story: 'ready 11 s of 10: available', pod: pod({ readySince: T0 }), minReadySeconds: 10, now: at(11), expected: { available: true, waitMs: 0 } },
    { story: 'ready since the future (clock skew): waits more than the window', pod: pod({ readySince: at(5) }), minReadySeconds: 10, now: T0, expected: { available: false, waitMs: 15000 } },
    { story: 'Ready without a transition time: waits the whole window', pod: withoutReadyTime(pod()), minReadySeconds: 10, now: at(100), expected: { available: false, waitMs: 10000 } },
    { story: 'Ready without a transition time, minReadySeconds 0: available', pod: withoutReadyTime(pod()), minReadySeconds: 0, now: at(100), expected: { available: true, waitMs: 0 } },
    { story: 'ready in state Normal: available', pod: pod({ lifecycle: 'Normal' }), minReadySeconds: 0, now: at(1), expected: { available: true, waitMs: 0 } },
    { story: 'ready in PreparingDelete: not available, no wait', pod: pod({ lifecycle: 'PreparingDelete' }), minReadySeconds: 10, now: at(100), expected: { available: false, waitMs: 0 } },
    { story: 'ready in Updated: not available, no wait', pod: pod({ lifecycle: 'Updated' }), minReadySeconds: 0, now: at(100), expected: { available: false, waitMs: 0 } },
    // isRunningAndAvailable does not look at the deletionTimestamp.
    { story: 'ready and terminating: still available', pod: pod({ phase: 'terminating' }), minReadySeconds: 0, now: at(1), expected: { available: true, waitMs: 0 } },
  ])('$story', ({ pod: candidate, minReadySeconds, now, expected }) => {
    expect(statefulPodAvailability(candidate, minReadySeconds, now)).toEqual(expected);
  });
});

describe('isCreated and hasFinished', () => {
  const planned: Pod = { metadata: { name: 'web-0' }, spec: { containers: [] } };
  it.each([
    { story: 'a pod about to be created (no status)', pod: planned, created: false, finished: false },
    { story: 'an empty phase', pod: { ...planned, status: {} }, created: false, finished: false },
    { story: 'Pending', pod: pod({ phase: 'pending' }), created: true, finished: false },
    { story: 'Running', pod: pod(), created: true, finished: false },
    { story: 'Failed', pod: pod({ phase: 'failed' }), created: true, finished: true },
    { story: 'Succeeded (evicted or stopped)', pod: pod({ phase: 'succeeded' }), created: true, finished: true },
    { story: 'Unknown', pod: pod({ phase: 'unknown' }), created: true, finished: false },
  ])('$story', ({ pod: candidate, created, finished }) => {
    expect({ created: isCreated(candidate), finished: hasFinished(candidate) }).toEqual({ created, finished });
  });
});
