import type { CloneSet, CloneSetStatus } from '../api/cloneSet.js';
import { withCloneSetDefaults, type DefaultedCloneSet } from '../api/withCloneSetDefaults.js';
import type { PersistentVolumeClaim, Pod } from '../api/pod.js';
import type { InPlaceFeatureGates } from '../inplace/inPlaceFeatureGates.js';
import type { EpochMs } from '../shared/podState.js';
import { isPodActive } from '../shared/podState.js';
import { templateFromRevision, type ControllerRevision } from '../shared/revision.js';
import { planUpdateRevision } from '../shared/revisionHistory.js';
import { matchesLabelSelector } from '../shared/selector.js';
import { inPlaceRefreshEffects, type InPlaceRefresh } from '../workload/inPlaceEffects.js';
import { coalescePodWrites, concatWaves, lifecycleTransitionEffects, objectRef, podRef, zipWaves, type EffectWave } from '../workload/podEffects.js';
import { historyCleanupEffects, podRevisionLabels, revisionStep } from '../workload/revisionEffects.js';
import type { PassEvent, WorkloadEffect } from '../workload/workloadEffect.js';
import { soonest, type WorkloadPassPlan } from '../workload/workloadPassPlan.js';
import type { NodeLabels } from '../workload/podSorter.js';
import type { CloneSetFeatureGates } from './cloneSetSettings.js';
import { computeCloneSetStatus } from './computeCloneSetStatus.js';
import { msUntilNextAvailable } from './msUntilNextAvailable.js';
import { planPodsToDeleteTruncation } from './planPodsToDeleteTruncation.js';
import { computeProgressingCondition } from './progressingCondition.js';
import { planScale, type ScalePlan } from './planScale.js';
import { planUpdate, type UpdatePlan } from './planUpdate.js';
import { cloneSetOwnerReference, type InstanceIdSuffixes } from './scaleCreations.js';
import { scaleEffects, updateEffects } from './cloneSetEffects.js';

/** Everything one CloneSet pass looks at: what the controller's caches hold, and the moment. */
export interface CloneSetSnapshot {
  /** The CloneSet as stored (metadata with uid and generation, status); the pass applies OpenKruise's defaults once. */
  readonly cloneSet: CloneSet;
  /** Every pod whose controller is this CloneSet: active or not, matching its selector or not. */
  readonly pods: readonly Pod[];
  /** Every PVC it owns, terminating ones included. */
  readonly pvcs: readonly PersistentVolumeClaim[];
  /** Every ControllerRevision it owns. */
  readonly revisions: readonly ControllerRevision[];
  /** Node labels, for scale-down by topology spread. */
  readonly nodeLabels?: NodeLabels;
  /** Now (one clock reading per pass), epoch ms. */
  readonly now: EpochMs;
  /** Where new instance-id suffixes come from; drawn only as many times as pods are created. */
  readonly instanceIdSuffixes: InstanceIdSuffixes;
  /** Feature gates of the CloneSet algorithms and of the in-place engine. */
  readonly featureGates?: CloneSetFeatureGates & InPlaceFeatureGates;
  /** The apiserver serves `pods/resize` (Kubernetes ≥ 1.32; default true). */
  readonly resizeSubresource?: boolean;
  /** The manager flag `--cloneset-scaling-exclude-preparing-delete`. */
  readonly scalingExcludePreparingDelete?: boolean;
}

