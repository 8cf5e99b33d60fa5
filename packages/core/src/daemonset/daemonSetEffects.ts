import { CONTROLLER_REVISION_HASH_LABEL } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import type { EpochMs } from '../shared/podState.js';
import { inPlaceUpdateStartEffects, type InPlaceEffectOptions, type PodEffectSequence } from '../workload/inPlaceEffects.js';
import { concatWaves, lifecycleTransitionEffects, podRef, zipWaves, type EffectWave } from '../workload/podEffects.js';
import { slowStartWaves } from '../workload/slowStart.js';
import type { EffectEvents, WorkloadEffect } from '../workload/workloadEffect.js';
import type { DaemonSetUpdateAction } from './planDaemonSetUpdate.js';
import type { SyncNodesPlan } from './syncDaemonNodes.js';

/**
 * The writes of an Advanced DaemonSet pass, with the events OpenKruise records (Kubernetes'
 * `RealPodControl`: `SuccessfulCreate` "Created pod: p", `FailedCreate` "Error creating: <err>",
 * `SuccessfulDelete` "Deleted pod: p", `FailedDelete` "Error deleting: <err>"; the DaemonSet
 * controller's `SuccessfulUpdatePodInPlace` / `FailedUpdatePodInPlace`).
 */

/** Returns the events of creating pod `name`. */
export function createPodEvents(name: string): EffectEvents {
  return { success: { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${name}` }, failure: { type: 'Warning', reason: 'FailedCreate', message: 'Error creating' } };
}

/** Returns the events of deleting pod `name`. */
export function deletePodEvents(name: string): EffectEvents {
  return { success: { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${name}` }, failure: { type: 'Warning', reason: 'FailedDelete', message: 'Error deleting' } };
}

/** What the writes of a `syncNodes` plan need. */
export interface SyncNodesEffectContext {
  /** The pod to create for a node, or undefined when no name is left for it (the suffixes ran out). */
  readonly newPod: (node: string) => Pod | undefined;
  readonly now: EpochMs;
}

/**
 * Returns the waves of a `syncNodes` plan in OpenKruise's order: the PreparingDelete moves first
 * (a failure ends the pass, as `syncWithPreparingDelete` returns), then the creations in slow-start
 * batches (1, 2, 4...; a failing batch stops the next), the deletions going with the first batch
 * (OpenKruise deletes after creating, whatever the creations did).
 *
 * @example 3 creations, 1 deletion → [[create a, delete x], [create b, create c]]
 */
export function syncNodesWaves(plan: SyncNodesPlan, context: SyncNodesEffectContext): EffectWave[] {
  const moves = zipWaves(plan.prepareDelete.map((p) => lifecycleTransitionEffects(p.pod, p.removal.transition, context.now)));
  const creations: WorkloadEffect[][] = [];
  for (const { node, reason } of plan.create) {
    const pod = context.newPod(node);
    if (pod !== undefined) creations.push([{ kind: 'create-pod', pod, reason, events: createPodEvents(pod.metadata.name ?? '') }]);
  }
  const deletions: WorkloadEffect[] = plan.delete.map(({ pod, reason }) => ({ kind: 'delete-pod', target: podRef(pod), reason, events: deletePodEvents(pod.metadata.name ?? '') }));
  const [first = [], ...rest] = slowStartWaves(creations);
  return concatWaves(moves, [[...first, ...deletions]], rest);
}

/** What {@link inPlaceUpdateEffects} needs besides the action. */
export interface DaemonSetInPlaceOptions extends Omit<InPlaceEffectOptions, 'revisionLabels'> {
  /** The update revision's hash: the pod's new `controller-revision-hash` and its in-place state's revision. */
  readonly hash: string;
  /** The update revision's name (OpenKruise names it in the failure event). */
  readonly revisionName: string;
}

/**
 * Returns the writes of an in-place update (OpenKruise `inPlaceUpdatePods` through the shared
 * engine): `InPlaceUpdateReady=False`, then the patch with the revision hash label, the in-place
 * state and the new images (no lifecycle state: Advanced DaemonSet has no in-place hook), with the
 * DaemonSet's events ("successfully update pod p in-place", "failed to update pod p in-place(revision r)").
 */
export function inPlaceUpdateEffects(action: Extract<DaemonSetUpdateAction, { kind: 'in-place' }>, options: DaemonSetInPlaceOptions): PodEffectSequence {
  const name = action.pod.metadata.name ?? '';
  const { hash, revisionName, ...engine } = options;
  const started = inPlaceUpdateStartEffects(action.pod, { ...action.decision, to: hash, transition: undefined }, { ...engine, revisionLabels: (revision) => ({ [CONTROLLER_REVISION_HASH_LABEL]: revision }) });
  const failure = { type: 'Warning', reason: 'FailedUpdatePodInPlace', message: `failed to update pod ${name} in-place(revision ${revisionName})` } as const;
  const success = { type: 'Normal', reason: 'SuccessfulUpdatePodInPlace', message: `successfully update pod ${name} in-place` } as const;
  const effects = started.effects.map((effect): WorkloadEffect => (effect.events === undefined ? effect : { ...effect, events: { failure, ...(effect.events.success === undefined ? {} : { success }) } }));
  return { ...started, effects };
}
