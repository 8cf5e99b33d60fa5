import type { Pod, PodCondition } from '../api/pod.js';
import { jsonEqual } from '../inplace/diffJson.js';
import type { InPlaceFeatureGates } from '../inplace/inPlaceFeatureGates.js';
import type { InPlaceUpdateSpec } from '../inplace/inPlaceUpdateSpec.js';
import { planStartInPlaceUpdateCondition } from '../inplace/inPlaceUpdateReadyCondition.js';
import { planInPlaceUpdateStartPatch } from '../inplace/planInPlaceUpdatePatch.js';
import { planInPlaceUpdateRefresh, type InPlaceRefreshPlan } from '../inplace/planInPlaceUpdateRefresh.js';
import type { EpochMs } from '../shared/podState.js';
import { lifecycleTransitionMetadata, type LifecycleTransition } from './lifecycle.js';
import { isEmptyPodPatch, podRef } from './podEffects.js';
import type { EffectEvents, WorkloadEffect } from './workloadEffect.js';

/** What an in-place update of one pod needs (the `update-in-place` decision of a planner). */
export interface InPlaceUpdateStart {
  /** The pod's name. */
  readonly pod: string;
  /** The target revision. */
  readonly to: string;
  /** What to change in place. */
  readonly spec: InPlaceUpdateSpec;
  /** `inPlaceUpdateStrategy.gracePeriodSeconds`: > 0 parks the spec that long first. */
  readonly gracePeriodSeconds: number;
  /** The lifecycle move that goes with it (to `Updating`); none leaves the state label as it is. */
  readonly transition?: LifecycleTransition | undefined;
}

/** Options of the in-place effect builders. */
export interface InPlaceEffectOptions {
  readonly now: EpochMs;
  /** The apiserver serves `pods/resize` (Kubernetes ≥ 1.32): resources change through it. */
  readonly resizeSubresource: boolean;
  /** Labels that record the revision on the pod (default: CloneSet's). */
  readonly revisionLabels?: (revision: string) => Readonly<Record<string, string>>;
  /** In-place feature gates (`InPlaceWorkloadVerticalScaling`...); OpenKruise's defaults when unset. */
  readonly featureGates?: InPlaceFeatureGates | undefined;
}

/** A pod's effects, in order, and when to look at the pod again without an event. */
export interface PodEffectSequence {
  readonly effects: readonly WorkloadEffect[];
  /** A grace period is running: come back after this long. */
  readonly requeueAfterMs?: number;
}

/**
 * Returns the writes that start an in-place update (OpenKruise's `updatePodInPlace`), in order:
 * `InPlaceUpdateReady=False` with `Ready` recomputed (the pod leaves endpoints before its
 * containers restart); then one strategic-merge patch with the revision labels, the lifecycle
 * move, the in-place state and the first container batch (or the spec parked for the grace
 * period); then the `pods/resize` request when resources change through the subresource.
 *
 * @example image change, grace 0 → [patch-pod-status (InPlaceUpdateReady False), patch-pod (labels, state, image)]
 * @example the same with gracePeriodSeconds 30 → the patch parks the spec; requeueAfterMs 30000
 */