/** The stage that acts in a CloneSet pass, with core's plan behind it. */
export type CloneSetPassStep =
  | {
      /** Pods are created, deleted, or moved in or out of PreparingDelete. */
      readonly stage: 'scale';
      readonly scale: Exclude<ScalePlan, { kind: 'none' }>;
    }
  | {
      /** Pod states are brought up to date first: in-place updates in progress, lifecycle moves, missing labels. */
      readonly stage: 'refresh';
      /** Pods whose in-place update moves on (grace over, next container batch, InPlaceUpdateReady). */
      readonly inPlace: readonly InPlaceRefresh[];
      /** Lifecycle moves and `pod-template-hash` fixes, when any. */
      readonly update: Extract<UpdatePlan, { kind: 'refresh' }> | undefined;
    }
  | {
      /** Pods move to the target revision: in place, through PreparingUpdate, or recreated. */
      readonly stage: 'update';
      readonly update: Extract<UpdatePlan, { kind: 'update' }>;
    }
  | {
      /** Nothing to change: why not scale, and why not update. */
      readonly stage: 'idle';
      readonly scale: Extract<ScalePlan, { kind: 'none' }>;
      readonly update: Extract<UpdatePlan, { kind: 'none' }>;
    };

/** One CloneSet pass: the shared {@link WorkloadPassPlan} plus the revisions it worked with. */
export interface CloneSetPassPlan extends WorkloadPassPlan<CloneSetPassStep, CloneSetStatus> {
  /** The revision partition keeps (`status.currentRevision`, or the update revision at first). */
  readonly currentRevision: ControllerRevision;
  /** The revision of the current template (created or renumbered by the prelude when needed). */
  readonly updateRevision: ControllerRevision;
}

function revisionOwner(cloneSet: CloneSet) {
  const { name = '', namespace, uid = '', annotations } = cloneSet.metadata ?? {};
  return { ...cloneSetOwnerReference(cloneSet), name, uid, ...(namespace === undefined ? {} : { namespace }), ...(annotations === undefined ? {} : { annotations }) };
}

/**
 * Returns what one CloneSet reconcile does, in OpenKruise's order, with no I/O:
 * 1. prelude: release pods that no longer match the selector (OpenKruise never adopts orphans),
 *    clean up PVCs when PVC reuse is off, register the update revision;
 * 2. the one stage that acts: **scale** (create, delete, PreparingDelete moves); if nothing to
 *    scale, **refresh** (in-place updates in progress, lifecycle moves); if nothing to refresh,
 *    **update** (pods to the target revision within maxUnavailable and partition); else **idle**;
 * 3. the status (counts, revisions, Progressing, FailedUpdate for a refused InPlaceOnly update);
 * 4. clean-ups: revisions beyond revisionHistoryLimit, `podsToDelete` names of gone pods.
 * `requeueAfterMs` is the soonest of: a grace period ending, a pod becoming available after
 * minReadySeconds, the progress deadline.
 *
 * @example replicas 3, no pods → stage scale, effects [[create web-a], [create web-b, create web-c]] (slow start 1, 2)
 * @example 3 ready pods at the old image, InPlaceIfPossible, maxUnavailable 1 → stage update, effects [[InPlaceUpdateReady False], [patch image]]
 */
