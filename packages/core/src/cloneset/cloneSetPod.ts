import { SPECIFIED_DELETE_LABEL } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import { hasUnavailableLabel, type EpochMs } from '../shared/podState.js';
import { isPodAtRevision, isPodUpdateReady, podLifecycleState } from '../workload/workloadPod.js';

/**
 * How a CloneSet looks at one of its pods: revision, lifecycle state, specified deletion and
 * availability, as OpenKruise's `clonesetutils` and `sync.IsPodAvailable` do.
 */

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
 * Returns whether the pod is available to its CloneSet: in lifecycle state `Normal` (or none),
 * without an `unavailable-pod.kruise.io/` label (`hasUnavailableLabel`), and
 * {@link isPodUpdateReady}. A pod in PreparingNormal, PreparingUpdate, Updating, Updated or
 * PreparingDelete is unavailable even when Kubernetes says it is ready.
 *
 * @example ready Normal pod, minReadySeconds 0 → true; the same pod in `Updated` → false; labelled unavailable-pod.kruise.io/drain → false
 */
export function isCloneSetPodAvailable(pod: Pod, minReadySeconds: number, now: EpochMs): boolean {
  const state = podLifecycleState(pod);
  if (state !== '' && state !== 'Normal') return false;
  if (hasUnavailableLabel(pod)) return false;
  return isPodUpdateReady(pod, minReadySeconds, now);
}

/** Returns whether the pod is ready to its CloneSet: {@link isCloneSetPodAvailable} with minReadySeconds 0. */
export function isCloneSetPodReady(pod: Pod, now: EpochMs): boolean {
  return isCloneSetPodAvailable(pod, 0, now);
}
