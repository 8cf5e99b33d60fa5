import { CONTROLLER_REVISION_HASH_LABEL, INPLACE_UPDATE_READY_CONDITION, LIFECYCLE_STATE_LABEL } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import type { LifecycleState } from '../api/pub.js';
import type { EpochMs } from '../shared/podState.js';
import { getPodCondition, isRunningAndAvailable } from '../shared/podState.js';
import { equalToRevisionHash } from '../shared/revision.js';

/**
 * How every Kruise workload (CloneSet, Advanced StatefulSet, Advanced DaemonSet, SidecarSet)
 * reads one of its pods: lifecycle state, revision, and readiness with the in-place gate.
 */

/**
 * Returns the value of the pod's `lifecycle.apps.kruise.io/state` label, or `''` without one (no
 * labels, or no pod at all). An unknown value is returned as is: like OpenKruise, any state other
 * than `''` and `Normal` makes the pod unavailable.
 *
 * @example pod labelled `lifecycle.apps.kruise.io/state: PreparingNormal` → 'PreparingNormal'; undefined → ''
 */
export function podLifecycleState(pod: Pick<Pod, 'metadata'> | undefined): LifecycleState | '' {
  // The cast keeps unknown values: they compare unequal to every known state, as in Go.
  return (pod?.metadata.labels?.[LIFECYCLE_STATE_LABEL] ?? '') as LifecycleState | '';
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
 * Returns whether the pod is ready for its workload, lifecycle aside: running, available after
 * `minReadySeconds`, and its `InPlaceUpdateReady` condition (when present) is True
 * (OpenKruise `IsPodUpdateReady`).
 */
export function isPodUpdateReady(pod: Pod, minReadySeconds: number, now: EpochMs): boolean {
  if (!isRunningAndAvailable(pod, minReadySeconds, now)) return false;
  const inPlace = getPodCondition(pod, INPLACE_UPDATE_READY_CONDITION);
  return inPlace === undefined || inPlace.status === 'True';
}
