import type { CloneSet, CloneSetCondition, CloneSetStatus } from '../api/cloneSet.js';
import type { Pod } from '../api/pod.js';
import { calculatePartitionReplicas } from '../shared/intOrPercent.js';
import type { EpochMs } from '../shared/podState.js';
import { formatTime, isPodActive } from '../shared/podState.js';
import { labelSelectorToString } from '../shared/selector.js';
import { isCloneSetPodAvailable } from './cloneSetPod.js';
import { isPodAtRevision, isPodUpdateReady } from '../workload/workloadPod.js';
import { computeProgressingCondition, PROGRESSING_CONDITION } from './progressingCondition.js';
import { removeWorkloadCondition, setWorkloadCondition } from '../workload/workloadConditions.js';

/** What {@link computeCloneSetStatus} looks at. */
export interface CloneSetStatusInput {
  /** The CloneSet; `status` is the previous status (its Progressing condition times the deadline). */
  readonly cloneSet: CloneSet;
  /** Pods owned by the CloneSet; inactive ones are ignored. */
  readonly pods: readonly Pod[];
  /** The current revision this reconcile worked with (`status.currentRevision`, or the update revision at first). */
  readonly currentRevision: string;
  /** The revision of the current template. */
  readonly updateRevision: string;
  /** The collision count used to name the update revision (default: the previous one, or 0). */
  readonly collisionCount?: number;
  /** Now, epoch ms (minReadySeconds and condition times). */
  readonly now: EpochMs;
  /** Message of a failed scale pass: adds a `FailedScale` condition. */
  readonly scaleError?: string;
  /** Message of a failed update pass: adds a `FailedUpdate` condition. */
  readonly updateError?: string;
}

interface Counts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  updatedReplicas: number;
  updatedReadyReplicas: number;
  updatedAvailableReplicas: number;
}

function countPods(pods: readonly Pod[], updateRevision: string, minReadySeconds: number, now: EpochMs): Counts {
  const counts: Counts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, updatedReplicas: 0, updatedReadyReplicas: 0, updatedAvailableReplicas: 0 };
  for (const pod of pods) {
    // Ready ignores the lifecycle state; available requires Normal (as in OpenKruise).
    const ready = isPodUpdateReady(pod, 0, now);
    const available = isCloneSetPodAvailable(pod, minReadySeconds, now);
    const updated = isPodAtRevision(pod, updateRevision);
    counts.replicas += 1;
    counts.readyReplicas += ready ? 1 : 0;
    counts.availableReplicas += available ? 1 : 0;
    counts.updatedReplicas += updated ? 1 : 0;
    counts.updatedReadyReplicas += updated && ready ? 1 : 0;
    counts.updatedAvailableReplicas += updated && available ? 1 : 0;
  }
  return counts;
}

// Conditions written by others are kept; a failure that persists keeps the entry it was first
// recorded with (OpenKruise's SetCloneSetCondition), so every pass of a failing CloneSet does not
// rewrite its status; a failure that is over is removed.
function conditionsOf(input: CloneSetStatusInput, progressing: CloneSetCondition | undefined): CloneSetCondition[] {
  let conditions: CloneSetCondition[] = [...(input.cloneSet.status?.conditions ?? [])];
  const failures: readonly [string, string | undefined][] = [
    ['FailedScale', input.scaleError],
    ['FailedUpdate', input.updateError],
  ];
  for (const [type, error] of failures) {
    conditions = error === undefined ? removeWorkloadCondition(conditions, type) : setWorkloadCondition(conditions, { type, status: 'True', lastTransitionTime: formatTime(input.now), message: error });
  }
  conditions = removeWorkloadCondition(conditions, PROGRESSING_CONDITION);
  return progressing === undefined ? conditions : [...conditions, progressing];
}

/**
 * Returns the CloneSet status OpenKruise would write: replica counts (ready ignores lifecycle
 * state, available needs `Normal` and minReadySeconds), revisions (the current revision becomes
 * the update revision once every one of exactly `replicas` pods is updated),
 * `expectedUpdatedReplicas = replicas − partition`, the label selector, the collision count and
 * the `Progressing` condition (see {@link computeProgressingCondition}).
 *
 * @example replicas 10, partition "30%", 10 pods of which 7 updated and ready → updatedReadyReplicas 7, expectedUpdatedReplicas 7
 */
export function computeCloneSetStatus(input: CloneSetStatusInput): CloneSetStatus {
  const { cloneSet } = input;
  const pods = input.pods.filter(isPodActive);
  const replicas = cloneSet.spec.replicas ?? 1;
  const counts = countPods(pods, input.updateRevision, cloneSet.spec.minReadySeconds ?? 0, input.now);
  const settled = counts.updatedReplicas === counts.replicas && counts.replicas === replicas;
  const partition = calculatePartitionReplicas(cloneSet.spec.updateStrategy?.rollingUpdate?.partition, replicas);
  const status: CloneSetStatus = {
    observedGeneration: cloneSet.metadata?.generation ?? 0,
    ...counts,
    ...(partition.kind === 'scaled' ? { expectedUpdatedReplicas: replicas - partition.value } : {}),
    updateRevision: input.updateRevision,
    currentRevision: settled ? input.updateRevision : input.currentRevision,
    collisionCount: input.collisionCount ?? cloneSet.status?.collisionCount ?? 0,
    labelSelector: labelSelectorToString(cloneSet.spec.selector),
  };
  const progressing = computeProgressingCondition({ cloneSet, status, now: input.now });
  const conditions = conditionsOf(input, progressing.condition);
  return conditions.length > 0 ? { ...status, conditions } : status;
}
