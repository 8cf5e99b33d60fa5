import { describe, expect, it } from 'vitest';
import type { CloneSetCondition, CloneSetStatus } from '../api/cloneSet.js';
import { aCloneSet, aPod, at, iso, somePods, T0, type CloneSetOptions } from '../testing/index.js';
import { computeCloneSetStatus } from './computeCloneSetStatus.js';
import { computeProgressingCondition } from './progressingCondition.js';

// Transcribed from OpenKruise's TestSyncProgressingStatus (cloneset_status_test.go): counts are
// (replicas, ready, available, updated, updatedReady, updatedAvailable, expectedUpdated).
function counts(c: readonly number[], current: string, update: string): CloneSetStatus {
  const [replicas, readyReplicas, availableReplicas, updatedReplicas, updatedReadyReplicas, updatedAvailableReplicas, expectedUpdatedReplicas] = c;
  return { replicas, readyReplicas, availableReplicas, updatedReplicas, updatedReadyReplicas, updatedAvailableReplicas, expectedUpdatedReplicas, currentRevision: current, updateRevision: update };
}
const cond = (reason: string, since: number, status: 'True' | 'False' = 'True'): CloneSetCondition => ({ type: 'Progressing', status, reason, lastUpdateTime: iso(since), lastTransitionTime: iso(since) });

interface Case {
  story: string;
  cs: CloneSetOptions;
  previous?: CloneSetCondition;
  previousRevision?: string;
  now: number;
  status: CloneSetStatus;
  want: [string, string] | undefined;
  requeue?: number;
}

