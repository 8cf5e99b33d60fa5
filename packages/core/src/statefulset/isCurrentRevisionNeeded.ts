import type { Pod } from '../api/pod.js';
import { isPodAtRevision } from '../workload/workloadPod.js';
import { podOrdinal } from './statefulSetPod.js';
import type { StatefulSetSettings } from './statefulSetSettings.js';

/** What {@link isCurrentRevisionNeeded} reads besides the ordinal. */
export interface CurrentRevisionContext {
  readonly settings: Pick<StatefulSetSettings, 'updateType' | 'hasRollingUpdate' | 'unordered' | 'partition' | 'startOrdinal'>;
  /** The update revision's name. */
  readonly updateRevision: string;
  /** `status.currentReplicas` as stored (read only without a rollingUpdate section). */
  readonly statusCurrentReplicas: number;
  /** The replica slots `[startOrdinal, endOrdinal)`: the pod at each ordinal, undefined where reserved or missing. */
  readonly slots: readonly (Pod | undefined)[];
}

/**
 * Returns whether a pod (re)created at `ordinal` gets the current revision rather than the update
 * revision (OpenKruise `isCurrentRevisionNeeded`), so that `partition` pods stay on the current
 * revision:
 * - OnDelete: never;
 * - ordered RollingUpdate: when the pods at lower ordinals, plus this one, still fit in the
 *   partition (slots without a pod count as reserved);
 * - unordered: when fewer than `partition` other pods are off the update revision.
 *
 * @example partition 3, pods 0..4 present, ordinal 2 → true (2 pods before it + itself ≤ 3); ordinal 3 → false
 * @example unordered, partition 2, one other pod not updated → true
 */
export function isCurrentRevisionNeeded(ordinal: number, context: CurrentRevisionContext): boolean {
  const { settings, slots } = context;
  if (settings.updateType !== 'RollingUpdate') return false;
  if (!settings.hasRollingUpdate) return ordinal < settings.startOrdinal + context.statusCurrentReplicas;
  if (!settings.unordered) {
    let before = 0;
    for (let i = 0; i < ordinal - settings.startOrdinal; i++) if (slots[i] !== undefined) before++;
    return before + 1 <= settings.partition;
  }
  let notUpdated = 0;
  for (const pod of slots) {
    if (pod === undefined || podOrdinal(pod) === ordinal) continue;
    if (!isPodAtRevision(pod, context.updateRevision)) notUpdated++;
  }
  return notUpdated < settings.partition;
}
