import type { Pod } from '../api/pod.js';
import { checkInPlaceUpdateCompleted } from '../inplace/checkInPlaceUpdateCompleted.js';
import { isPodReadyForBudget, isPodTerminating, type EpochMs } from '../shared/podState.js';

/**
 * Returns whether a pod's containers run what its spec says (OpenKruise's
 * `IsPodStateConsistent`): no in-place update left to finish (grace period, pending batch, image
 * not yet reported by the kubelet). A pod never updated in place is consistent.
 *
 * @example a pod whose in-place state records imageID sha256:1 and whose status still reports it → false
 */
export function isPodStateConsistent(pod: Pod, now: EpochMs): boolean {
  return checkInPlaceUpdateCompleted(pod, now).kind === 'completed';
}

/**
 * Returns whether a pod counts as available for a PodUnavailableBudget (OpenKruise's
 * `IsPodReady && IsPodStateConsistent`): Running, Ready, not terminating (kruise's
 * `IsRunningAndReady`), without an `unavailable-pod.kruise.io/` label, and with no in-place update
 * in progress.
 *
 * @example Running + Ready, label unavailable-pod.kruise.io/drain=true → false
 */
export function isPodAvailableForBudget(pod: Pod, now: EpochMs): boolean {
  return isPodReadyForBudget(pod) && !isPodTerminating(pod) && isPodStateConsistent(pod, now);
}