const PDS = { progressDeadlineSeconds: 10 };
const cases: Case[] = [
  { story: 'no deadline: no condition', cs: { replicas: 10 }, now: T0, status: counts([5, 4, 3, 2, 1, 1, 2], '1', '2'), want: undefined },
  { story: 'deadline 2147483647: no condition', cs: { replicas: 10, progressDeadlineSeconds: 2147483647 }, now: T0, status: counts([5, 4, 3, 2, 1, 1, 2], '1', '2'), want: undefined },
  { story: 'starts deploying', cs: { replicas: 10, ...PDS }, now: T0, status: counts([5, 4, 3, 2, 1, 1, 2], '1', '2'), want: ['True', 'CloneSetUpdated'], requeue: 11_000 },
  { story: 'starts paused', cs: { replicas: 10, ...PDS, paused: true }, now: T0, status: counts([5, 4, 3, 2, 1, 1, 2], '1', '1'), want: ['True', 'CloneSetPaused'] },
  { story: 'available', cs: { replicas: 10, ...PDS }, now: T0, status: counts([10, 10, 10, 10, 10, 10, 10], '1', '1'), want: ['True', 'CloneSetAvailable'] },
  { story: 'scaling 1→10', cs: { replicas: 1, ...PDS }, now: T0, status: counts([10, 9, 8, 10, 9, 8, 10], '2', '2'), want: ['True', 'CloneSetUpdated'] },
  { story: 'partition 90% available', cs: { replicas: 10, ...PDS, partition: '90%' }, now: T0, status: counts([10, 10, 10, 1, 1, 1, 1], '1', '2'), want: ['True', 'ProgressPartitionAvailable'] },
  { story: 'available, then scaled 5→10', cs: { replicas: 10, ...PDS }, previous: cond('CloneSetAvailable', T0), previousRevision: '1', now: T0, status: counts([5, 5, 5, 5, 5, 5, 10], '1', '1'), want: ['True', 'CloneSetUpdated'] },
  { story: 'progressing for too long: timed out', cs: { replicas: 10, ...PDS }, previous: cond('CloneSetUpdated', T0), previousRevision: '1', now: at(11), status: counts([10, 8, 8, 10, 8, 8, 10], '1', '1'), want: ['False', 'ProgressDeadlineExceeded'] },
  { story: 'progressing 10 s exactly: not yet', cs: { replicas: 10, ...PDS }, previous: cond('CloneSetUpdated', T0), previousRevision: '1', now: at(10), status: counts([10, 8, 8, 10, 8, 8, 10], '1', '1'), want: ['True', 'CloneSetUpdated'], requeue: 0 },
  { story: 'still progressing (7 s of 10): requeue in 4 s', cs: { replicas: 10, ...PDS, partition: '0%' }, previous: cond('CloneSetUpdated', at(1)), previousRevision: '2', now: at(8), status: counts([10, 5, 5, 5, 3, 1, 10], '1', '2'), want: ['True', 'CloneSetUpdated'], requeue: 4_000 },
  { story: 'updated, partition 50% reached', cs: { replicas: 10, ...PDS, partition: '50%' }, previous: cond('CloneSetUpdated', T0), previousRevision: '2', now: at(5), status: counts([10, 10, 10, 5, 5, 5, 5], '1', '2'), want: ['True', 'ProgressPartitionAvailable'] },
  { story: 'scaled down 10→6, partition 10% reached', cs: { replicas: 6, ...PDS, partition: '10%' }, previous: cond('CloneSetUpdated', T0), previousRevision: '2', now: at(5), status: counts([10, 9, 9, 8, 8, 8, 5], '1', '2'), want: ['True', 'ProgressPartitionAvailable'] },
  { story: 'updated then paused', cs: { replicas: 20, ...PDS, partition: '50%', paused: true }, previous: cond('CloneSetUpdated', at(5)), previousRevision: '2', now: at(8), status: counts([15, 14, 14, 10, 10, 9, 10], '1', '2'), want: ['True', 'CloneSetPaused'] },
  { story: 'paused for long, resumed: the pause does not count', cs: { replicas: 20, ...PDS, partition: '50%' }, previous: cond('CloneSetPaused', T0), previousRevision: '2', now: at(600), status: counts([15, 14, 14, 10, 10, 9, 10], '1', '2'), want: ['True', 'CloneSetUpdated'], requeue: 11_000 },
  { story: 'timed out, then paused', cs: { replicas: 20, ...PDS, partition: '50%', paused: true }, previous: cond('ProgressDeadlineExceeded', T0, 'False'), previousRevision: '2', now: at(40), status: counts([15, 14, 14, 10, 10, 9, 10], '1', '2'), want: ['True', 'CloneSetPaused'] },
  { story: 'timed out stays timed out', cs: { replicas: 20, ...PDS, partition: '50%' }, previous: cond('ProgressDeadlineExceeded', T0, 'False'), previousRevision: '2', now: at(40), status: counts([15, 14, 14, 10, 10, 9, 10], '1', '2'), want: ['False', 'ProgressDeadlineExceeded'] },
  { story: 'timed out, then a new revision starts a new timer', cs: { replicas: 20, ...PDS, partition: '90%' }, previous: cond('ProgressDeadlineExceeded', T0, 'False'), previousRevision: '2', now: at(40), status: counts([20, 10, 10, 2, 2, 2, 4], '1', '3'), want: ['True', 'CloneSetUpdated'] },
  { story: 'partition reached, then scaled up', cs: { replicas: 20, ...PDS, partition: '50%' }, previous: cond('ProgressPartitionAvailable', T0), previousRevision: '2', now: at(8), status: counts([15, 15, 15, 6, 6, 6, 10], '1', '2'), want: ['True', 'CloneSetUpdated'] },
  { story: 'partition reached again after scale-up', cs: { replicas: 20, ...PDS, partition: '50%' }, previous: cond('ProgressPartitionAvailable', T0), previousRevision: '2', now: at(8), status: counts([20, 20, 20, 10, 10, 10, 10], '1', '2'), want: ['True', 'ProgressPartitionAvailable'] },
];

describe('Progressing condition (OpenKruise TestSyncProgressingStatus)', () => {
  it.each(cases)('$story', ({ cs, previous, previousRevision, now, status, want, requeue }) => {
    const cloneSet = aCloneSet({ ...cs, status: { ...(previous ? { conditions: [previous] } : {}), ...(previousRevision ? { updateRevision: previousRevision } : {}) } });
    const result = computeProgressingCondition({ cloneSet, status, now });
    expect(result.condition === undefined ? undefined : [result.condition.status, result.condition.reason]).toEqual(want);
    if (requeue !== undefined) expect(result.requeueAfterMs).toBe(requeue);
  });

  it('keeps lastTransitionTime when only the reason changes, and times from lastUpdateTime', () => {
    const cloneSet = aCloneSet({ replicas: 20, ...PDS, partition: '50%', status: { updateRevision: '2', conditions: [cond('ProgressPartitionAvailable', T0)] } });
    const { condition } = computeProgressingCondition({ cloneSet, status: counts([15, 15, 15, 6, 6, 6, 10], '1', '2'), now: at(8) });
    expect(condition).toMatchObject({ reason: 'CloneSetUpdated', lastUpdateTime: iso(at(8)), lastTransitionTime: iso(T0) });
  });
});

