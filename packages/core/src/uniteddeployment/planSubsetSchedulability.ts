import type { Pod } from '../api/pod.js';
import { DEFAULT_RESCHEDULE_CRITICAL_SECONDS, DEFAULT_UNSCHEDULABLE_DURATION_SECONDS, type UnitedDeploymentCondition, type UnitedDeploymentScheduleStrategy } from '../api/unitedDeployment.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import { classifyPendingPod } from '../workload/classifyPendingPod.js';

/** The subset condition the Adaptive strategy keeps: `Schedulable`. */
export const SUBSET_SCHEDULABLE_CONDITION = 'Schedulable';

/** Seconds a pending pod may wait before its subset counts as unschedulable (default 30). */
export function rescheduleCriticalMs(strategy: UnitedDeploymentScheduleStrategy | undefined): number {
  return (strategy?.adaptive?.rescheduleCriticalSeconds ?? DEFAULT_RESCHEDULE_CRITICAL_SECONDS) * 1000;
}

/** How long an unschedulable subset stays so before it is tried again (default 300 s). */
export function unschedulableDurationMs(strategy: UnitedDeploymentScheduleStrategy | undefined): number {
  return (strategy?.adaptive?.unschedulableDuration ?? DEFAULT_UNSCHEDULABLE_DURATION_SECONDS) * 1000;
}

/** What {@link planSubsetSchedulability} reads of one subset. */
export interface SubsetSchedulabilityInput {
  /** The subset's `Schedulable` condition as stored in the UnitedDeployment status (if any). */
  readonly condition: UnitedDeploymentCondition | undefined;
  /** The child's `status.replicas` and `status.readyReplicas`. */
  readonly replicas: number;
  readonly readyReplicas: number;
  /** The child's pods. */
  readonly pods: readonly Pod[];
  readonly strategy: UnitedDeploymentScheduleStrategy | undefined;
  readonly now: EpochMs;
}

/** Whether a subset is unschedulable this pass, its new `Schedulable` condition, and when to look again. */
export interface SubsetSchedulability {
  readonly unschedulable: boolean;
  /** Pods pending past `rescheduleCriticalSeconds`. */
  readonly pendingPods: number;
  /**
   * Why: `pending-timeout` (pods timed out now), `still-unschedulable` (within
   * `unschedulableDuration` of being marked), `recovered` (that time is over), `schedulable`.
   */
  readonly reason: 'pending-timeout' | 'still-unschedulable' | 'recovered' | 'schedulable';
  /** The `Schedulable` condition to store (the old one when nothing changed; undefined when there was none and none is needed). */
  readonly condition: UnitedDeploymentCondition | undefined;
  readonly requeueAfterMs: number | undefined;
}

function conditionOf(status: 'True' | 'False', reason: string, message: string, old: UnitedDeploymentCondition | undefined, now: EpochMs): UnitedDeploymentCondition {
  // OpenKruise's SetCondition: same status and reason → unchanged.
  if (old?.status === status && old.reason === reason) return old;
  return { type: SUBSET_SCHEDULABLE_CONDITION, status, lastTransitionTime: formatTime(now), reason, message };
}

/**
 * Returns whether a subset counts as unschedulable under the Adaptive strategy (without
 * reservation), as OpenKruise's `calculateSubsetsStatusForDefaultAdaptiveStrategy`: a subset
 * marked unschedulable (condition `Schedulable` False) stays so for `unschedulableDuration` after
 * the mark, then recovers (condition True, reason `recover`); while some pods are not ready, pods
 * pending unschedulable past `rescheduleCriticalSeconds` mark it (again) unschedulable (condition
 * False, reason `reschedule`, kept as it was when already so). The pass comes back when a pod
 * would time out, when the mark ends, or `unschedulableDuration` after a new mark.
 *
 * @example condition False since 0, duration 300 s, now 100 s, no pending pods → unschedulable, still-unschedulable, requeue 200 s
 * @example no condition, 3 pods of 4 pending unschedulable for 40 s (critical 30 s) → unschedulable, pendingPods 3, condition False/reschedule
 */
export function planSubsetSchedulability(input: SubsetSchedulabilityInput): SubsetSchedulability {
  const { strategy, now } = input;
  const duration = unschedulableDurationMs(strategy);
  let condition = input.condition;
  let unschedulable = false;
  let reason: SubsetSchedulability['reason'] = 'schedulable';
  const delays: number[] = [];
  if (condition?.status === 'False') {
    const recoverAt = Date.parse(condition.lastTransitionTime ?? '') + duration;
    if (now < recoverAt) {
      unschedulable = true;
      reason = 'still-unschedulable';
      delays.push(recoverAt - now);
    } else {
      reason = 'recovered';
      condition = conditionOf('True', 'recover', `unschedulable subset recovered after ${(duration / 1000).toFixed(6)} seconds`, condition, now);
    }
  }
  let pendingPods = 0;
  if (input.readyReplicas < input.replicas) {
    for (const pod of input.pods) {
      const verdict = classifyPendingPod(pod, rescheduleCriticalMs(strategy), now);
      if (verdict.kind === 'timed-out') pendingPods++;
      if (verdict.kind === 'waiting') delays.push(verdict.afterMs);
    }
    if (pendingPods > 0) {
      unschedulable = true;
      reason = 'pending-timeout';
      condition = conditionOf('False', 'reschedule', 'timeout pending pods found', condition, now);
      delays.push(duration);
    }
  }
  return { unschedulable, pendingPods, reason, condition, requeueAfterMs: delays.length === 0 ? undefined : Math.min(...delays) };
}
