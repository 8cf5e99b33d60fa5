import type { CloneSet } from '../api/cloneSet.js';
import type { PersistentVolumeClaim, Pod, PodTemplateSpec } from '../api/pod.js';
import type { EpochMs } from '../shared/podState.js';
import { isPodActive } from '../shared/podState.js';
import { countCloneSetPods, diffsFromCounts, type ReplicaDiffs } from './calculateReplicaDiffs.js';
import { isCloneSetPodAvailable, isCloneSetPodReady, isPodUpdatedForScale, isSpecifiedDelete } from './cloneSetPod.js';
import { podLifecycleState } from '../workload/workloadPod.js';
import { resolveCloneSetSettings, type CloneSetFeatureGates, type CloneSetSettings } from './cloneSetSettings.js';
import { isLifecycleMarkPodNotReady, lifecycleTransition, type LifecycleTransition } from '../workload/lifecycle.js';
import type { InstanceIdSuffixes } from './scaleCreations.js';
import type { NodeLabels } from '../workload/podSorter.js';
import { planPvcCleanup, type PvcCleanup } from './pvcCleanup.js';
import { planCreations, type PodCreation } from './planCreations.js';
import { choosePodsToScaleDown, podDeletions, takeWithinDeleteReadyLimit, type PodDeletion, type PodDeletionReason } from './scaleDeletions.js';

/** What {@link planScale} looks at. */
export interface CloneSetScaleInput {
  /** The CloneSet; its `spec.template` is the update revision's template. */
  readonly cloneSet: CloneSet;
  /** Pods owned by the CloneSet (inactive ones only matter for PVC clean-up). */
  readonly pods: readonly Pod[];
  /** PVCs owned by the CloneSet (terminating ones are never reused, nor their ids and names taken by new pods). */
  readonly pvcs?: readonly PersistentVolumeClaim[];
  /** `status.currentRevision`: the revision partition keeps. */
  readonly currentRevision: string;
  /** The revision of the current template. */
  readonly updateRevision: string;
  /** The template recorded in `currentRevision` (default: `spec.template`). */
  readonly currentTemplate?: PodTemplateSpec;
  /** Now, epoch ms. */
  readonly now: EpochMs;
  /** Suffixes for new instance ids: a list used in order, or a function drawing a random one per call; taken ones are skipped. */
  readonly instanceIdSuffixes: InstanceIdSuffixes;
  /** Feature gates (CloneSetPartitionRollback, PreparingUpdateAsUpdate); all off by default. */
  readonly featureGates?: CloneSetFeatureGates;
  /** Node labels, for scale-down by topology spread. */
  readonly nodeLabels?: NodeLabels;
  /** The manager flag `--cloneset-scaling-exclude-preparing-delete`. */
  readonly scalingExcludePreparingDelete?: boolean;
}

/** Why a scale pass changes nothing (the update pass may then run). */
export type NoScaleReason =
  | 'replicas-satisfied'
  | 'scale-up-blocked-by-max-unavailable'
  | 'instance-ids-exhausted'
  | 'pre-delete-hooks-pending'
  | 'deletions-pending'
  | 'delete-ready-limit-reached';

/** What every scale plan carries. */
export interface ScalePlanCommon {
  /** The numbers the plan follows. */
  readonly diffs: ReplicaDiffs;
  /** PVCs to clean up first because PVC reuse is off (empty otherwise). */
  readonly pvcCleanup: PvcCleanup;
}

/**
 * The one kind of scale action of this pass, as OpenKruise's `Scale` takes it; `none` means the
 * controller may go on with the update pass.
 */
export type ScalePlan =
  | (ScalePlanCommon & {
      readonly kind: 'cancel-preparing-delete';
      /** Replicas rose while pods were waiting in PreparingDelete. */
      readonly reason: 'replicas-increased';
      /** PreparingDelete pods moved back to PreparingNormal. */
      readonly transitions: readonly LifecycleTransition[];
    })
  | (ScalePlanCommon & {
      readonly kind: 'create';
      /** Fewer pods than replicas (plus surge). */
      readonly reason: 'scale-up';
      /** Pods to create, current-revision ones first. */
      readonly creations: readonly PodCreation[];
      /** Slow-start batch sizes (1, 2, 4...): a failed batch stops the rest. */
      readonly batches: readonly number[];
      /** Whether fewer than `scaleUpNum` are created, and why. */
      readonly limitedBy: 'nothing' | 'scale-max-unavailable' | 'instance-ids-exhausted';
    })
  | (ScalePlanCommon & {
      readonly kind: 'delete';
      /** Why these pods go. */
      readonly reason: PodDeletionReason;
      /** Pods to delete (or to move to PreparingDelete), in order. */
      readonly deletions: readonly PodDeletion[];
    })
  | (ScalePlanCommon & { readonly kind: 'none'; readonly reason: NoScaleReason });

