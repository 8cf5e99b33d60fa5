import type { Pod } from '../api/pod.js';
import { isPodActive, podReadyTime, type EpochMs } from '../shared/podState.js';
import { isCloneSetPodAvailable, isCloneSetPodReady } from './cloneSetPod.js';

/**
 * Returns how long until the next ready pod becomes available (ready for `minReadySeconds`), or
 * `undefined` when no pod is waiting: the controller looks again then, since no event will say
 * so (OpenKruise requeues for the same reason).
 *
 * @example minReadySeconds 30, a pod ready since 10:00:00, now 10:00:20 → 10_000
 */
export function msUntilNextAvailable(pods: readonly Pod[], minReadySeconds: number, now: EpochMs): number | undefined {
  if (minReadySeconds <= 0) return undefined;
  let soonest: number | undefined;
  for (const pod of pods) {
    if (!isPodActive(pod) || !isCloneSetPodReady(pod, now) || isCloneSetPodAvailable(pod, minReadySeconds, now)) continue;
    const readySince = podReadyTime(pod);
    if (readySince === undefined) continue;
    const wait = Math.max(0, readySince + minReadySeconds * 1000 - now);
    soonest = soonest === undefined ? wait : Math.min(soonest, wait);
  }
  return soonest;
}