describe('computeCloneSetStatus', () => {
  it('counts replicas, ready, available and updated pods', () => {
    const pods = [
      ...somePods(3, 'new', { revision: 'web-2', lifecycle: 'Normal', readySince: T0 - 60_000 }),
      aPod({ name: 'new-fresh', revision: 'web-2', readySince: T0 - 5_000 }),
      aPod({ name: 'new-updating', revision: 'web-2', lifecycle: 'Updating' }),
      ...somePods(4, 'old', { revision: 'web-1', readySince: T0 - 60_000 }),
      aPod({ name: 'old-not-ready', revision: 'web-1', phase: 'not-ready' }),
      aPod({ name: 'gone', revision: 'web-1', phase: 'terminating' }),
    ];
    const cloneSet = aCloneSet({ replicas: 10, partition: '50%', minReadySeconds: 10, generation: 7 });
    const status = computeCloneSetStatus({ cloneSet, pods, currentRevision: 'web-1', updateRevision: 'web-2', now: T0 });
    expect(status).toEqual({
      observedGeneration: 7,
      replicas: 10,
      readyReplicas: 9,
      availableReplicas: 7,
      updatedReplicas: 5,
      updatedReadyReplicas: 5,
      updatedAvailableReplicas: 3,
      expectedUpdatedReplicas: 5,
      updateRevision: 'web-2',
      currentRevision: 'web-1',
      collisionCount: 0,
      labelSelector: 'app=web',
    });
  });

  it.each([
    { story: 'all 3 pods updated, replicas 3 → current revision moves', replicas: 3, want: 'web-2' },
    { story: 'all 3 pods updated, replicas 4 → current revision stays', replicas: 4, want: 'web-1' },
  ])('$story', ({ replicas, want }) => {
    const pods = somePods(3, 'web', { revision: 'web-2', phase: 'not-ready' });
    const status = computeCloneSetStatus({ cloneSet: aCloneSet({ replicas }), pods, currentRevision: 'web-1', updateRevision: 'web-2', now: T0 });
    expect(status.currentRevision).toBe(want);
  });

  it('records scale and update failures', () => {
    const status = computeCloneSetStatus({ cloneSet: aCloneSet({ replicas: 1 }), pods: [], currentRevision: 'a', updateRevision: 'a', now: T0, scaleError: 'quota exceeded' });
    expect(status.conditions).toEqual([{ type: 'FailedScale', status: 'True', lastTransitionTime: iso(T0), message: 'quota exceeded' }]);
  });

  it('keeps the entry of a failure that persists (a changing message alone does not rewrite the status)', () => {
    const previous: CloneSetCondition = { type: 'FailedUpdate', status: 'True', lastTransitionTime: iso(T0), message: 'pod web-a: InPlaceOnly' };
    const cloneSet = aCloneSet({ replicas: 1, status: { conditions: [previous] } });
    const again = computeCloneSetStatus({ cloneSet, pods: [], currentRevision: 'a', updateRevision: 'b', now: at(30), updateError: 'pod web-b: InPlaceOnly' });
    expect(again.conditions).toEqual([previous]);
    // Once the failure is gone the condition goes; a later failure is a new transition.
    const cleared = computeCloneSetStatus({ cloneSet, pods: [], currentRevision: 'a', updateRevision: 'b', now: at(30) });
    expect(cleared.conditions).toBeUndefined();
    const fresh = computeCloneSetStatus({ cloneSet: aCloneSet({ replicas: 1, status: cleared }), pods: [], currentRevision: 'a', updateRevision: 'b', now: at(60), updateError: 'again' });
    expect(fresh.conditions).toEqual([{ type: 'FailedUpdate', status: 'True', lastTransitionTime: iso(at(60)), message: 'again' }]);
  });

  it('keeps conditions written by others', () => {
    const theirs: CloneSetCondition = { type: 'example.com/Approved', status: 'True', reason: 'Reviewed', lastTransitionTime: iso(T0) };
    const cloneSet = aCloneSet({ replicas: 1, status: { conditions: [theirs] } });
    const status = computeCloneSetStatus({ cloneSet, pods: [], currentRevision: 'a', updateRevision: 'a', now: at(30), scaleError: 'quota exceeded' });
    expect(status.conditions).toEqual([theirs, { type: 'FailedScale', status: 'True', lastTransitionTime: iso(at(30)), message: 'quota exceeded' }]);
  });
});
