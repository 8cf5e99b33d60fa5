import type { Pod } from '../api/pod.js';
import { isPodAtRevision } from '../workload/workloadPod.js';

/** What {@link limitUpdates} weighs. */
export interface UpdateLimitInput {
  /** Every active pod of the CloneSet. */
  readonly pods: readonly Pod[];
  /** Candidate indexes into `pods`, in update order. */
  readonly candidates: readonly number[];
  /** `ReplicaDiffs.updateNum` (its size caps the count). */
  readonly updateNum: number;
  /** `ReplicaDiffs.updateMaxUnavailable`. */
  readonly updateMaxUnavailable: number;
  /** The revision pods are moved to. */
  readonly targetRevision: string;
  /** Whether a pod is available to the CloneSet (lifecycle, minReadySeconds, InPlaceUpdateReady). */
  readonly isAvailable: (pod: Pod) => boolean;
}

/**
 * Returns the candidates that may be updated now (OpenKruise `limitUpdateIndexes`): at most
 * |updateNum|, stopping when the unavailable pods of the target revision plus those chosen reach
 * updateMaxUnavailable, or when taking an available pod would push the total unavailable to it.
 * Updating an already-unavailable pod costs nothing.
 *
 * @example 3 ready old pods, replicas 3, maxUnavailable 20% → updateNum 3, updateMaxUnavailable 1 → 1 pod
 * @example 5 unavailable old pods, maxUnavailable 2, partition 0 → 2 pods (target revision budget)
 */
export function limitUpdates(input: UpdateLimitInput): number[] {
  const capped = input.candidates.slice(0, Math.abs(input.updateNum));
  let unavailable = 0;
  let targetUnavailable = 0;
  for (const pod of input.pods) {
    if (input.isAvailable(pod)) continue;
    unavailable += 1;
    if (isPodAtRevision(pod, input.targetRevision)) targetUnavailable += 1;
  }
  let allowed = 0;
  for (const index of capped) {
    if (targetUnavailable + allowed >= input.updateMaxUnavailable) break;
    if (input.isAvailable(input.pods[index] as Pod)) {
      if (unavailable >= input.updateMaxUnavailable) break;
      unavailable += 1;
    }
    allowed += 1;
  }
  return capped.slice(0, allowed);
}
