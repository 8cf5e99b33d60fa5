import type { BroadcastJob, BroadcastJobCondition } from '../api/broadcastJob.js';
import { parseTime, type EpochMs } from '../shared/podState.js';

/**
 * Returns whether the job finished (OpenKruise `IsJobFinished`): a `Complete` or `Failed`
 * condition with status True, and never under `completionPolicy.type: Never`.
 *
 * @example conditions [{ type: 'Complete', status: 'True' }], completion Always → true
 */
export function isBroadcastJobFinished(job: BroadcastJob): boolean {
  if (job.spec.completionPolicy?.type === 'Never') return false;
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/**
 * Returns how long until a finished job's TTL runs out (OpenKruise `pastTTLDeadline`):
 * `undefined` without `ttlSecondsAfterFinished` or `completionTime`, else
 * `ttl - (now - completionTime)` in ms (0 or less: delete it now).
 *
 * @example ttl 30, completed 10:00:00, now 10:00:20 → 10000
 */
export function broadcastJobTtlLeftMs(job: BroadcastJob, now: EpochMs): number | undefined {
  const ttl = job.spec.completionPolicy?.ttlSecondsAfterFinished;
  const completed = parseTime(job.status?.completionTime);
  if (ttl === undefined || completed === undefined) return undefined;
  return ttl * 1000 - (now - completed);
}

/**
 * Returns how long until the job passes its active deadline (OpenKruise `pastActiveDeadline`):
 * `undefined` without `activeDeadlineSeconds`, else `deadline - (now - startTime)` in ms (0 or
 * less: past it).
 *
 * @example activeDeadlineSeconds 60, started 10:00:00, now 10:01:00 → 0 (past)
 */
export function broadcastJobDeadlineLeftMs(job: BroadcastJob, startTime: EpochMs, now: EpochMs): number | undefined {
  const deadline = job.spec.completionPolicy?.activeDeadlineSeconds;
  return deadline === undefined ? undefined : deadline * 1000 - (now - startTime);
}

/**
 * Returns the condition a finishing job gets (OpenKruise `newCondition`): status True, the type as
 * reason, probe and transition times `now`.
 *
 * @example finishedCondition('Complete', 'Job completed, 4 pods succeeded, 0 pods failed', '2025-01-01T00:00:00Z')
 */
export function finishedCondition(type: 'Complete' | 'Failed', message: string, now: string): BroadcastJobCondition {
  return { type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: type, message };
}
