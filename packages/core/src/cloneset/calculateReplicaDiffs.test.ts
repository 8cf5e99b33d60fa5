import { describe, expect, it } from 'vitest';
import type { LifecycleState } from '../api/pub.js';
import type { IntOrPercent } from '../shared/intOrPercent.js';
import { aCloneSet, aPod, T0, type CloneSetOptions } from '../testing/index.js';
import { calculateReplicaDiffs, type ReplicaDiffs } from './calculateReplicaDiffs.js';

// Transcribed from OpenKruise's TestCalculateDiffsWithExpectation (cloneset_sync_utils_test.go):
// current revision `old`, update revision `new` (or both `new` when the revision is consistent),
// CloneSetPartitionRollback on unless stated otherwise.
const OLD = 'web-old';
const NEW = 'web-new';

let seq = 0;
function p(revision: string, lifecycle: LifecycleState, ready: boolean, specifiedDelete = false) {
  seq += 1;
  return aPod({ name: `web-${seq}`, revision, lifecycle, phase: ready ? 'ready' : 'pending', specifiedDelete });
}
const ready = (revision: string, n: number, lifecycle: LifecycleState = 'Normal') => Array.from({ length: n }, () => p(revision, lifecycle, true));

function cs(replicas: number, partition: IntOrPercent, maxUnavailable: IntOrPercent, maxSurge: IntOrPercent, extra: CloneSetOptions = {}) {
  return aCloneSet({ replicas, partition, maxUnavailable, maxSurge, ...extra });
}

const ZERO: ReplicaDiffs = {
  scaleUpNum: 0, scaleUpNumOldRevision: 0, scaleDownNum: 0, scaleDownNumOldRevision: 0, scaleUpLimit: 0,
  deleteReadyLimit: 0, useSurge: 0, useSurgeOldRevision: 0, updateNum: 0, updateMaxUnavailable: 0,
};
const d = (partial: Partial<ReplicaDiffs>): ReplicaDiffs => ({ ...ZERO, ...partial });

interface Case {
  name: string;
  set: ReturnType<typeof cs>;
  pods: ReturnType<typeof p>[];
  consistent?: boolean;
  noRollbackGate?: boolean;
  preparingUpdateAsUpdate?: boolean;
  want: ReplicaDiffs;
}

const EXCLUDE = { labels: { 'apps.kruise.io/cloneset-scaling-exclude-preparing-delete': 'true' } };

