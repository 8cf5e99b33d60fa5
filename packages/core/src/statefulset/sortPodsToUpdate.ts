import type { Pod } from '../api/pod.js';
import { isPodTerminating } from '../shared/podState.js';
import { sortByPriority } from '../workload/updateSort.js';
import { isPodAtRevision } from '../workload/workloadPod.js';
import type { StatefulSetSettings } from './statefulSetSettings.js';

/**
 * Returns the slots (indexes into `slots`, the replicas from the first ordinal) a rolling update
 * goes through, in order, at most `replicas - partition` of them (OpenKruise `sortPodsToUpdate`):
 * - ordered: from the highest slot down to slot `partition`, skipping reserved (empty) slots;
 * - unordered: pods already updated or terminating first (highest slot first), then the others
 *   by `priorityStrategy` (ties: higher slot first).
 *
 * @example ordered, 10 pods, partition 3 → [9, 8, 7, 6, 5, 4, 3]
 * @example unordered, 4 pods, pod 1 updated, weight priority on pod 0, partition 1 → [1, 0, 3]
 */
export function sortPodsToUpdate(
  settings: Pick<StatefulSetSettings, 'replicas' | 'partition' | 'unordered' | 'priorityStrategy'>,
  updateRevision: string,
  slots: readonly (Pod | undefined)[],
): number[] {
  const maxUpdate = settings.replicas - settings.partition;
  if (maxUpdate <= 0) return [];
  if (!settings.unordered) {
    const indexes: number[] = [];
    for (let target = slots.length - 1; target >= settings.partition && indexes.length < maxUpdate; target--) {
      if (slots[target] !== undefined) indexes.push(target);
    }
    return indexes;
  }
  const updated: number[] = [];
  const waiting: number[] = [];
  for (let target = slots.length - 1; target >= 0; target--) {
    const pod = slots[target];
    if (pod === undefined) continue;
    if (isPodTerminating(pod) || isPodAtRevision(pod, updateRevision)) updated.push(target);
    else waiting.push(target);
  }
  const sorted = sortByPriority(slots as readonly Pod[], waiting, settings.priorityStrategy);
  return [...updated, ...sorted].slice(0, maxUpdate);
}
