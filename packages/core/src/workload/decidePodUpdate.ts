import type { Pod } from '../api/pod.js';
import type { Lifecycle } from '../api/pub.js';
import { classifyInPlaceUpdate, type InPlaceVerdict, type RecreateReason } from '../inplace/classifyInPlaceUpdate.js';
import type { InPlaceFeatureGates } from '../inplace/inPlaceFeatureGates.js';
import type { InPlaceUpdateSpec } from '../inplace/inPlaceUpdateSpec.js';
import type { ControllerRevision } from '../shared/revision.js';
import { isPodAtRevision, podLifecycleState } from './workloadPod.js';
import { isPodHooked, lifecycleTransition, type LifecycleTransition } from './lifecycle.js';

/** The update settings of a workload that {@link decidePodUpdate} reads (CloneSet's, Advanced StatefulSet's...). */
export interface PodUpdateSettings {
  /** `ReCreate`, `InPlaceIfPossible` or `InPlaceOnly`. */
  readonly podUpdatePolicy: 'ReCreate' | 'InPlaceIfPossible' | 'InPlaceOnly';
  /** `spec.lifecycle` (its inPlaceUpdate hook). */
  readonly lifecycle: Lifecycle | undefined;
  /** `inPlaceUpdateStrategy.gracePeriodSeconds` (0 when unset). */
  readonly gracePeriodSeconds: number;
}

/** How one pod moves to the target revision in this pass. */
export type PodUpdateDecision =
  | {
      /** Update the pod in place: apply `spec` (see `planInPlaceUpdatePatch`) and enter `Updating`. */
      readonly kind: 'update-in-place';
      /** Pod name. */
      readonly pod: string;
      /** The revision the pod is at. */
      readonly from: string;
      /** The target revision. */
      readonly to: string;
      /** What to change in place (from `classifyInPlaceUpdate`). */
      readonly spec: InPlaceUpdateSpec;
      /** Template paths that differ. */
      readonly paths: readonly string[];
      /** `inPlaceUpdateStrategy.gracePeriodSeconds` to pass on to the in-place patch. */
      readonly gracePeriodSeconds: number;
      /** The lifecycle move that goes with the decision. */
      readonly transition: LifecycleTransition;
    }
  | {
      /** Replace the pod (CloneSet labels it `apps.kruise.io/specified-delete`; Advanced StatefulSet deletes it). */
      readonly kind: 'recreate';
      /** Pod name. */
      readonly pod: string;
      /** The revision the pod is at. */
      readonly from: string;
      /** The target revision. */
      readonly to: string;
      /** Why not in place ("recreated because `spec-changed`"), or `recreate-policy` under ReCreate. */
      readonly reason: RecreateReason | 'recreate-policy';
      /** Template paths behind the decision. */
      readonly paths: readonly string[];
    }
  | {
      /** Park the pod in PreparingUpdate until the inPlaceUpdate hook releases it. */
      readonly kind: 'prepare-update';
      /** Pod name. */
      readonly pod: string;
      /** The lifecycle move that goes with the decision. */
      readonly transition: LifecycleTransition;
    }
  | {
      readonly kind: 'wait';
      /** Pod name. */
      readonly pod: string;
      /** Why the pod waits. */
      readonly reason: 'in-place-update-hook-held' | 'no-in-place-update-hook';
    }
  | {
      /** The update cannot be done: InPlaceOnly with a change that needs a recreate, or a pod in a state that forbids it. */
      readonly kind: 'error';
      /** Pod name. */
      readonly pod: string;
      /** What went wrong. */
      readonly reason: 'in-place-only-cannot-update-in-place' | 'not-allowed-in-state';
      /** What forced the recreate, for InPlaceOnly. */
      readonly recreateReason?: RecreateReason;
      /** Template paths behind the decision. */
      readonly paths: readonly string[];
      /** A sentence for a person. */
      readonly message: string;
    };

/** What {@link decidePodUpdate} needs besides the pod. */
export interface PodUpdateContext {
  /** The workload's resolved settings (policy, lifecycle, grace period). */
  readonly settings: PodUpdateSettings;
  /** Revisions the pods may be at (to find a pod's own revision). */
  readonly revisions: readonly ControllerRevision[];
  /** In-place feature gates (OpenKruise defaults when unset). */
  readonly featureGates?: InPlaceFeatureGates;
  /**
   * Memo of verdicts by source revision name: every pod of one revision gets the same verdict,
   * and classifying is the costly part (pass one Map per pass; optional).
   */
  readonly verdicts?: Map<string, InPlaceVerdict>;
}

