import type { Pod } from '../api/pod.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../api/labels.js';
import { checkInPlaceUpdateCompleted } from '../inplace/checkInPlaceUpdateCompleted.js';
import { isPodAvailableToWorkload, isPodTerminating } from '../shared/podState.js';
import type { PodExplanation, PodUpdateReason } from '../workload/podExplanation.js';
import { planDaemonSetPass, type DaemonSetPassPlan, type DaemonSetSnapshot } from './planDaemonSetPass.js';
import type { DaemonSetUpdateAction } from './planDaemonSetUpdate.js';

/** What {@link explainDaemonSetPods} returns: the pass it read, and every pod. */
export interface DaemonSetExplanation {
  /** The pass the controller would run on this snapshot (its step says where it stopped). */
  readonly pass: DaemonSetPassPlan;
  /** The update revision's hash (the pods' `controller-revision-hash`). */
  readonly targetRevision: string;
  /** The set's pods, in the order given. */
  readonly pods: readonly PodExplanation[];
}

function actionReason(action: DaemonSetUpdateAction): Pick<PodExplanation, 'reason' | 'recreateReason' | 'paths'> {
  switch (action.kind) {
    case 'in-place':
      return { reason: 'update-in-place', paths: action.decision.paths };
    case 'recreate':
      return { reason: 'recreate', ...(action.recreate === 'no-in-place-readiness-gate' || action.recreate === 'old-revision-not-found' ? {} : { recreateReason: action.recreate }) };
    case 'held':
      return { reason: action.reason === 'burst-replicas' ? 'max-unavailable-reached' : action.reason === 'prepare-update' ? 'lifecycle-hook-preparing' : action.reason === 'wait' ? 'lifecycle-hook-waiting' : 'update-refused' };
    case 'surge':
    case 'retire-old':
      return { reason: 'recreate' };
  }
}

// Stages that end a pass before the rolling update looks at any pod.
const BEFORE_UPDATE: Readonly<Record<string, PodUpdateReason>> = { deleting: 'terminating', 'selecting-all': 'scale-first', manage: 'scale-first', paused: 'paused', 'on-delete': 'on-delete' };

/**
 * Returns, for every pod of an Advanced DaemonSet, why it is or is not updated now, read off the
 * controller's own pass (`planDaemonSetPass`): the stage it stopped at (the manage loop first,
 * paused, OnDelete), and in the rolling update the nodes it may touch in order (the partition and
 * the update selector leave out the others), what it does on each (in place, recreate, surge, held
 * by burstReplicas or a lifecycle hook), and the nodes the maxUnavailable / maxSurge budget leaves
 * for later.
 *
 * @example 3 nodes, maxUnavailable 1, a new image, ReCreate → the pod on n2 `recreate` (place 1);
 *   those on n1, n0 `max-unavailable-reached` (places 2, 3)
 */
export function explainDaemonSetPods(snapshot: DaemonSetSnapshot): DaemonSetExplanation {
  const pass = planDaemonSetPass(snapshot);
  const rolling = pass.step.update;
  const byNode = new Map((rolling?.actions ?? []).map((a) => [a.node, a]));
  const order = rolling?.nodes ?? [];
  const gates = snapshot.featureGates === undefined ? {} : { featureGates: snapshot.featureGates };
  const explain = (pod: Pod): PodExplanation => {
    const node = pod.spec.nodeName ?? '';
    const base = { pod: pod.metadata.name ?? '', revision: pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '', atTarget: pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === pass.hash };
    const index = order.indexOf(node);
    const position = index < 0 ? {} : { position: index + 1 };
    if (isPodTerminating(pod)) return { ...base, reason: 'terminating' };
    if (base.atTarget) {
      if (checkInPlaceUpdateCompleted(pod, snapshot.now, gates).kind !== 'completed') return { ...base, reason: 'in-place-update-in-progress' };
      return { ...base, reason: isPodAvailableToWorkload(pod, pass.settings.minReadySeconds, snapshot.now) ? 'updated' : 'not-available-yet' };
    }
    const action = byNode.get(node);
    if (action !== undefined) return { ...base, ...position, ...actionReason(action) };
    const before = BEFORE_UPDATE[pass.step.stage];
    if (before !== undefined) return { ...base, reason: before };
    return index < 0 ? { ...base, reason: 'partition' } : { ...base, ...position, reason: 'max-unavailable-reached' };
  };
  return { pass, targetRevision: pass.hash, pods: snapshot.pods.map(explain) };
}
