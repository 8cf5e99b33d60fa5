import type { Pod } from '../api/pod.js';
import { diffPodForPatch, type PodPatch } from '../inplace/diffPodForPatch.js';
import type { EpochMs } from '../shared/podState.js';
import { applyLifecycleTransition, lifecycleConditionChanges, type LifecycleTransition } from './lifecycle.js';
import { changedPodConditions, type PodConditionChange } from './podConditionChange.js';
import type { EffectEvents, ObjectRef, WorkloadEffect } from './workloadEffect.js';

/** A list of effects that run at the same time: one step of a pass. */
export type EffectWave = readonly WorkloadEffect[];

/**
 * Returns the reference effects use for an object (a pod, a PVC, a revision): namespace, name, uid.
 *
 * @example objectRef(aPod({ name: 'web-a' })) // { namespace: 'default', name: 'web-a', uid: 'uid-web-a' }
 */
export function objectRef(object: { readonly metadata: { readonly namespace?: string | undefined; readonly name?: string | undefined; readonly uid?: string | undefined } }): ObjectRef {
  const { namespace, name = '', uid = '' } = object.metadata;
  return namespace === undefined ? { name, uid } : { namespace, name, uid };
}

/** Returns the reference effects use for a pod (see {@link objectRef}). */
export const podRef: (pod: Pod) => ObjectRef = objectRef;

/** Returns whether a pod patch changes nothing. */
export function isEmptyPodPatch(patch: PodPatch): boolean {
  return patch.metadata === undefined && patch.spec === undefined;
}

/**
 * Returns the effects that turn `pod`'s status conditions as `changes` say: one `patch-pod-status`,
 * or none when the pod already says so. `guarded` writes only at the pod's resourceVersion
 * (needed for the shared `KruisePodReady` message).
 */
export function podConditionEffects(pod: Pod, changes: readonly PodConditionChange[], now: EpochMs, reason: string, options: { guarded?: boolean; events?: EffectEvents } = {}): WorkloadEffect[] {
  const conditions = changedPodConditions(pod, changes, now);
  if (conditions.length === 0) return [];
  const guard = options.guarded === true ? { guard: { resourceVersion: pod.metadata.resourceVersion ?? '' } } : {};
  return [{ kind: 'patch-pod-status', target: podRef(pod), conditions, changes, reason, ...guard, ...(options.events === undefined ? {} : { events: options.events }) }];
}

/**
 * Returns the effects of a lifecycle move, in the order OpenKruise writes them: the
 * `KruisePodReady` key first (with the hook's markPodNotReady), then the state label, timestamp
 * and restored hook labels/finalizers as one strategic-merge patch.
 *
 * @example Normal → PreparingDelete, preDelete hook with markPodNotReady
 *   // [patch-pod-status (KruisePodReady False, guarded), patch-pod (labels lifecycle.apps.kruise.io/state: PreparingDelete, ...)]
 */
export function lifecycleTransitionEffects(pod: Pod, transition: LifecycleTransition, now: EpochMs, events?: EffectEvents): WorkloadEffect[] {
  // The condition goes separately (guarded): the patch carries metadata only.
  const moved = applyLifecycleTransition(pod, { ...transition, markPodNotReady: false }, now);
  const reason = `lifecycle-${transition.reason}`;
  const patch = diffPodForPatch(pod, moved);
  return [
    ...podConditionEffects(pod, lifecycleConditionChanges(transition), now, reason, { guarded: true }),
    ...(isEmptyPodPatch(patch) ? [] : [{ kind: 'patch-pod' as const, target: podRef(pod), patch, reason, ...(events === undefined ? {} : { events }) }]),
  ];
}

/**
 * Returns waves from per-object sequences: wave `i` holds the `i`-th effect of every sequence,
 * so objects progress side by side while each one's writes stay in order.
 *
 * @example zipWaves([[a1, a2], [b1]]) // [[a1, b1], [a2]]
 */
export function zipWaves(sequences: readonly (readonly WorkloadEffect[])[]): EffectWave[] {
  const waves: WorkloadEffect[][] = [];
  for (const sequence of sequences) {
    sequence.forEach((effect, i) => {
      (waves[i] ??= []).push(effect);
    });
  }
  return waves;
}

/**
 * Returns the waves of several groups run one after the other (each group's waves in order).
 *
 * @example concatWaves([[a]], [], [[b], [c]]) // [[a], [b], [c]]
 */
export function concatWaves(...groups: readonly (readonly EffectWave[])[]): EffectWave[] {
  return groups.flatMap((group) => group.filter((wave) => wave.length > 0));
}

/** Whether `patch` changes only labels and annotations (what the pods/status strategy keeps). */
function isLabelsAndAnnotationsOnly(patch: PodPatch): boolean {
  if (patch.spec !== undefined || patch.metadata === undefined) return false;
  return Object.keys(patch.metadata).every((key) => key === 'labels' || key === 'annotations');
}

/**
 * Returns one pod's ordered writes with each `patch-pod-status` that is directly followed by a
 * `patch-pod` of the same pod changing only labels and annotations merged into one write: the
 * status patch carries them (`metadata`), since the pods/status strategy keeps a pod's new labels
 * and annotations. An in-place update that completes (`InPlaceUpdateReady=True`) and moves the
 * pod's lifecycle out of `Updating` in the same pass, or a new pod that gets its readiness-gate
 * condition and leaves `PreparingNormal`, then costs one request instead of two (OpenKruise sends
 * both). Only an unguarded status patch with no metadata yet absorbs a patch, and only one
 * without events of its own (its success event would have no write of its own to report).
 *
 * @example [status(InPlaceUpdateReady True), patch(labels: state Normal)] → [status(InPlaceUpdateReady True, labels: state Normal)]
 * @example [status(guarded KruisePodReady), patch(labels)] → unchanged (a guarded write may end stale)
 */
export function coalescePodWrites(sequence: readonly WorkloadEffect[]): WorkloadEffect[] {
  const out: WorkloadEffect[] = [];
  for (const effect of sequence) {
    const previous = out.at(-1);
    if (
      effect.kind === 'patch-pod' &&
      previous?.kind === 'patch-pod-status' &&
      previous.guard === undefined &&
      previous.metadata === undefined &&
      previous.target.uid === effect.target.uid &&
      previous.target.name === effect.target.name &&
      effect.events === undefined &&
      effect.failureCondition === undefined &&
      isLabelsAndAnnotationsOnly(effect.patch)
    ) {
      const { labels, annotations } = effect.patch.metadata ?? {};
      out[out.length - 1] = { ...previous, metadata: { ...(labels === undefined ? {} : { labels }), ...(annotations === undefined ? {} : { annotations }) } };
      continue;
    }
    out.push(effect);
  }
  return out;
}
