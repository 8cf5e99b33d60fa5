import type { Pod } from '../api/pod.js';
import { WORKLOADSPREAD_SUBSET_SCHEDULABLE, type WorkloadSpreadSubsetCondition } from '../api/workloadSpread.js';
import { WORKLOADSPREAD_MAX_SCHEDULED_FAILED_SECONDS } from '../api/validateWorkloadSpread.js';
import { formatTime, parseTime, type EpochMs } from '../shared/podState.js';
import { classifyPendingPod } from '../workload/classifyPendingPod.js';
import type { PassEvent } from '../workload/workloadEffect.js';

/** What {@link planSubsetSchedulable} reads. */
export interface SubsetSchedulableInput {
  readonly subsetName: string;
  readonly pods: readonly Pod[];
  /** The subset's `Schedulable` condition as stored, if any. */
  readonly old: WorkloadSpreadSubsetCondition | undefined;
  readonly rescheduleCriticalSeconds: number;
  /** The last subset is never marked unschedulable (its pods have nowhere else to go). */
  readonly last: boolean;
  readonly namespace: string;
  readonly workloadSpreadName: string;
  readonly now: EpochMs;
}

/** The subset's new `Schedulable` condition, the pods to delete so they are created elsewhere, and when to look again. */
export interface SubsetSchedulable {
  readonly condition: WorkloadSpreadSubsetCondition;
  /** Pods unschedulable for longer than rescheduleCriticalSeconds (none for the last subset). */
  readonly podsToDelete: readonly Pod[];
  readonly events: readonly PassEvent[];
  readonly requeueAfterMs: number | undefined;
}

const condition = (status: 'True' | 'False', now: EpochMs): WorkloadSpreadSubsetCondition => ({ type: WORKLOADSPREAD_SUBSET_SCHEDULABLE, status, lastTransitionTime: formatTime(now), reason: '', message: '' });

// OpenKruise's setWorkloadSpreadSubsetCondition: the same status (and empty reason/message) keeps the stored condition.
const keepOrSet = (old: WorkloadSpreadSubsetCondition | undefined, status: 'True' | 'False', now: EpochMs): WorkloadSpreadSubsetCondition =>
  old !== undefined && old.status === status && (old.reason ?? '') === '' && (old.message ?? '') === '' ? old : condition(status, now);

/**
 * Returns a subset's `Schedulable` condition under the Adaptive strategy (OpenKruise's
 * `rescheduleSubset`): a subset with a pod Pending and unschedulable (PodScheduled False,
 * reason Unschedulable) for longer than rescheduleCriticalSeconds since its creation is marked
 * `False` and those pods are deleted, so the workload re-creates them and the webhook places them
 * in a later subset; a `False` subset turns `True` again 300 s after it was marked. The last subset
 * stays `True`.
 *
 * @example rescheduleCriticalSeconds 10; zone-a pod pending unschedulable since now−20 s → Schedulable False, that pod deleted
 */
export function planSubsetSchedulable(input: SubsetSchedulableInput): SubsetSchedulable {
  if (input.last) return { condition: keepOrSet(input.old, 'True', input.now), podsToDelete: [], events: [], requeueAfterMs: undefined };
  let requeueAfterMs: number | undefined;
  const podsToDelete = input.pods.filter((pod) => {
    const verdict = classifyPendingPod(pod, input.rescheduleCriticalSeconds * 1000, input.now);
    if (verdict.kind === 'waiting') requeueAfterMs = Math.min(requeueAfterMs ?? verdict.afterMs, verdict.afterMs);
    return verdict.kind === 'timed-out';
  });
  if (podsToDelete.length > 0) return { condition: keepOrSet(input.old, 'False', input.now), podsToDelete, events: [], requeueAfterMs };
  if (input.old === undefined || input.old.status !== 'False') return { condition: keepOrSet(input.old, 'True', input.now), podsToDelete, events: [], requeueAfterMs };
  const recoverAt = (parseTime(input.old.lastTransitionTime) ?? 0) + WORKLOADSPREAD_MAX_SCHEDULED_FAILED_SECONDS * 1000;
  if (recoverAt < input.now) {
    const message = `Subset ${input.subsetName} of WorkloadSpread ${input.namespace}/${input.workloadSpreadName} is recovered from unschedulable to schedulable`;
    return { condition: condition('True', input.now), podsToDelete, events: [{ type: 'Normal', reason: 'RecoverSchedulable', message }], requeueAfterMs };
  }
  return { condition: input.old, podsToDelete, events: [], requeueAfterMs: Math.min(requeueAfterMs ?? recoverAt - input.now, recoverAt - input.now) };
}
