import type { Pod } from '../api/pod.js';
import type { LifecycleHook } from '../api/pub.js';
import { isPodHooked, lifecycleTransition, type LifecycleTransition } from './lifecycle.js';
import { podLifecycleState } from './workloadPod.js';

/** How a pod is removed: deleted, or moved to PreparingDelete while the preDelete hook holds it. */
export type PodRemoval = { readonly kind: 'delete'; readonly pod: Pod } | { readonly kind: 'prepare-delete'; readonly pod: Pod; readonly transition: LifecycleTransition };

/**
 * Returns how a workload removes one pod under its `lifecycle.preDelete` hook (Advanced
 * StatefulSet's `deletePod`, Advanced DaemonSet's `syncWithPreparingDelete`): moved to
 * PreparingDelete while the hook is on it (nothing when it is already there), else deleted.
 *
 * @example hook { finalizersHandler: ['hold'] }, pod with finalizer hold in Normal → { kind: 'prepare-delete', ... }
 * @example the same pod already PreparingDelete → undefined; without the finalizer → { kind: 'delete', pod }
 */
export function planPodRemoval(pod: Pod, preDelete: LifecycleHook | undefined): PodRemoval | undefined {
  if (preDelete !== undefined && isPodHooked(preDelete, pod)) {
    if (podLifecycleState(pod) === 'PreparingDelete') return undefined;
    return { kind: 'prepare-delete', pod, transition: lifecycleTransition(pod, 'PreparingDelete', 'pre-delete-hook', preDelete.markPodNotReady === true) };
  }
  return { kind: 'delete', pod };
}
