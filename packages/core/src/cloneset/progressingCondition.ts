import type { CloneSet, CloneSetCondition, CloneSetProgressingReason, CloneSetStatus } from '../api/cloneSet.js';
import type { EpochMs } from '../shared/podState.js';
import { formatTime, parseTime } from '../shared/podState.js';
import { MAX_INT32 } from './cloneSetSettings.js';

/** The condition type progressDeadlineSeconds drives. */
export const PROGRESSING_CONDITION = 'Progressing';

/** What {@link computeProgressingCondition} weighs. */
export interface ProgressingInput {
  /** The CloneSet: spec (replicas, paused, progressDeadlineSeconds) and previous `status`. */
  readonly cloneSet: CloneSet;
  /** The new status counts and revisions (conditions ignored). */
  readonly status: CloneSetStatus;
  /** Now, epoch ms. */
  readonly now: EpochMs;
}

/** The Progressing condition to record, and when to look at it again. */
export interface ProgressingResult {
  /** The condition, or undefined without a deadline (the condition is then removed). */
  readonly condition: CloneSetCondition | undefined;
  /** Milliseconds until the deadline should be checked again (only while progressing). */
  readonly requeueAfterMs: number | undefined;
}

/** Returns whether `progressDeadlineSeconds` is set to something other than 2147483647. */
export function hasProgressDeadline(cloneSet: CloneSet): boolean {
  const seconds = cloneSet.spec.progressDeadlineSeconds;
  return seconds !== undefined && seconds !== MAX_INT32;
}

function isAvailable(cloneSet: CloneSet, status: CloneSetStatus): boolean {
  const replicas = cloneSet.spec.replicas ?? 1;
  return status.currentRevision === status.updateRevision && status.replicas === replicas && status.updatedAvailableReplicas === replicas;
}

function isPartitionAvailable(cloneSet: CloneSet, status: CloneSetStatus): boolean {
  const expected = status.expectedUpdatedReplicas ?? 0;
  return (status.updatedAvailableReplicas ?? 0) >= expected && expected < (cloneSet.spec.replicas ?? 1);
}

// Time spent paused, done or held by partition does not count: only a condition that has been
// "progressing" (or already timed out) can run out of time.
// (The two long spellings are what kruise-ts 0.1 wrote: a status it left behind still reads right.)
const RESTING: readonly string[] = ['CloneSetAvailable', 'CloneSetPaused', 'ProgressPartitionAvailable', 'CloneSetProgressPaused', 'CloneSetProgressPartitionAvailable'];

function isDeadlineExceeded(previous: CloneSetCondition | undefined, seconds: number, now: EpochMs): boolean {
  if (previous === undefined || RESTING.includes(previous.reason ?? '')) return false;
  if (previous.reason === 'ProgressDeadlineExceeded') return true;
  const since = parseTime(previous.lastUpdateTime) ?? Number.NEGATIVE_INFINITY;
  return since + seconds * 1000 < now;
}

function desired(input: ProgressingInput, previous: CloneSetCondition | undefined, seconds: number): [CloneSetProgressingReason, 'True' | 'False', string] {
  const { cloneSet, status, now } = input;
  if (isAvailable(cloneSet, status)) return ['CloneSetAvailable', 'True', 'CloneSet is available'];
  if (cloneSet.spec.updateStrategy?.rollingUpdate?.paused === true) return ['CloneSetPaused', 'True', 'CloneSet is paused'];
  if (isPartitionAvailable(cloneSet, status)) return ['ProgressPartitionAvailable', 'True', 'CloneSet has been paused due to partition ready'];
  if (isDeadlineExceeded(previous, seconds, now)) return ['ProgressDeadlineExceeded', 'False', `CloneSet revision ${status.updateRevision ?? ''} has timed out progressing`];
  const resumed = previous?.reason === 'CloneSetPaused' || previous?.reason === 'CloneSetProgressPaused';
  return ['CloneSetUpdated', 'True', resumed ? 'CloneSet is resumed' : 'CloneSet is progressing'];
}

/**
 * Returns the `Progressing` condition of a CloneSet with `progressDeadlineSeconds` (OpenKruise
 * `calculateProgressingStatus`), checked in this order: `CloneSetAvailable` (every pod updated
 * and available), `CloneSetPaused`, `ProgressPartitionAvailable` (the
 * partition's share updated and available), `ProgressDeadlineExceeded` (status False: no change
 * of reason for longer than the deadline while progressing), else `CloneSetUpdated`. Paused and
 * partition-held time never counts. The previous condition is kept while status and reason stay
 * (so its `lastUpdateTime` times the deadline); a new update revision starts a new timer.
 *
 * @example deadline 10 s, CloneSetUpdated since 10:00:00, now 10:00:08 → unchanged, requeue in 3 s
 * @example the same at 10:00:11 → { status: 'False', reason: 'ProgressDeadlineExceeded' }
 */
export function computeProgressingCondition(input: ProgressingInput): ProgressingResult {
  const { cloneSet, status, now } = input;
  const seconds = cloneSet.spec.progressDeadlineSeconds;
  if (!hasProgressDeadline(cloneSet) || seconds === undefined) return { condition: undefined, requeueAfterMs: undefined };
  const sameRollout = cloneSet.status?.updateRevision === undefined || cloneSet.status.updateRevision === status.updateRevision;
  const previous = sameRollout ? cloneSet.status?.conditions?.find((c) => c.type === PROGRESSING_CONDITION) : undefined;
  const [reason, conditionStatus, message] = desired(input, previous, seconds);
  const condition: CloneSetCondition =
    previous !== undefined && previous.status === conditionStatus && previous.reason === reason
      ? previous
      : {
          type: PROGRESSING_CONDITION,
          status: conditionStatus,
          reason,
          message,
          lastUpdateTime: formatTime(now),
          lastTransitionTime: previous?.status === conditionStatus ? (previous.lastTransitionTime ?? formatTime(now)) : formatTime(now),
        };
  return { condition, requeueAfterMs: reason === 'CloneSetUpdated' ? requeueAfter(condition, seconds, now) : undefined };
}

// OpenKruise adds a second past the deadline to absorb millisecond skew in the work queue.
function requeueAfter(condition: CloneSetCondition, seconds: number, now: EpochMs): number {
  const after = (parseTime(condition.lastUpdateTime) ?? now) + seconds * 1000 - now;
  return after < 1000 ? after : after + 1000;
}