export function planCloneSetPass(input: CloneSetSnapshot): CloneSetPassPlan {
  // Defaults once, here: everything below reads them without fallbacks.
  const snapshot = { ...input, cloneSet: withCloneSetDefaults(input.cloneSet) };
  const { cloneSet, now } = snapshot;
  const pods: Pod[] = [];
  const strays: Pod[] = [];
  for (const pod of snapshot.pods) {
    if (matchesLabelSelector(cloneSet.spec.selector, pod.metadata.labels ?? {})) pods.push(pod);
    else if (isPodActive(pod)) strays.push(pod);
  }
  const collisionCount = cloneSet.status?.collisionCount ?? 0;
  const revision = revisionStep(
    planUpdateRevision({ owner: revisionOwner(cloneSet), template: cloneSet.spec.template, volumeClaimTemplates: cloneSet.spec.volumeClaimTemplates ?? [], collisionCount, revisions: snapshot.revisions }),
    snapshot.revisions,
  );
  const update = revision.update;
  const current = revision.revisions.find((r) => r.metadata.name === cloneSet.status?.currentRevision) ?? update;
  const currentName = current.metadata.name ?? '';
  const updateName = update.metadata.name ?? '';
  const uid = cloneSet.metadata?.uid ?? '';
  const options = { now, resizeSubresource: snapshot.resizeSubresource ?? true, ...(snapshot.featureGates === undefined ? {} : { featureGates: snapshot.featureGates }) };

  const scale = planScale({
    cloneSet,
    pods,
    pvcs: snapshot.pvcs,
    currentRevision: currentName,
    updateRevision: updateName,
    currentTemplate: templateFromRevision(current) ?? cloneSet.spec.template,
    now,
    instanceIdSuffixes: snapshot.instanceIdSuffixes,
    ...(snapshot.featureGates === undefined ? {} : { featureGates: snapshot.featureGates }),
    ...(snapshot.nodeLabels === undefined ? {} : { nodeLabels: snapshot.nodeLabels }),
    ...(snapshot.scalingExcludePreparingDelete === undefined ? {} : { scalingExcludePreparingDelete: snapshot.scalingExcludePreparingDelete }),
  });
  const prelude: WorkloadEffect[] = [
    ...strays.map((pod): WorkloadEffect => ({ kind: 'release-pod', target: podRef(pod), ownerUid: uid, reason: 'selector-no-longer-matches' })),
    ...scale.pvcCleanup.delete.flatMap((name): WorkloadEffect[] => {
      const pvc = snapshot.pvcs.find((p) => p.metadata.name === name);
      return pvc === undefined ? [] : [{ kind: 'delete-pvc', target: objectRef(pvc), reason: 'pvc-reuse-disabled' }];
    }),
    ...scale.pvcCleanup.handOver.flatMap(({ pvc: name, pod: podName }): WorkloadEffect[] => {
      const pvc = snapshot.pvcs.find((p) => p.metadata.name === name);
      const pod = snapshot.pods.find((p) => p.metadata.name === podName);
      if (pvc === undefined || pod === undefined) return [];
      const owner = { apiVersion: 'v1', kind: 'Pod', name: podName, uid: pod.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
      return [{ kind: 'hand-over-pvc', target: objectRef(pvc), owner, reason: 'pvc-of-inactive-pod' }];
    }),
    ...revision.effects,
  ];

  const events: PassEvent[] = [];
  if (scale.diffs.scaleUpNum > scale.diffs.scaleUpLimit) {
    events.push({ type: 'Warning', reason: 'ScaleUpLimited', message: `scaleUp is limited because of scaleStrategy.maxUnavailable, limit: ${String(scale.diffs.scaleUpLimit)}` });
  }
  const stage = chooseStage(snapshot, scale, pods, current, update, revision.revisions, options);
  const refused = stage.step.stage === 'update' ? stage.step.update.decisions.find((d) => d.kind === 'error') : undefined;
  if (refused !== undefined) events.push({ type: 'Warning', reason: 'FailedUpdatePodInPlace', message: refused.message });
  const status = computeCloneSetStatus({
    cloneSet,
    pods,
    currentRevision: currentName,
    updateRevision: updateName,
    collisionCount,
    now,
    ...(refused === undefined ? {} : { updateError: refused.message }),
  });
  const progressing = computeProgressingCondition({ cloneSet, status, now });
  return {
    step: stage.step,
    prelude: concatWaves([prelude]),
    effects: stage.effects,
    status,
    ...(stage.step.stage === 'scale' ? { failureCondition: 'FailedScale' } : stage.step.stage === 'idle' ? {} : { failureCondition: 'FailedUpdate' }),
    cleanups: cleanups(snapshot, pods, revision.revisions, [currentName, updateName]),
    events,
    requeueAfterMs: soonest(stage.requeueAfterMs, msUntilNextAvailable(pods, cloneSet.spec.minReadySeconds ?? 0, now), progressing.requeueAfterMs),
    currentRevision: current,
    updateRevision: update,
  };
}

interface Stage {
  readonly step: CloneSetPassStep;
  readonly effects: readonly EffectWave[];
  readonly requeueAfterMs?: number | undefined;
}

function chooseStage(
  snapshot: CloneSetSnapshot,
  scale: ScalePlan,
  pods: readonly Pod[],
  current: ControllerRevision,
  update: ControllerRevision,
  revisions: readonly ControllerRevision[],
  options: { now: EpochMs; resizeSubresource: boolean; featureGates?: InPlaceFeatureGates },
): Stage {
  if (scale.kind !== 'none') return { step: { stage: 'scale', scale }, effects: scaleEffects(scale, pods, options.now, snapshot.pvcs) };
  const active = pods.filter(isPodActive);
  const inPlace = active.map((pod) => inPlaceRefreshEffects(pod, options));
  const graceMs = soonest(...inPlace.map((r) => r.requeueAfterMs));
  const plan = planUpdate({
    cloneSet: snapshot.cloneSet,
    pods,
    currentRevision: current,
    updateRevision: update,
    revisions,
    now: options.now,
    ...(snapshot.featureGates === undefined ? {} : { featureGates: snapshot.featureGates }),
  });
  const refreshing = inPlace.filter((r) => r.effects.length > 0);
  if (refreshing.length > 0 || plan.kind === 'refresh') {
    const refresh = plan.kind === 'refresh' ? plan : undefined;
    const byName = new Map(active.map((pod) => [pod.metadata.name ?? '', pod]));
    // Each pod's writes in order: its in-place refresh, then its lifecycle move (merged into one
    // request when they can be: coalescePodWrites).
    const perPod = new Map(refreshing.map((r) => [r.pod, [...r.effects]]));
    for (const t of refresh?.transitions ?? []) {
      const pod = byName.get(t.pod);
      if (pod !== undefined) perPod.set(t.pod, [...(perPod.get(t.pod) ?? []), ...lifecycleTransitionEffects(pod, t, options.now)]);
    }
    const hashFixes = (refresh?.podTemplateHashFixes ?? []).flatMap((fix): WorkloadEffect[] => {
      const pod = byName.get(fix.pod);
      return pod === undefined ? [] : [{ kind: 'patch-pod', target: podRef(pod), patch: { metadata: { labels: fix.labels } }, reason: 'pod-template-hash-missing' }];
    });
    const effects = concatWaves(zipWaves([...perPod.values()].map(coalescePodWrites)), [hashFixes]);
    return { step: { stage: 'refresh', inPlace: refreshing, update: refresh }, effects, requeueAfterMs: graceMs };
  }
  if (plan.kind === 'update') {
    const updates = updateEffects(plan, pods, options);
    return { step: { stage: 'update', update: plan }, effects: updates.effects, requeueAfterMs: soonest(graceMs, updates.requeueAfterMs) };
  }
  return { step: { stage: 'idle', scale, update: plan }, effects: [], requeueAfterMs: graceMs };
}

function cleanups(snapshot: CloneSetSnapshot & { readonly cloneSet: DefaultedCloneSet }, pods: readonly Pod[], revisions: readonly ControllerRevision[], pinned: readonly string[]): WorkloadEffect[] {
  const { cloneSet } = snapshot;
  const history = historyCleanupEffects(revisions, podRevisionLabels(pods), pinned, cloneSet.spec.revisionHistoryLimit);
  const truncation = planPodsToDeleteTruncation(cloneSet.spec.scaleStrategy?.podsToDelete, pods.filter(isPodActive));
  const path = '/spec/scaleStrategy/podsToDelete';
  const podsToDelete: WorkloadEffect[] =
    truncation.kind === 'keep'
      ? []
      : [{ kind: 'patch-workload', operations: [{ op: 'test', path, value: truncation.from }, { op: 'replace', path, value: truncation.podsToDelete }], reason: 'pods-to-delete-gone' }];
  return [...history, ...podsToDelete];
}
