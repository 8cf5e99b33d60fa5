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
  let before = 0;
  for (let i = 0; i < ordinal - settings.startOrdinal; i++) if (slots[i] !== undefined) before++;
  let othersNotUpdated = 0;
  for (const pod of slots) {
    if (pod !== undefined && podOrdinal(pod) !== ordinal && !isPodAtRevision(pod, context.updateRevision)) othersNotUpdated++;
  }
  return currentRevisionNeededFromCounts(ordinal, { before, othersNotUpdated }, context);
}

/** The counts {@link isCurrentRevisionNeeded} decides from. */
export interface RevisionCounts {
  /** Replicas (pods or pods about to be created) at lower ordinals. */
  readonly before: number;
  /** Other replicas not at the update revision. */
  readonly othersNotUpdated: number;
}

/**
 * Returns {@link isCurrentRevisionNeeded} from counts a caller keeps as it fills the slots in
 * ordinal order (one pass over the slots instead of one per missing pod).
 *
 * @example partition 3, ordered, before 2 → true; before 3 → false
 */
export function currentRevisionNeededFromCounts(ordinal: number, counts: RevisionCounts, context: Pick<CurrentRevisionContext, 'settings' | 'statusCurrentReplicas'>): boolean {
  const { settings } = context;
  if (settings.updateType !== 'RollingUpdate') return false;
  if (!settings.hasRollingUpdate) return ordinal < settings.startOrdinal + context.statusCurrentReplicas;
  if (!settings.unordered) return counts.before + 1 <= settings.partition;
  return counts.othersNotUpdated < settings.partition;
}