interface ScaleContext {
  readonly input: CloneSetScaleInput;
  readonly settings: CloneSetSettings;
  readonly pods: readonly Pod[];
  readonly pvcs: readonly PersistentVolumeClaim[];
  /** Owned PVCs being deleted (terminating, or cleaned up in this pass): new pods keep clear of them. */
  readonly terminatingPvcs: readonly PersistentVolumeClaim[];
  readonly common: ScalePlanCommon;
  readonly isUpdated: (pod: Pod) => boolean;
  readonly isReady: (pod: Pod) => boolean;
}

/**
 * Returns the next scale step of a CloneSet, in OpenKruise's order (one kind per pass):
 * 1. PreparingDelete pods back to PreparingNormal when replicas rose again (not with markPodNotReady);
 * 2. create `scaleUpLimit` pods, current-revision ones first;
 * 3. delete PreparingDelete pods whose preDelete hook is released;
 * 4. delete specified pods (not-ready ones always, ready ones within deleteReadyLimit);
 * 5. scale down in OpenKruise's order, old revision first — unless specified deletions are pending.
 * A pod held by a preDelete hook is moved to PreparingDelete instead of deleted.
 *
 * @example replicas 5→3, 5 ready pods, maxUnavailable 20% → delete 2 pods (deleteReadyLimit 1 + 2 − 0 = 3)
 * @example replicas 3→10, scaleStrategy.maxUnavailable 2, no unavailable pod → create 2 (batches [1, 1])
 */
export function planScale(input: CloneSetScaleInput): ScalePlan {
  const context = scaleContext(input);
  return (
    cancelPreparingDelete(context) ??
    scaleUp(context) ??
    deleteReleasedPreparingDelete(context) ??
    deleteSpecified(context) ??
    scaleDown(context)
  );
}

function scaleContext(input: CloneSetScaleInput): ScaleContext {
  const settings = resolveCloneSetSettings(input.cloneSet, input.scalingExcludePreparingDelete);
  const pods = input.pods.filter(isPodActive);
  const ownedPvcs = (input.pvcs ?? []).filter((pvc) => pvc.metadata.deletionTimestamp === undefined);
  const pvcCleanup = planPvcCleanup(input.pods, ownedPvcs, settings.enablePVCReuse);
  const pvcs = settings.enablePVCReuse ? ownedPvcs : pvcCleanup.kept;
  const cleanedUp = new Set(pvcCleanup.delete);
  const terminatingPvcs = (input.pvcs ?? []).filter((pvc) => pvc.metadata.deletionTimestamp !== undefined || cleanedUp.has(pvc.metadata.name ?? ''));
  const preparingAsUpdate = input.featureGates?.PreparingUpdateAsUpdate === true;
  const isUpdated = (pod: Pod) => isPodUpdatedForScale(pod, input.updateRevision, preparingAsUpdate);
  const counts = countCloneSetPods(pods, settings, isUpdated, input.now);
  const rollback = input.featureGates?.CloneSetPartitionRollback === true && input.currentRevision !== input.updateRevision;
  const diffs = diffsFromCounts(settings, counts, pods.length, rollback);
  const isReady = (pod: Pod) => isCloneSetPodReady(pod, input.now);
  return { input, settings, pods, pvcs, terminatingPvcs, common: { diffs, pvcCleanup }, isUpdated, isReady };
}

function plannedDeletions(context: ScaleContext): { specified: Pod[]; preDeleting: Pod[]; count: number } {
  const specified = context.pods.filter((pod) => isSpecifiedDelete(pod, context.settings.podsToDelete));
  const preDeleting = context.pods.filter((pod) => podLifecycleState(pod) === 'PreparingDelete');
  return { specified, preDeleting, count: new Set([...specified, ...preDeleting]).size };
}

function cancelPreparingDelete(context: ScaleContext): ScalePlan | undefined {
  const { settings, pods } = context;
  // Once a hook marked pods not ready there is no way back (OpenKruise keeps them deleting).
  if (isLifecycleMarkPodNotReady(settings.lifecycle)) return undefined;
  const planned = plannedDeletions(context);
  let missing = settings.replicas - pods.length + planned.count;
  const transitions: LifecycleTransition[] = [];
  for (const pod of planned.preDeleting) {
    if (missing <= 0) break;
    if (isSpecifiedDelete(pod, settings.podsToDelete)) continue;
    transitions.push(lifecycleTransition(pod, 'PreparingNormal', 'replicas-increased', false));
    missing -= 1;
  }
  return transitions.length > 0 ? { ...context.common, kind: 'cancel-preparing-delete', reason: 'replicas-increased', transitions } : undefined;
}