function podRevision(pod: Pod, revisions: readonly ControllerRevision[]): ControllerRevision | undefined {
  return revisions.find((revision) => isPodAtRevision(pod, revision.metadata.name ?? ''));
}

function recreate(pod: Pod, from: string, to: string, reason: RecreateReason | 'recreate-policy', paths: readonly string[]): PodUpdateDecision {
  return { kind: 'recreate', pod: pod.metadata.name ?? '', from, to, reason, paths };
}

function classify(from: ControllerRevision | undefined, target: ControllerRevision, context: PodUpdateContext): InPlaceVerdict {
  const key = from?.metadata.name ?? '';
  const known = context.verdicts?.get(key);
  if (known !== undefined) return known;
  const verdict = classifyInPlaceUpdate(from, target, {
    ...(context.featureGates === undefined ? {} : { featureGates: context.featureGates }),
    ignoreVolumeClaimTemplatesHashDiff: context.settings.podUpdatePolicy === 'InPlaceOnly',
  });
  context.verdicts?.set(key, verdict);
  return verdict;
}

/**
 * Returns how one pod moves to `target` (OpenKruise CloneSet's `updatePod`, Advanced
 * StatefulSet's `inPlaceUpdatePod`): with InPlaceIfPossible or
 * InPlaceOnly and an in-place-eligible change, in place (first through PreparingUpdate when the
 * inPlaceUpdate hook holds the pod); otherwise recreated through the specified-delete label, or,
 * under InPlaceOnly, an error.
 */
export function decidePodUpdate(pod: Pod, target: ControllerRevision, context: PodUpdateContext): PodUpdateDecision {
  const { settings } = context;
  const from = podRevision(pod, context.revisions);
  const fromName = from?.metadata.name ?? '';
  const to = target.metadata.name ?? '';
  if (settings.podUpdatePolicy === 'ReCreate') return recreate(pod, fromName, to, 'recreate-policy', []);
  const verdict = classify(from, target, context);
  if (verdict.kind === 'in-place') {
    const step = lifecycleStepBeforeInPlace(pod, settings.lifecycle);
    if (step !== undefined) return step;
    const transition = lifecycleTransition(pod, 'Updating', 'in-place-update-started', false);
    return { kind: 'update-in-place', pod: pod.metadata.name ?? '', from: fromName, to, spec: verdict.spec, paths: verdict.paths, gracePeriodSeconds: settings.gracePeriodSeconds, transition };
  }
  if (settings.podUpdatePolicy === 'InPlaceOnly') {
    const message = `pod ${pod.metadata.name ?? ''}: update strategy is InPlaceOnly but the change needs a recreate (${verdict.reason}: ${verdict.paths.join(', ')})`;
    return { kind: 'error', pod: pod.metadata.name ?? '', reason: 'in-place-only-cannot-update-in-place', recreateReason: verdict.reason, paths: verdict.paths, message };
  }
  return recreate(pod, fromName, to, verdict.reason, verdict.paths);
}

// The lifecycle step that comes before an in-place update, or undefined when the update may start.
function lifecycleStepBeforeInPlace(pod: Pod, lifecycle: Lifecycle | undefined): PodUpdateDecision | undefined {
  const name = pod.metadata.name ?? '';
  const hook = lifecycle?.inPlaceUpdate;
  const state = podLifecycleState(pod);
  switch (state) {
    case '':
    case 'PreparingNormal':
    case 'Normal':
      return isPodHooked(hook, pod)
        ? { kind: 'prepare-update', pod: name, transition: lifecycleTransition(pod, 'PreparingUpdate', 'in-place-update-hook', hook?.markPodNotReady === true) }
        : undefined;
    case 'Updated':
      return hook === undefined
        ? { kind: 'wait', pod: name, reason: 'no-in-place-update-hook' }
        : { kind: 'prepare-update', pod: name, transition: lifecycleTransition(pod, 'PreparingUpdate', 'in-place-update-hook', hook.markPodNotReady === true, hook) };
    case 'PreparingUpdate':
      return isPodHooked(hook, pod) ? { kind: 'wait', pod: name, reason: 'in-place-update-hook-held' } : undefined;
    case 'Updating':
      return undefined;
    case 'PreparingDelete':
    default:
      return { kind: 'error', pod: name, reason: 'not-allowed-in-state', paths: [], message: `not allowed to update pod ${name} in place in state ${state}` };
  }
}
