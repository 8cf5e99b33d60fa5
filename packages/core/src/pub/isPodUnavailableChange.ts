import type { Pod } from '../api/pod.js';
import { canonicalJson } from '../shared/revision.js';
import { hasUnavailableLabel } from '../shared/podState.js';

/**
 * Returns whether a pod update may make the pod unavailable (OpenKruise's
 * `IsPodUnavailableChanged`): its spec changes (an in-place update, a resize), or it gains an
 * `unavailable-pod.kruise.io/` label. Label, annotation and status changes otherwise do not.
 *
 * @example image nginx:1 → nginx:2 → true; a new annotation → false
 */
export function isPodUnavailableChange(oldPod: Pod, newPod: Pod): boolean {
  if (canonicalJson(oldPod.spec) !== canonicalJson(newPod.spec)) return true;
  return !hasUnavailableLabel(oldPod) && hasUnavailableLabel(newPod);
}
