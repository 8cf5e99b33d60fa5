import type { Pod } from '../api/pod.js';
import { getPodCondition, hasUnavailableLabel, isPodTerminating, isRunningAndReady, parseTime, type EpochMs } from '../shared/podState.js';
import { podLifecycleState } from '../workload/workloadPod.js';

/**
 * How the Advanced StatefulSet controller reads one of its pods (OpenKruise
 * `stateful_set_utils.go`): created, healthy, available after minReadySeconds.
 */

/** Returns whether the apiserver holds the pod (its status has a phase; a pod the pass is about to create has none). */
export function isCreated(pod: Pod): boolean {
  return (pod.status?.phase ?? '') !== '';
}

/** Returns whether the pod has ended (`Failed`, or `Succeeded`: an evicted or stopped pod): it is replaced. */
export function hasFinished(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Failed' || phase === 'Succeeded';
}

// A lifecycle state other than none or Normal makes a pod neither healthy nor available.
function inNormalState(pod: Pod): boolean {
  const state = podLifecycleState(pod);
  return state === '' || state === 'Normal';
}

/**
 * Returns whether the pod is healthy (OpenKruise `isHealthy`): no lifecycle state or Normal,
 * Running and Ready, not terminating.
 */
export function isHealthy(pod: Pod): boolean {
  return inNormalState(pod) && isRunningAndReady(pod) && !isPodTerminating(pod);
}

/** Whether a pod is available, and if not yet only because of minReadySeconds, how long until it is. */
export interface PodAvailability {
  readonly available: boolean;
  /** Milliseconds until the pod becomes available (> 0 only when it is ready and waits for minReadySeconds). */
  readonly waitMs: number;
}

/**
 * Returns whether the pod is available (OpenKruise `isRunningAndAvailable`): no lifecycle state
 * or Normal, no `unavailable-pod.kruise.io/` label (`hasUnavailableLabel`), Running and Ready, and
 * ready for at least `minReadySeconds` (a Ready condition without a transition time waits the
 * whole window).
 *
 * @example ready since 10:00:00, minReadySeconds 10, now 10:00:04 → { available: false, waitMs: 6000 }
 * @example the same at 10:00:10 → { available: true, waitMs: 0 }
 */
export function statefulPodAvailability(pod: Pod, minReadySeconds: number, now: EpochMs): PodAvailability {
  if (!inNormalState(pod) || hasUnavailableLabel(pod) || !isRunningAndReady(pod)) return { available: false, waitMs: 0 };
  if (minReadySeconds <= 0) return { available: true, waitMs: 0 };
  const since = parseTime(getPodCondition(pod, 'Ready')?.lastTransitionTime);
  if (since === undefined) return { available: false, waitMs: minReadySeconds * 1000 };
  const waitMs = since + minReadySeconds * 1000 - now;
  return waitMs > 0 ? { available: false, waitMs } : { available: true, waitMs: 0 };
}