export function inPlaceUpdateStartEffects(pod: Pod, start: InPlaceUpdateStart, options: InPlaceEffectOptions): PodEffectSequence {
  const { now } = options;
  const ref = podRef(pod);
  const failure = { type: 'Warning', reason: 'FailedUpdatePodInPlace', message: `failed to update pod ${start.pod} in-place(revision ${start.to})` } as const;
  const condition = planStartInPlaceUpdateCondition(pod, start.spec, now, options.featureGates === undefined ? {} : { featureGates: options.featureGates });
  const changed = condition.kind === 'update-status' ? conditionsToWrite(pod.status?.conditions ?? [], condition.conditions) : [];
  const statusEffects: WorkloadEffect[] =
    changed.length > 0 ? [{ kind: 'patch-pod-status', target: ref, conditions: changed, changes: changed.map((c) => ({ kind: 'set', condition: c })), reason: 'in-place-update-started', events: { failure } }] : [];
  // The patch is taken against the pod as read: the lifecycle move is part of it (its condition
  // changes are not: a patch carries metadata and containers).
  const plan = planInPlaceUpdateStartPatch(pod, start.spec, {
    now,
    gracePeriodSeconds: start.gracePeriodSeconds,
    resizeSubresource: options.resizeSubresource,
    ...(options.revisionLabels === undefined ? {} : { revisionLabels: options.revisionLabels(start.to) }),
    ...(start.transition === undefined ? {} : { metadata: lifecycleTransitionMetadata(pod.metadata, start.transition, now) }),
  });
  const events: EffectEvents = { success: { type: 'Normal', reason: 'SuccessfulUpdatePodInPlace', message: `successfully update pod ${start.pod} in-place(revision ${start.to})` }, failure };
  const resize = plan.kind === 'apply-batch' && plan.resizePatch !== undefined ? [{ kind: 'resize-pod' as const, target: ref, resize: plan.resizePatch, reason: 'in-place-update-started', events: { failure } }] : [];
  return {
    effects: [...statusEffects, { kind: 'patch-pod', target: ref, patch: plan.patch, reason: 'in-place-update-started', events }, ...resize],
    ...(plan.kind === 'park-in-grace' ? { requeueAfterMs: plan.requeueAfterSeconds * 1000 } : {}),
  };
}

/**
 * Returns the conditions of `after` that no condition of `before` equals (as JSON): what a status
 * patch must carry. Conditions `after` kept from `before` (the same objects) are skipped without
 * a comparison.
 *
 * @example conditionsToWrite([ready, gateTrue], [ready, gateFalse]) // [gateFalse]
 * @example conditionsToWrite([ready], [{ ...ready }]) // [] (equal as JSON)
 */
export function conditionsToWrite(before: readonly PodCondition[], after: readonly PodCondition[]): PodCondition[] {
  return after.filter((condition) => !before.includes(condition) && !before.some((old) => jsonEqual(old, condition)));
}

/** What the in-place refresh of one pod found (for explanations), with its effects. */
export interface InPlaceRefresh extends PodEffectSequence {
  /** The pod's name. */
  readonly pod: string;
  /** Core's refresh decision for the pod. */
  readonly plan: InPlaceRefreshPlan;
}

/**
 * Returns the refresh of an in-place update in progress (OpenKruise's `Refresh`) as effects: the
 * end of a grace period or the next container batch as a patch (then a resize), or
 * `InPlaceUpdateReady=True` once the containers run the new images. Pods with nothing to do
 * give no effects; a running grace period gives `requeueAfterMs`.
 *
 * @example grace period over → effects [patch-pod (first batch, grace annotation removed)]
 * @example containers updated → effects [patch-pod-status (InPlaceUpdateReady True)]
 */
export function inPlaceRefreshEffects(pod: Pod, options: InPlaceEffectOptions & { revisionLabelKey?: string }): InPlaceRefresh {
  const plan = planInPlaceUpdateRefresh(pod, {
    now: options.now,
    resizeSubresource: options.resizeSubresource,
    ...(options.revisionLabelKey === undefined ? {} : { revisionLabelKey: options.revisionLabelKey }),
    ...(options.featureGates === undefined ? {} : { featureGates: options.featureGates }),
  });
  const name = pod.metadata.name ?? '';
  switch (plan.kind) {
    case 'update-pod': {
      const ref = podRef(pod);
      const resize = plan.resizePatch === undefined ? [] : [{ kind: 'resize-pod' as const, target: ref, resize: plan.resizePatch, reason: plan.reason }];
      const patch = isEmptyPodPatch(plan.patch) ? [] : [{ kind: 'patch-pod' as const, target: ref, patch: plan.patch, reason: plan.reason }];
      return { pod: name, plan, effects: [...patch, ...resize] };
    }
    case 'update-status': {
      const conditions = conditionsToWrite(pod.status?.conditions ?? [], plan.conditions);
      return { pod: name, plan, effects: [{ kind: 'patch-pod-status', target: podRef(pod), conditions, changes: conditions.map((c) => ({ kind: 'set', condition: c })), reason: plan.reason }] };
    }
    case 'wait':
      return { pod: name, plan, effects: [], ...(plan.reason === 'grace-period' ? { requeueAfterMs: plan.requeueAfterSeconds * 1000 } : {}) };
    case 'nothing-to-do':
    case 'invalid':
      return { pod: name, plan, effects: [] };
  }
}
