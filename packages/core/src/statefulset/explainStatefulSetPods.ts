import type { Pod } from '../api/pod.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../api/labels.js';
import { checkInPlaceUpdateCompleted } from '../inplace/checkInPlaceUpdateCompleted.js';
import { isPodTerminating } from '../shared/podState.js';
import type { PodExplanation, PodUpdateReason } from '../workload/podExplanation.js';
import { isPodAtRevision, podLifecycleState } from '../workload/workloadPod.js';
import { planStatefulSetPass, type StatefulSetPassPlan, type StatefulSetSnapshot } from './planStatefulSetPass.js';
import type { UpdateAction } from './planStatefulSetUpdate.js';
import { isHealthy, statefulPodAvailability } from './statefulPodState.js';
import { resolveStatefulSetSettings } from './statefulSetSettings.js';

/** What {@link explainStatefulSetPods} returns: the pass it read, and every pod. */
export interface StatefulSetExplanation {
  /** The pass the controller would run on this snapshot (its step says where it stopped). */
  readonly pass: StatefulSetPassPlan;
  readonly targetRevision: string;
  /** The set's pods, in the order given. */
  readonly pods: readonly PodExplanation[];
}

function actionReason(action: UpdateAction): Pick<PodExplanation, 'reason' | 'recreateReason' | 'paths'> {
  switch (action.kind) {
    case 'specified-delete':
      return { reason: 'specified-delete' };
    case 'resize-claims':
      return { reason: 'volume-resize-first' };
    case 'recreate':
      return { reason: 'recreate', recreateReason: action.why };
    case 'in-place':
      return action.decision.kind === 'update-in-place' ? { reason: 'update-in-place', paths: action.decision.paths } : { reason: 'lifecycle-hook-preparing' };
  }
}

// Stages that end a pass before the rolling update looks at any pod.
const BEFORE_UPDATE: Readonly<Record<string, PodUpdateReason>> = { deleting: 'terminating', replicas: 'scale-first', 'scale-down': 'scale-first', refresh: 'pod-states-refresh-first', paused: 'paused', 'on-delete': 'on-delete' };

/**
 * Returns, for every pod of an Advanced StatefulSet, why it is or is not updated now, read off the
 * controller's own pass (`planStatefulSetPass`): the stage it stopped at (scale first, paused,
 * OnDelete), and in the rolling update the pods it acts on (in place, recreate, specified-delete,
 * volume resize), the order it goes through ({@link RollingUpdatePlan.order}: the partition keeps
 * the pods outside it), and where it stopped (maxUnavailable reached at a pod, or a refusal).
 *
 * @example ordered, 10 ready pods, partition 3, maxUnavailable 2, a new image, ReCreate
 *   → web-9, web-8 `recreate`; web-7..web-3 `max-unavailable-reached` (positions 3..7); web-2..web-0 `partition`
 */
export function explainStatefulSetPods(snapshot: StatefulSetSnapshot): StatefulSetExplanation {
  const pass = planStatefulSetPass(snapshot);
  const target = pass.updateRevision.metadata.name ?? '';
  const settings = resolveStatefulSetSettings(snapshot.statefulSet, snapshot.featureGates);
  const rolling = pass.step.update;
  const acted = new Map((rolling?.actions ?? []).map((a) => [a.pod.metadata.name ?? '', a]));
  const order = rolling?.order ?? [];
  const end = rolling?.end;
  const stoppedAt = end === undefined || end.kind === 'complete' ? -1 : order.indexOf(end.pod);
  const gates = snapshot.featureGates === undefined ? {} : { featureGates: snapshot.featureGates };
  const explain = (pod: Pod): PodExplanation => {
    const name = pod.metadata.name ?? '';
    const base = { pod: name, revision: pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '', atTarget: isPodAtRevision(pod, target) };
    const index = order.indexOf(name);
    const position = index < 0 ? {} : { position: index + 1 };
    const action = acted.get(name);
    if (action !== undefined) return { ...base, ...position, ...actionReason(action) };
    if (isPodTerminating(pod)) return { ...base, reason: 'terminating' };
    if (base.atTarget) {
      if (checkInPlaceUpdateCompleted(pod, snapshot.now, gates).kind !== 'completed') return { ...base, reason: 'in-place-update-in-progress' };
      return { ...base, reason: isHealthy(pod) && statefulPodAvailability(pod, settings.minReadySeconds, snapshot.now).available ? 'updated' : 'not-available-yet' };
    }
    const before = BEFORE_UPDATE[pass.step.stage];
    if (before !== undefined) return { ...base, reason: before };
    if (index < 0) return { ...base, reason: 'partition' };
    if (end?.kind === 'refused' && index === stoppedAt) return { ...base, ...position, reason: 'update-refused', message: end.message };
    if (end?.kind === 'refused' && index > stoppedAt) return { ...base, ...position, reason: 'blocked-by-earlier-error' };
    if (end?.kind === 'max-unavailable' && index >= stoppedAt) return { ...base, ...position, reason: 'max-unavailable-reached' };
    // Gone through without an action: held by its inPlaceUpdate hook, or waiting for its volumes.
    const state = podLifecycleState(pod);
    return { ...base, ...position, reason: state === 'PreparingUpdate' || state === 'Updated' || !settings.resizeClaimsOnUpdate ? 'lifecycle-hook-waiting' : 'volume-resize-first' };
  };
  return { pass, targetRevision: target, pods: snapshot.pods.map(explain) };
}