const cases: Case[] = [
  { name: 'an empty cloneset', set: cs(0, 0, 1, 0), pods: [], want: ZERO },
  { name: 'scale 0→5 (step 1/2)', set: cs(5, 0, 1, 0), pods: [], want: d({ scaleUpNum: 5, scaleUpLimit: 5 }) },
  { name: 'scale 0→5 (step 2/2)', set: cs(5, 0, 1, 0), pods: ready(NEW, 5), want: ZERO },
  { name: 'specified delete 1 of 5 ready (step 1/3)', set: cs(5, 0, 1, 0), pods: [p(NEW, 'Normal', true, true), ...ready(NEW, 4)], want: d({ deleteReadyLimit: 1 }) },
  { name: 'specified delete 1 of 5 ready (step 2/3)', set: cs(5, 0, 1, 0), pods: ready(NEW, 4), want: d({ scaleUpNum: 1, scaleUpLimit: 1 }) },
  { name: 'specified delete 2 of 5 ready (step 1/6)', set: cs(5, 0, 1, 0), pods: [p(NEW, 'Normal', true, true), p(NEW, 'Normal', true, true), ...ready(NEW, 3)], want: d({ deleteReadyLimit: 1 }) },
  { name: 'specified delete 2 of 5 ready (step 3/6)', set: cs(5, 0, 1, 0), pods: [p(NEW, 'Normal', true, true), ...ready(NEW, 3), p(NEW, 'Normal', false)], want: ZERO },
  { name: 'specified delete 2 of 5 ready (step 4/6)', set: cs(5, 0, 1, 0), pods: [p(NEW, 'Normal', true, true), ...ready(NEW, 4)], want: d({ deleteReadyLimit: 1 }) },
  { name: 'specified delete 2 not-ready and scale 5→4 (step 1/3)', set: cs(4, 0, 1, 0), pods: [p(NEW, 'Normal', false, true), p(NEW, 'Normal', false, true), ...ready(NEW, 3)], want: d({ deleteReadyLimit: 2 }) },
  { name: 'specified delete 2 and scale 5→4 (step 2/3)', set: cs(4, 0, 1, 0), pods: ready(NEW, 3), want: d({ scaleUpNum: 1, scaleUpLimit: 1 }) },
  { name: 'update partition=3 (step 1/3)', set: cs(5, 3, 1, 0), pods: ready(OLD, 5), want: d({ updateNum: 2, updateMaxUnavailable: 1 }) },
  { name: 'update partition=3 (step 2/3)', set: cs(5, 3, 1, 0), pods: [...ready(NEW, 1), ...ready(OLD, 4)], want: d({ updateNum: 1, updateMaxUnavailable: 1 }) },
  { name: 'update partition=3 (step 3/3)', set: cs(5, 3, 1, 0), pods: [...ready(NEW, 2), ...ready(OLD, 3)], want: ZERO },
  { name: 'rollback partition=4 (step 1/3)', set: cs(5, 4, 2, 0), pods: [...ready(NEW, 4), ...ready(OLD, 1)], want: d({ updateNum: -3, updateMaxUnavailable: 2 }) },
  { name: 'rollback partition=4 (step 2/3)', set: cs(5, 4, 2, 0), pods: [...ready(NEW, 2), ...ready(OLD, 3)], want: d({ updateNum: -1, updateMaxUnavailable: 2 }) },
  { name: 'rollback partition=4 (step 3/3)', set: cs(5, 4, 2, 0), pods: [...ready(NEW, 1), ...ready(OLD, 4)], want: ZERO },
  { name: 'specified delete with maxSurge 1 (step 1/4)', set: cs(5, 0, 0, 1), pods: [p(NEW, 'Normal', true, true), ...ready(NEW, 4)], want: d({ scaleUpNum: 1, useSurge: 1, scaleUpLimit: 1 }) },
  { name: 'specified delete with maxSurge 1 (step 2/4)', set: cs(5, 0, 0, 1), pods: [p(NEW, 'Normal', true, true), ...ready(NEW, 4), p(NEW, 'Normal', false)], want: d({ useSurge: 1 }) },
  { name: 'specified delete with maxSurge 1 (step 3/4)', set: cs(5, 0, 0, 1), pods: [p(NEW, 'Normal', true, true), ...ready(NEW, 5)], want: d({ deleteReadyLimit: 1, useSurge: 1 }) },
  { name: 'in-place partition=3 with maxSurge 1 (step 1/4)', set: cs(5, 3, 1, 1), pods: ready(OLD, 5), want: d({ scaleUpNum: 1, useSurge: 1, updateNum: 2, updateMaxUnavailable: 1, scaleUpLimit: 1 }) },
  { name: 'in-place partition=3 with maxSurge 1 (step 2/4)', set: cs(5, 3, 1, 1), pods: [...ready(OLD, 5), p(NEW, 'Normal', false)], want: d({ useSurge: 1, updateNum: 1, updateMaxUnavailable: 2 }) },
  { name: 'in-place partition=3 with maxSurge 1 (step 3/4)', set: cs(5, 3, 1, 1), pods: [...ready(OLD, 4), p(NEW, 'Updating', false), p(NEW, 'Normal', false)], want: d({ scaleDownNum: 1, scaleDownNumOldRevision: 1 }) },
  { name: 'in-place partition=3 with maxSurge 1 (step 4/4)', set: cs(5, 3, 1, 1), pods: [...ready(OLD, 4), p(NEW, 'Normal', true), p(NEW, 'Normal', false)], want: d({ scaleDownNum: 1, scaleDownNumOldRevision: 1, deleteReadyLimit: 1 }) },
  { name: 'recreate partition=3 with maxSurge 1 (step 3/7)', set: cs(5, 3, 1, 1), pods: [...ready(OLD, 4), p(OLD, 'Normal', true, true), p(NEW, 'Normal', false)], want: d({ useSurge: 1, useSurgeOldRevision: 1, deleteReadyLimit: 1, updateNum: 1, updateMaxUnavailable: 2 }) },
  { name: 'recreate partition=3 with maxSurge 1 (step 4/7)', set: cs(5, 3, 1, 1), pods: [...ready(OLD, 4), p(NEW, 'Normal', false)], want: d({ useSurge: 1, scaleUpNum: 1, updateNum: 1, updateMaxUnavailable: 1, scaleUpLimit: 1 }) },
  { name: 'recreate partition=3 with maxSurge 1 (step 5/7)', set: cs(5, 3, 1, 1), pods: [...ready(OLD, 4), p(NEW, 'Normal', false), p(NEW, 'Normal', false)], want: d({ scaleDownNum: 1, scaleDownNumOldRevision: 1 }) },
  { name: 'recreate partition=3 with maxSurge 1 (step 6/7)', set: cs(5, 3, 1, 1), pods: [...ready(OLD, 4), p(NEW, 'Normal', true), p(NEW, 'Normal', false)], want: d({ scaleDownNum: 1, scaleDownNumOldRevision: 1, deleteReadyLimit: 1 }) },
  { name: 'partition 99%, maxUnavailable 3, maxSurge 2 (step 1/3)', set: cs(5, '99%', 3, 2), pods: ready(OLD, 5), want: d({ scaleUpNum: 1, useSurge: 1, updateNum: 1, updateMaxUnavailable: 3, scaleUpLimit: 1 }) },
  { name: 'partition 99%, maxUnavailable 3, maxSurge 2 (step 2/3)', set: cs(5, '99%', 3, 2), pods: [...ready(OLD, 5), p(NEW, 'Normal', false)], want: d({ scaleDownNum: 1, scaleDownNumOldRevision: 1, deleteReadyLimit: 3 }) },
  { name: 'partition 99%, maxUnavailable 40%, maxSurge 30% (step 1/3)', set: cs(5, '99%', '40%', '30%'), pods: ready(OLD, 5), want: d({ scaleUpNum: 1, useSurge: 1, updateNum: 1, updateMaxUnavailable: 2, scaleUpLimit: 1 }) },
  { name: 'partition 99%, maxUnavailable 40%, maxSurge 30% (step 2/3)', set: cs(5, '99%', '40%', '30%'), pods: [...ready(OLD, 5), p(NEW, 'Normal', false)], want: d({ scaleDownNum: 1, scaleDownNumOldRevision: 1, deleteReadyLimit: 2 }) },
  { name: 'partition 99%, maxUnavailable 30%, maxSurge 30% (step 1/3)', set: cs(5, '99%', '30%', '30%'), pods: ready(OLD, 5), want: d({ scaleUpNum: 1, useSurge: 1, updateNum: 1, updateMaxUnavailable: 1, scaleUpLimit: 1 }) },
  { name: 'partition 99%, maxUnavailable 30%, maxSurge 30% (step 2/3)', set: cs(5, '99%', '30%', '30%'), pods: [...ready(OLD, 5), p(NEW, 'Normal', false)], want: d({ scaleDownNum: 1, scaleDownNumOldRevision: 1, deleteReadyLimit: 1 }) },
  { name: 'revision consistent, partition 3', set: cs(5, 3, 1, 0), pods: ready(NEW, 5), consistent: true, want: ZERO },
  { name: 'revision consistent, partition 1', set: cs(5, 1, 1, 0), pods: [...ready(OLD, 3), ...ready(NEW, 2)], consistent: true, want: d({ updateNum: 2, updateMaxUnavailable: 1 }) },
  { name: 'update while scale-up lags', set: cs(5, 1, 2, 0), pods: [...ready(OLD, 2), ...ready(NEW, 2)], consistent: true, want: d({ scaleUpNum: 1, updateNum: 1, updateMaxUnavailable: 1, scaleUpLimit: 1 }) },
  { name: 'update while scale-down lags', set: cs(5, 1, 1, 0), pods: [...ready(OLD, 3), ...ready(NEW, 3)], consistent: true, want: d({ scaleDownNum: 1, scaleDownNumOldRevision: 2, deleteReadyLimit: 2, updateNum: 1, updateMaxUnavailable: 2 }) },
  { name: 'no rollback without the gate', set: cs(5, 4, 1, 0), pods: [...ready(OLD, 1), ...ready(NEW, 4)], noRollbackGate: true, want: ZERO },
  { name: 'scale 0→5 with scale maxUnavailable 2', set: cs(5, 0, 1, 0, { scaleMaxUnavailable: 2 }), pods: [], want: d({ scaleUpNum: 5, scaleUpLimit: 2 }) },
  { name: 'scale 3→6 with scale maxUnavailable 2, 1 not ready', set: cs(6, 0, 1, 0, { scaleMaxUnavailable: 2 }), pods: [...ready(NEW, 2), p(NEW, 'Normal', false)], want: d({ scaleUpNum: 3, scaleUpLimit: 1 }) },
  { name: 'scale 3→6 with scale maxUnavailable 2, 2 not ready', set: cs(6, 0, 1, 0, { scaleMaxUnavailable: 2 }), pods: [...ready(NEW, 1), p(NEW, 'Normal', false), p(NEW, 'Normal', false)], want: d({ scaleUpNum: 3 }) },
  { name: 'PreparingDelete counted (step 2/4)', set: cs(3, 0, 1, 0), pods: [...ready(NEW, 2), p(NEW, 'PreparingDelete', true, true)], want: ZERO },
  { name: 'PreparingDelete excluded by label (step 2/4)', set: cs(3, 0, 1, 0, EXCLUDE), pods: [...ready(NEW, 2), p(NEW, 'PreparingDelete', true, true)], want: d({ scaleUpNum: 1, scaleUpLimit: 1 }) },
  { name: 'PreparingDelete excluded by label (step 3/4)', set: cs(3, 0, 1, 0, EXCLUDE), pods: [...ready(NEW, 2), p(NEW, 'PreparingDelete', true, true), p(NEW, 'Normal', false)], want: ZERO },
  { name: 'PreparingDelete excluded, cancel (step 4/5)', set: cs(3, 0, 1, 0, EXCLUDE), pods: [...ready(NEW, 3), p(NEW, 'Normal', false)], want: d({ scaleDownNum: 1, deleteReadyLimit: 1 }) },
  { name: 'PreparingDelete excluded, scale 3→2 (step 2/6)', set: cs(2, 0, 1, 0, EXCLUDE), pods: [...ready(NEW, 2), p(NEW, 'Normal', true, true)], want: d({ deleteReadyLimit: 2 }) },
  { name: 'PreparingDelete excluded by field', set: cs(3, 0, 1, 0, { excludePreparingDelete: true }), pods: [...ready(NEW, 2), p(NEW, 'PreparingDelete', true, true)], want: d({ scaleUpNum: 1, scaleUpLimit: 1 }) },
  { name: 'PreparingUpdate as update, partition 90%', set: cs(4, '90%', 1, 0, EXCLUDE), pods: [p(OLD, 'PreparingUpdate', true), ...ready(OLD, 2)], preparingUpdateAsUpdate: true, want: d({ scaleUpNum: 1, scaleUpLimit: 1, scaleUpNumOldRevision: 1 }) },
  { name: 'PreparingUpdate as update, partition 2', set: cs(4, 2, 1, 0, EXCLUDE), pods: [p(OLD, 'PreparingUpdate', true), ...ready(OLD, 2)], preparingUpdateAsUpdate: true, want: d({ scaleUpNum: 1, scaleUpLimit: 1 }) },
  { name: 'paused: scale 3→5 with maxSurge 3, maxUnavailable 0', set: cs(5, 0, 0, 3, { paused: true }), pods: ready(OLD, 3), want: d({ scaleUpNum: 2, scaleUpLimit: 2, updateNum: 3, updateMaxUnavailable: -2 }) },
  { name: 'paused: scale 5→3 with maxSurge 3, maxUnavailable 0', set: cs(3, 0, 0, 3, { paused: true }), pods: ready(OLD, 5), want: d({ scaleDownNum: 2, scaleDownNumOldRevision: 5, deleteReadyLimit: 2, updateNum: 3, updateMaxUnavailable: 2 }) },
  { name: 'paused: surge pods are removed', set: cs(5, 0, 0, 3, { paused: true }), pods: [...ready(OLD, 5), p(NEW, 'Normal', false), p(NEW, 'Normal', false), p(NEW, 'Normal', false)], want: d({ scaleDownNum: 3, scaleDownNumOldRevision: 5, updateNum: 2, updateMaxUnavailable: 3 }) },
  { name: 'paused: surge pods are removed, partition 2', set: cs(5, 2, 0, 3, { paused: true }), pods: [...ready(OLD, 5), p(NEW, 'Normal', false), p(NEW, 'Normal', false), p(NEW, 'Normal', false)], want: d({ scaleDownNum: 3, scaleDownNumOldRevision: 3 }) },
];

