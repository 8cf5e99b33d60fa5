import type { PersistentVolumeClaim, Pod } from '../api/pod.js';
import type { Lifecycle } from '../api/pub.js';
import { isPodHooked, lifecycleTransition, type LifecycleTransition } from '../workload/lifecycle.js';
import { sortPodsForScaleDown, type ScaleDownOrderOptions } from '../workload/podSorter.js';
import { instanceIdOf } from './scaleCreations.js';

/** Why a pod is deleted ("pod deleted because `scale-down`"). */
export type PodDeletionReason = 'preparing-delete-released' | 'specified-delete' | 'scale-down';

/** One pod to remove: deleted now, or first moved to PreparingDelete for its preDelete hook. */
export type PodDeletion =
  | {
      readonly kind: 'delete-pod';
      /** Pod name. */
      readonly pod: string;
      /** Why the pod goes. */
      readonly reason: PodDeletionReason;
      /** Names of the PVCs sharing the pod's instance id, deleted with it. */
      readonly pvcs: readonly string[];
    }
  | {
      readonly kind: 'prepare-delete';
      /** Pod name. */
      readonly pod: string;
      /** Why the pod goes. */
      readonly reason: PodDeletionReason;
      /** The move to PreparingDelete (with the preDelete hook's markPodNotReady). */
      readonly transition: LifecycleTransition;
    };

/**
 * Returns how each pod is removed: a pod held by the preDelete hook moves to PreparingDelete,
 * any other pod is deleted with the PVCs that share its instance id.
 */
export function podDeletions(
  pods: readonly Pod[],
  reason: PodDeletionReason,
  lifecycle: Lifecycle | undefined,
  pvcs: readonly PersistentVolumeClaim[],
): PodDeletion[] {
  return pods.map((pod): PodDeletion => {
    const name = pod.metadata.name ?? '';
    if (isPodHooked(lifecycle?.preDelete, pod)) {
      const markPodNotReady = lifecycle?.preDelete?.markPodNotReady === true;
      return { kind: 'prepare-delete', pod: name, reason, transition: lifecycleTransition(pod, 'PreparingDelete', 'pre-delete-hook', markPodNotReady) };
    }
    const id = instanceIdOf(pod);
    const claims = pvcs.filter((pvc) => instanceIdOf(pvc) === id).map((pvc) => pvc.metadata.name ?? '');
    return { kind: 'delete-pod', pod: name, reason, pvcs: claims };
  });
}

/**
 * Returns the pods that may go now: every not-ready pod, and ready ones while the
 * `deleteReadyLimit` budget lasts (in the given order), with the budget left.
 *
 * @example 3 ready pods, limit 1 → the first pod, limit left 0
 */
export function takeWithinDeleteReadyLimit(
  pods: readonly Pod[],
  deleteReadyLimit: number,
  isReady: (pod: Pod) => boolean,
): { readonly pods: Pod[]; readonly limitLeft: number } {
  let limit = deleteReadyLimit;
  const allowed = pods.filter((pod) => {
    if (!isReady(pod)) return true;
    if (limit <= 0) return false;
    limit -= 1;
    return true;
  });
  return { pods: allowed, limitLeft: limit };
}

function chooseFrom(pods: readonly Pod[], count: number, order: ScaleDownOrderOptions): Pod[] {
  // As OpenKruise: no sorting when every pod goes, and all of them when asked for more.
  if (count >= pods.length) return [...pods];
  return sortPodsForScaleDown(pods, order).slice(0, count);
}

/**
 * Returns the pods to scale down: `oldRevisionCount` (capped at `total`) from the pods not at the
 * update revision, the rest from the updated pods, each group in scale-down order.
 *
 * @example total 3, old 1 → 1 old pod + 2 updated pods; total 2, old 5 → 2 old pods
 */
export function choosePodsToScaleDown(
  total: number,
  oldRevisionCount: number,
  notUpdated: readonly Pod[],
  updated: readonly Pod[],
  order: ScaleDownOrderOptions,
): Pod[] {
  if (oldRevisionCount >= total) return chooseFrom(notUpdated, total, order);
  if (oldRevisionCount > 0) return [...chooseFrom(notUpdated, oldRevisionCount, order), ...chooseFrom(updated, total - oldRevisionCount, order)];
  return chooseFrom(updated, total, order);
}
