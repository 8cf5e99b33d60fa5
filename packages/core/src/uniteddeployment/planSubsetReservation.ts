import { KRUISE_CONTROLLER_REVISION_HASH_LABEL, UNITED_DEPLOYMENT_RESERVED_POD_LABEL } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import type { UnitedDeploymentCondition, UnitedDeploymentScheduleStrategy } from '../api/unitedDeployment.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import { podRef } from '../workload/podEffects.js';
import type { WorkloadEffect } from '../workload/workloadEffect.js';
import { classifyPendingPod } from '../workload/classifyPendingPod.js';
import { rescheduleCriticalMs, SUBSET_SCHEDULABLE_CONDITION, unschedulableDurationMs } from './planSubsetSchedulability.js';

/** Whether a pod is reserved, and when to look again. */
export type ReservedVerdict = { readonly reserved: boolean; readonly afterMs: number | undefined };

/**
 * Returns whether a pod of a subset is reserved under Adaptive with `reserveUnschedulablePods`, as
 * OpenKruise's `CheckPodReserved`: a pod labelled reserved stays so until it runs the updated
 * revision and has been Ready for `unschedulableDuration`; an unlabelled (or not reserved) pod
 * becomes reserved once it has been pending unschedulable past `rescheduleCriticalSeconds`; a
 * new pod (no label) of a subset marked unschedulable is reserved at once.
 *
 * @example labelled reserved, Running, Ready since 100 s, duration 300 s, now 150 s → { reserved: true, afterMs: 250000 }
 */
export function classifyReservedPod(pod: Pod, input: { readonly updatedRevision: string; readonly markedUnschedulable: boolean; readonly strategy: UnitedDeploymentScheduleStrategy | undefined; readonly now: EpochMs }): ReservedVerdict {
  const label = pod.metadata.labels?.[UNITED_DEPLOYMENT_RESERVED_POD_LABEL];
  const duration = unschedulableDurationMs(input.strategy);
  if (label === undefined && input.markedUnschedulable) return { reserved: true, afterMs: duration };
  if (label === 'true') {
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
    const current = pod.metadata.labels?.[KRUISE_CONTROLLER_REVISION_HASH_LABEL] === input.updatedRevision;
    if (pod.status?.phase === 'Running' && current && ready !== undefined) {
      const until = Date.parse(ready.lastTransitionTime ?? '') + duration;
      return until < input.now ? { reserved: false, afterMs: undefined } : { reserved: true, afterMs: Math.max(0, until - input.now) };
    }
    return { reserved: true, afterMs: duration };
  }
  const pending = classifyPendingPod(pod, rescheduleCriticalMs(input.strategy), input.now);
  if (pending.kind === 'timed-out') return { reserved: true, afterMs: duration };
  return { reserved: false, afterMs: pending.kind === 'waiting' ? pending.afterMs : undefined };
}

/** What a subset looks like under reservation this pass. */
export interface SubsetReservation {
  readonly reservedPods: number;
  /** Some pod is reserved. */
  readonly unschedulable: boolean;
  /** The `Schedulable` condition was False before this pass. */
  readonly previouslyUnschedulable: boolean;
  readonly condition: UnitedDeploymentCondition;
  /** Label patches of the pods whose reserved state changed (or was never written). */
  readonly effects: readonly WorkloadEffect[];
  readonly requeueAfterMs: number | undefined;
}

function schedulableCondition(old: UnitedDeploymentCondition | undefined, status: 'True' | 'False', message: string, now: EpochMs): UnitedDeploymentCondition {
  if (old?.status === status && old.reason === 'reschedule') return old;
  return { type: SUBSET_SCHEDULABLE_CONDITION, status, lastTransitionTime: formatTime(now), reason: 'reschedule', message };
}

/**
 * Returns a subset's reservation state as OpenKruise's
 * `calculateSubsetsStatusForReservedAdaptiveStrategy`: every pod classified by
 * {@link classifyReservedPod} and its `apps.kruise.io/united-deployment-reserved-pod` label set to
 * `"true"`/`"false"` where it differs; the subset unschedulable while some pod is reserved
 * (condition `Schedulable` False "reserved pods found", else True "no reserved pods").
 *
 * @example 2 pods pending unschedulable for 40 s (critical 30 s), no label → reservedPods 2, unschedulable, two label patches to "true"
 */
export function planSubsetReservation(input: {
  readonly pods: readonly Pod[];
  readonly condition: UnitedDeploymentCondition | undefined;
  readonly updatedRevision: string;
  readonly strategy: UnitedDeploymentScheduleStrategy | undefined;
  readonly now: EpochMs;
}): SubsetReservation {
  const marked = input.condition?.status === 'False';
  const effects: WorkloadEffect[] = [];
  const delays: number[] = [];
  let reservedPods = 0;
  for (const pod of input.pods.filter((p) => p.metadata.deletionTimestamp === undefined)) {
    const verdict = classifyReservedPod(pod, { updatedRevision: input.updatedRevision, markedUnschedulable: marked, strategy: input.strategy, now: input.now });
    if (verdict.reserved) reservedPods++;
    if (verdict.afterMs !== undefined) delays.push(verdict.afterMs);
    const wanted = verdict.reserved ? 'true' : 'false';
    if (pod.metadata.labels?.[UNITED_DEPLOYMENT_RESERVED_POD_LABEL] !== wanted) {
      effects.push({ kind: 'patch-pod', reason: verdict.reserved ? 'pod-reserved' : 'pod-unreserved', target: podRef(pod), patch: { metadata: { labels: { [UNITED_DEPLOYMENT_RESERVED_POD_LABEL]: wanted } } } });
    }
  }
  const unschedulable = reservedPods > 0;
  const condition = schedulableCondition(input.condition, unschedulable ? 'False' : 'True', unschedulable ? 'reserved pods found' : 'no reserved pods', input.now);
  return { reservedPods, unschedulable, previouslyUnschedulable: marked, condition, effects, requeueAfterMs: delays.length === 0 ? undefined : Math.min(...delays) };
}