describe('calculateReplicaDiffs (OpenKruise calculateDiffsWithExpectation)', () => {
  it.each(cases)('$name', ({ set, pods, consistent, noRollbackGate, preparingUpdateAsUpdate, want }) => {
    const diffs = calculateReplicaDiffs({
      cloneSet: set,
      pods,
      currentRevision: consistent === true ? NEW : OLD,
      updateRevision: NEW,
      now: T0,
      featureGates: { CloneSetPartitionRollback: noRollbackGate !== true, PreparingUpdateAsUpdate: true },
      preparingUpdateAsUpdate: preparingUpdateAsUpdate ?? false,
    });
    expect(diffs).toEqual(want);
  });

  it.each([
    { story: 'minReadySeconds 30, ready for 30 s → still unavailable, scale-up limited', now: T0 + 30_000, limit: 1 },
    { story: 'minReadySeconds 30, ready for 31 s → available', now: T0 + 31_000, limit: 2 },
  ])('$story', ({ now, limit }) => {
    const set = aCloneSet({ replicas: 4, minReadySeconds: 30, scaleMaxUnavailable: 2 });
    const pods = [aPod({ name: 'a', revision: NEW, readySince: T0 }), aPod({ name: 'b', revision: NEW, readySince: T0 - 60_000 })];
    const diffs = calculateReplicaDiffs({ cloneSet: set, pods, currentRevision: NEW, updateRevision: NEW, now });
    expect(diffs.scaleUpLimit).toBe(limit);
  });

  it('ignores terminating and finished pods, as OpenKruise lists only active pods', () => {
    const pods = [...ready(NEW, 2), aPod({ name: 'gone', revision: NEW, phase: 'terminating' }), aPod({ name: 'done', revision: NEW, phase: 'succeeded' })];
    const diffs = calculateReplicaDiffs({ cloneSet: aCloneSet({ replicas: 3 }), pods, currentRevision: NEW, updateRevision: NEW, now: T0 });
    expect(diffs).toEqual(d({ scaleUpNum: 1, scaleUpLimit: 1 }));
  });

  it('counts podsToDelete names like the specified-delete label', () => {
    const pods = ready(NEW, 5);
    const set = aCloneSet({ replicas: 5, maxSurge: 1, maxUnavailable: 0, podsToDelete: [pods[0]!.metadata.name!] });
    const diffs = calculateReplicaDiffs({ cloneSet: set, pods, currentRevision: NEW, updateRevision: NEW, now: T0 });
    expect(diffs).toEqual(d({ scaleUpNum: 1, useSurge: 1, scaleUpLimit: 1 }));
  });
});
