import {
  CONTROLLER_REVISION_HASH_LABEL,
  INPLACE_UPDATE_READY_CONDITION,
  LIFECYCLE_STATE_LABEL,
  SPECIFIED_DELETE_LABEL,
} from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import type { LifecycleState } from '../api/pub.js';
import type { EpochMs } from '../shared/podState.js';
import { equalToRevisionHash } from '../shared/revision.js';
import { getPodCondition, isRunningAndAvailable } from '../shared/podState.js';

/**
 * How a CloneSet looks at one of its pods: revision, lifecycle state, specified deletion and
 * availability, as OpenKruise's `clonesetutils` and `sync.IsPodAvailable` do.
 */

/**
 * Returns the value of the pod's `lifecycle.apps.kruise.io/state` label, or `''` without one. An
 * unknown value is returned as is: like OpenKruise, any state other than `''` and `Normal` makes
 * the pod unavailable.
 */
export function podLifecycleState(pod: Pod): LifecycleState | '' {
  // The cast keeps unknown values: they compare unequal to every known state, as in Go.
  return (pod.metadata.labels?.[LIFECYCLE_STATE_LABEL] ?? '') as LifecycleState | '';
}

/**
 * Returns whether the pod's `controller-revision-hash` names `revision`, comparing the full name
 * or, failing that, the short hashes (so CloneSetShortHash pods still match).
 *
 * @example label 'web-7f9c', revision 'web-7f9c' → true; label '7f9c', revision 'web-7f9c' → true
 */
export function isPodAtRevision(pod: Pod, revision: string): boolean {
  return equalToRevisionHash(pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '', revision);
}

/**
 * Returns whether the pod counts as updated for scale numbers: at `revision`, or (with the
 * PreparingUpdateAsUpdate gate) waiting in `PreparingUpdate`.
 */
export function isPodUpdatedForScale(pod: Pod, revision: string, preparingUpdateAsUpdate: boolean): boolean {
  return (preparingUpdateAsUpdate && podLifecycleState(pod) === 'PreparingUpdate') || isPodAtRevision(pod, revision);
}

/**
 * Returns whether the pod is asked to go: it carries `apps.kruise.io/specified-delete` (any value)
 * or its name is in `scaleStrategy.podsToDelete`.
 */
export function isSpecifiedDelete(pod: Pod, podsToDelete: ReadonlySet<string>): boolean {
  return (
    pod.metadata.labels?.[SPECIFIED_DELETE_LABEL] !== undefined || podsToDelete.has(pod.metadata.name ?? '')
  );
}

/**
 * Returns whether the pod is ready for its CloneSet, lifecycle aside: running, available after
 * `minReadySeconds`, and its `InPlaceUpdateReady` condition (when present) is True
 * (OpenKruise `IsPodUpdateReady`).
 */
export function isPodUpdateReady(pod: Pod, minReadySeconds: number, now: EpochMs): boolean {
  if (!isRunningAndAvailable(pod, minReadySeconds, now)) return false;
  const inPlace = getPodCondition(pod, INPLACE_UPDATE_READY_CONDITION);
  return inPlace === undefined || inPlace.status === 'True';
}

/**
 * Returns whether the pod is available to its CloneSet: in lifecycle state `Normal` (or none), and
 * {@link isPodUpdateReady}. A pod in PreparingNormal, PreparingUpdate, Updating, Updated or
 * PreparingDelete is unavailable even when Kubernetes says it is ready.
 *
 * @example ready Normal pod, minReadySeconds 0 → true; the same pod in `Updated` → false
 */
export function isCloneSetPodAvailable(pod: Pod, minReadySeconds: number, now: EpochMs): boolean {
  const state = podLifecycleState(pod);
  if (state !== '' && state !== 'Normal') return false;
  return isPodUpdateReady(pod, minReadySeconds, now);
}

/** Returns whether the pod is ready to its CloneSet: {@link isCloneSetPodAvailable} with minReadySeconds 0. */
export function isCloneSetPodReady(pod: Pod, now: EpochMs): boolean {
  return isCloneSetPodAvailable(pod, 0, now);
}