function scaleUp(context: ScaleContext): ScalePlan | undefined {
  const { diffs } = context.common;
  if (diffs.scaleUpNum <= 0) return undefined;
  const { input } = context;
  const creations = planCreations({
    cloneSet: input.cloneSet,
    count: diffs.scaleUpLimit,
    currentCount: diffs.scaleUpNumOldRevision,
    currentRevision: input.currentRevision,
    updateRevision: input.updateRevision,
    currentTemplate: input.currentTemplate ?? input.cloneSet.spec.template,
    pods: context.pods,
    pvcs: context.pvcs,
    terminatingPvcs: context.terminatingPvcs,
    suffixes: input.instanceIdSuffixes,
    reusePVCs: context.settings.enablePVCReuse,
    now: input.now,
  });
  if (creations.pods.length === 0) {
    const reason = diffs.scaleUpLimit === 0 ? 'scale-up-blocked-by-max-unavailable' : 'instance-ids-exhausted';
    return { ...context.common, kind: 'none', reason };
  }
  const limitedBy = creations.missingIds > 0 ? 'instance-ids-exhausted' : diffs.scaleUpLimit < diffs.scaleUpNum ? 'scale-max-unavailable' : 'nothing';
  return { ...context.common, kind: 'create', reason: 'scale-up', creations: creations.pods, batches: creations.batches, limitedBy };
}

function deleteReleasedPreparingDelete(context: ScaleContext): ScalePlan | undefined {
  const { preDeleting } = plannedDeletions(context);
  const deletions = podDeletions(preDeleting, 'preparing-delete-released', context.settings.lifecycle, context.pvcs)
    // A pod still held by its hook stays in PreparingDelete: nothing changes for it this pass.
    .filter((deletion) => deletion.kind === 'delete-pod');
  return deletions.length > 0 ? { ...context.common, kind: 'delete', reason: 'preparing-delete-released', deletions } : undefined;
}

function deleteSpecified(context: ScaleContext): ScalePlan | undefined {
  const { specified, preDeleting } = plannedDeletions(context);
  const candidates = specified.filter((pod) => !preDeleting.includes(pod));
  const allowed = takeWithinDeleteReadyLimit(candidates, context.common.diffs.deleteReadyLimit, context.isReady).pods;
  if (allowed.length === 0) return undefined;
  const deletions = podDeletions(allowed, 'specified-delete', context.settings.lifecycle, context.pvcs);
  return { ...context.common, kind: 'delete', reason: 'specified-delete', deletions };
}

function scaleDown(context: ScaleContext): ScalePlan {
  const { diffs } = context.common;
  const planned = plannedDeletions(context);
  if (diffs.scaleDownNum <= 0) return { ...context.common, kind: 'none', reason: noScaleReason(planned) };
  if (planned.count > 0) return { ...context.common, kind: 'none', reason: 'deletions-pending' };
  const { settings, input } = context;
  const order = {
    isAvailable: (pod: Pod) => isCloneSetPodAvailable(pod, settings.minReadySeconds, input.now),
    topologyKeys: settings.topologyKeys,
    ...(input.nodeLabels === undefined ? {} : { nodeLabels: input.nodeLabels }),
  };
  const updated = context.pods.filter(context.isUpdated);
  const notUpdated = context.pods.filter((pod) => !context.isUpdated(pod));
  const chosen = choosePodsToScaleDown(diffs.scaleDownNum, diffs.scaleDownNumOldRevision, notUpdated, updated, order);
  const allowed = takeWithinDeleteReadyLimit(chosen, diffs.deleteReadyLimit, context.isReady).pods;
  if (allowed.length === 0) return { ...context.common, kind: 'none', reason: 'delete-ready-limit-reached' };
  return { ...context.common, kind: 'delete', reason: 'scale-down', deletions: podDeletions(allowed, 'scale-down', settings.lifecycle, context.pvcs) };
}

function noScaleReason(planned: { specified: Pod[]; preDeleting: Pod[] }): NoScaleReason {
  if (planned.preDeleting.length > 0) return 'pre-delete-hooks-pending';
  return planned.specified.length > 0 ? 'delete-ready-limit-reached' : 'replicas-satisfied';
}
