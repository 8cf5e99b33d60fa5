import type { PersistentVolumeClaim, Pod } from '../api/pod.js';
import { STATEFULSET_API_VERSION, STATEFULSET_KIND, type StatefulSet, type StatefulSetStatus } from '../api/statefulSet.js';
import type { InPlaceFeatureGates } from '../inplace/inPlaceFeatureGates.js';
import { isPodTerminating, type EpochMs } from '../shared/podState.js';
import { templateFromRevision, type ControllerRevision } from '../shared/revision.js';
import { planUpdateRevision } from '../shared/revisionHistory.js';
import { matchesLabelSelector } from '../shared/selector.js';
import { applyLifecycleTransition } from '../workload/lifecycle.js';
import { concatWaves, podRef, zipWaves, type EffectWave } from '../workload/podEffects.js';
import { historyCleanupEffects, podRevisionLabels, revisionStep } from '../workload/revisionEffects.js';
import { slowStartWaves } from '../workload/slowStart.js';
import type { PassEvent, WorkloadEffect } from '../workload/workloadEffect.js';
import { soonest, type WorkloadPassPlan } from '../workload/workloadPassPlan.js';
import { computeStatefulSetStatus, isStatusInconsistent } from './computeStatefulSetStatus.js';
import { currentRevisionNeededFromCounts } from './isCurrentRevisionNeeded.js';
import { isPodAtRevision } from '../workload/workloadPod.js';
import {
  firstUnhealthyPod,
  initialLifecycleTransition,
  planCondemned,
  planReplicaLoop,
  refreshPod,
  type CondemnedAction,
  type CondemnedEnd,
  type PodRefresh,
  type ReplicaAction,
  type ReplicaLoopEnd,
} from './planStatefulSetReplicas.js';
import { planRollingUpdate, type RollingUpdatePlan } from './planStatefulSetUpdate.js';
import { condemnedActionEffects, refreshEffects, refusedUpdateEvent, replicaActionEffects, updateActionEffects } from './statefulSetEffects.js';
import { isStatefulSetMember, newStatefulSetPod, podOrdinal, statefulSetControllerRef } from './statefulSetPod.js';
import { resolveStatefulSetSettings, type StatefulSetFeatureGates, type StatefulSetSettings } from './statefulSetSettings.js';
import type { StorageClassInfo } from './statefulSetClaimResize.js';

/** OpenKruise's `MaxBatchSize`: the largest slow-start batch of a Parallel pass. */
export const STATEFULSET_MAX_BATCH_SIZE = 500;

/** Everything one Advanced StatefulSet pass looks at. */
export interface StatefulSetSnapshot {
  /** The set as stored (metadata with uid and generation, status). */
  readonly statefulSet: StatefulSet;
  /** Its pods: those it controls, and orphans its selector matches (candidates for adoption). */
  readonly pods: readonly Pod[];
  /** The PVCs of its claim templates (by name `<claim>-<set>-<ordinal>`), terminating ones included. */
  readonly pvcs: readonly PersistentVolumeClaim[];
  /** Every ControllerRevision it owns. */
  readonly revisions: readonly ControllerRevision[];
  /** Now (one clock reading per pass), epoch ms. */
  readonly now: EpochMs;
  /** Feature gates of the StatefulSet controller and of the in-place engine. */
  readonly featureGates?: StatefulSetFeatureGates & InPlaceFeatureGates;
  /** The apiserver serves `pods/resize` (Kubernetes ≥ 1.32; default true). */
  readonly resizeSubresource?: boolean;
  /** StorageClasses (whether each allows volume expansion), read only to expand PVCs during an update. */
  readonly storageClasses?: readonly StorageClassInfo[];
}

/** Where a pass stopped: the last stage it reached (OpenKruise's order). */
export type StatefulSetStage = 'deleting' | 'replicas' | 'scale-down' | 'on-delete' | 'refresh' | 'paused' | 'update';

/** What each stage of a pass decided, with the reason it stopped. */
export interface StatefulSetPassStep {
  /** The last stage reached: `deleting` (the set is being deleted: status only), ..., `update`. */
  readonly stage: StatefulSetStage;
  /** The replica loop (create, replace finished pods, refresh, fix identity) and where it ended. */
  readonly replicas?: { readonly actions: readonly ReplicaAction[]; readonly end: ReplicaLoopEnd };
  /** Scale-down of the condemned pods (outside the range, or at a reserved ordinal). */
  readonly scaleDown?: { readonly actions: readonly CondemnedAction[]; readonly end: CondemnedEnd };
  /** State refreshes of the rolling update (pods the replica loop did not reach). */
  readonly refresh?: readonly PodRefresh[];
  /** The rolling update. */
  readonly update?: RollingUpdatePlan;
}

/** One Advanced StatefulSet pass: the shared {@link WorkloadPassPlan} plus the revisions it worked with. */
export interface StatefulSetPassPlan extends WorkloadPassPlan<StatefulSetPassStep, StatefulSetStatus> {
  readonly currentRevision: ControllerRevision;
  readonly updateRevision: ControllerRevision;
  /** The resolved settings the pass used. */
  readonly settings: StatefulSetSettings;
}

/** Pods the set controls, adopts, or releases (Kubernetes `ClaimPods` with the member-name filter). */
function claimPods(set: StatefulSet, pods: readonly Pod[]): { owned: Pod[]; release: Pod[]; adopt: Pod[] } {
  const uid = set.metadata?.uid ?? '';
  const name = set.metadata?.name ?? '';
  const owned: Pod[] = [];
  const release: Pod[] = [];
  const adopt: Pod[] = [];
  for (const pod of pods) {
    const controller = pod.metadata.ownerReferences?.find((ref) => ref.controller === true);
    const matches = matchesLabelSelector(set.spec.selector, pod.metadata.labels ?? {}) && isStatefulSetMember(name, pod);
    if (controller?.uid === uid) (matches ? owned : release).push(pod);
    else if (controller === undefined && matches && !isPodTerminating(pod) && set.metadata?.deletionTimestamp === undefined) adopt.push(pod);
  }
  return { owned, release, adopt };
}

/**
 * Returns what one Advanced StatefulSet reconcile does, in OpenKruise's order, with no I/O
 * (`pkg/controller/statefulset`, `updateStatefulSet` then `rollingUpdateStatefulsetPods`):
 * 1. prelude: adopt orphan pods named `<set>-<n>` that the selector matches, release owned pods
 *    it no longer matches, register the update revision;
 * 2. the replica loop over the ordinals `[start, end)` without the reserved ones (see
 *    {@link planReplicaLoop}); unless it ends the pass, scale-down of the condemned pods
 *    ({@link planCondemned}); then, for RollingUpdate, the state refresh of every pod (a lifecycle
 *    move ends the pass), `paused`, and the rolling update ({@link planRollingUpdate});
 * 3. the status (written only when it differs as OpenKruise compares it), with `FailedCreatePod`
 *    or `FailedUpdatePod` when a pod write fails;
 * 4. clean-ups: revisions beyond revisionHistoryLimit.
 * The stages' writes run as waves in that order; a failing wave ends the pass.
 *
 * @example OrderedReady, replicas 3, no pods → replica loop creates web-0 only (end exit created-one-at-a-time)
 * @example 5 ready pods at r1, template now r2, partition 2, ReCreate → update deletes web-4 (maxUnavailable 1)
 */
export function planStatefulSetPass(snapshot: StatefulSetSnapshot): StatefulSetPassPlan {
  const set = snapshot.statefulSet;
  const { now } = snapshot;
  const settings = resolveStatefulSetSettings(set, snapshot.featureGates ?? {});
  const claimed = claimPods(set, snapshot.pods);
  const controllerRef = statefulSetControllerRef(set);
  const pods = [...claimed.owned, ...claimed.adopt];

  const collisionCount = set.status?.collisionCount ?? 0;
  const owner = {
    apiVersion: STATEFULSET_API_VERSION,
    kind: STATEFULSET_KIND,
    name: set.metadata?.name ?? '',
    uid: set.metadata?.uid ?? '',
    ...(set.metadata?.namespace === undefined ? {} : { namespace: set.metadata.namespace }),
    ...(set.metadata?.annotations === undefined ? {} : { annotations: set.metadata.annotations }),
  };
  const revision = revisionStep(planUpdateRevision({ owner, template: set.spec.template, collisionCount, revisions: snapshot.revisions }), snapshot.revisions);
  const update = revision.update;
  const current = revision.revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  const currentName = current.metadata.name ?? '';
  const updateName = update.metadata.name ?? '';
  const prelude: WorkloadEffect[] = [
    ...claimed.adopt.map((pod): WorkloadEffect => ({ kind: 'adopt-pod', target: podRef(pod), owner: controllerRef, reason: 'orphan-matches-selector' })),
    ...claimed.release.map((pod): WorkloadEffect => ({ kind: 'release-pod', target: podRef(pod), ownerUid: owner.uid, reason: 'selector-no-longer-matches' })),
    ...revision.effects,
  ];
  const cleanups = historyCleanupEffects(revision.revisions, podRevisionLabels(pods, ''), [currentName, updateName], settings.revisionHistoryLimit);
  const base = { prelude: concatWaves([prelude]), cleanups, currentRevision: current, updateRevision: update, settings } as const;

  if (set.metadata?.deletionTimestamp !== undefined) {
    const status = finalStatus(set, settings, { pods, replicas: pods, pvcs: snapshot.pvcs, currentName, updateName, collisionCount, now, currentDecrease: 0, updatedDecrease: 0 });
    return { ...base, step: { stage: 'deleting' }, effects: [], status, events: [], requeueAfterMs: undefined };
  }

  // Place the pods: replicas by ordinal slot, the others condemned (highest ordinal first).
  const slots: (Pod | undefined)[] = new Array<Pod | undefined>(settings.endOrdinal - settings.startOrdinal).fill(undefined);
  const condemned: Pod[] = [];
  for (const pod of pods) {
    const ordinal = podOrdinal(pod);
    if (ordinal >= settings.startOrdinal && ordinal < settings.endOrdinal && !settings.reserved.has(ordinal)) slots[ordinal - settings.startOrdinal] = pod;
    else if (ordinal >= 0) condemned.push(pod);
  }
  condemned.sort((a, b) => podOrdinal(b) - podOrdinal(a));

  // Missing replicas, in ordinal order: each at the revision the partition gives it.
  const currentTemplate = templateFromRevision(current) ?? set.spec.template;
  const updateTemplate = templateFromRevision(update) ?? set.spec.template;
  const planned = new Set<number>();
  const atCurrent = new Set<number>();
  // Counts for isCurrentRevisionNeeded, kept as the slots fill in ordinal order.
  let before = 0;
  let notUpdated = slots.reduce((n, pod) => (pod !== undefined && !isPodAtRevision(pod, updateName) ? n + 1 : n), 0);
  const revisionContext = { settings, statusCurrentReplicas: set.status?.currentReplicas ?? 0 };
  for (let slot = 0; slot < slots.length; slot++) {
    const ordinal = settings.startOrdinal + slot;
    if (settings.reserved.has(ordinal)) continue;
    if (slots[slot] !== undefined) {
      before++;
      continue;
    }
    const useCurrent = currentRevisionNeededFromCounts(ordinal, { before, othersNotUpdated: notUpdated }, revisionContext);
    const pod = newStatefulSetPod({ set, template: useCurrent ? currentTemplate : updateTemplate, revision: useCurrent ? currentName : updateName, ordinal, podIndexLabel: settings.podIndexLabel });
    slots[slot] = applyLifecycleTransition(pod, initialLifecycleTransition(pod, settings), now);
    planned.add(slot);
    before++;
    if (useCurrent) {
      atCurrent.add(slot);
      if (currentName !== updateName) notUpdated++;
    }
  }

  const pvcs = new Map(snapshot.pvcs.map((pvc) => [pvc.metadata.name ?? '', pvc]));
  const gates = snapshot.featureGates;
  const resizeSubresource = snapshot.resizeSubresource ?? true;
  const context = { set, settings, slots, planned, atCurrentRevision: (slot: number) => atCurrent.has(slot), pvcs, updateRevision: updateName, now, resizeSubresource, featureGates: gates };
  const existing = slots.filter((pod, slot): pod is Pod => pod !== undefined && !planned.has(slot));
  const statusInput = { pods: [...existing, ...condemned], replicas: slots.filter((p): p is Pod => p !== undefined), pvcs: snapshot.pvcs, currentName, updateName, collisionCount, now };

  const replicaLoop = planReplicaLoop(context);
  const replicaWaves = slowStartWaves(replicaLoop.actions.map((a) => replicaActionEffects(a, set, now)), STATEFULSET_MAX_BATCH_SIZE);
  const replicas = { actions: replicaLoop.actions, end: replicaLoop.end };
  const finish = (step: StatefulSetPassStep, waves: readonly EffectWave[], requeueAfterMs: number | undefined, update?: RollingUpdatePlan, events: readonly PassEvent[] = []): StatefulSetPassPlan => ({
    ...base,
    step,
    effects: waves,
    status: finalStatus(set, settings, { ...statusInput, currentDecrease: update?.currentDecrease ?? 0, updatedDecrease: update?.updatedDecrease ?? 0 }),
    events,
    requeueAfterMs,
  });
  if (replicaLoop.end.kind === 'exit') return finish({ stage: 'replicas', replicas }, replicaWaves, replicaLoop.requeueAfterMs);

  // Only OrderedReady scale-down reads the first unhealthy pod, and only when some pod is condemned.
  const firstUnhealthy = settings.podManagementPolicy === 'OrderedReady' && condemned.length > 0 ? firstUnhealthyPod(slots, condemned) : undefined;
  const scaleDownPlan = planCondemned(context, condemned, firstUnhealthy);
  const claimFixes = scaleDownPlan.actions.filter((a) => a.kind === 'claim-owners');
  const removals = scaleDownPlan.actions.filter((a) => a.kind !== 'claim-owners');
  const scaleDownWaves = concatWaves(
    slowStartWaves(claimFixes.map((a) => condemnedActionEffects(a, set, now)), STATEFULSET_MAX_BATCH_SIZE),
    slowStartWaves(removals.map((a) => condemnedActionEffects(a, set, now)), STATEFULSET_MAX_BATCH_SIZE),
  );
  const scaleDown = { actions: scaleDownPlan.actions, end: scaleDownPlan.end };
  let requeueAfterMs = soonest(replicaLoop.requeueAfterMs, scaleDownPlan.requeueAfterMs);
  const sofar = concatWaves(replicaWaves, scaleDownWaves);
  if (scaleDownPlan.end.kind === 'exit') return finish({ stage: 'scale-down', replicas, scaleDown }, sofar, requeueAfterMs);
  if (settings.updateType === 'OnDelete') return finish({ stage: 'on-delete', replicas, scaleDown }, sofar, requeueAfterMs);

  // Rolling update: first every pod's state, then (unless a lifecycle moved) the update itself.
  // The existing replicas in ordinal order, then the condemned pods: those the replica loop did not refresh.
  const refresh: PodRefresh[] = [];
  const refreshOne = (pod: Pod): void => {
    const result = refreshPod(pod, context);
    requeueAfterMs = soonest(requeueAfterMs, result.requeueAfterMs);
    if (result.refresh !== undefined) refresh.push(result.refresh);
  };
  for (let slot = 0; slot < slots.length; slot++) {
    const pod = slots[slot];
    if (pod !== undefined && !planned.has(slot) && replicaLoop.refreshed[slot] !== true) refreshOne(pod);
  }
  for (const pod of condemned) refreshOne(pod);
  const withRefresh = concatWaves(sofar, zipWaves(refresh.map((r) => refreshEffects(r, now))));
  const lifecycleMoved = [...replicaLoop.actions, ...refresh].some((r) => 'transition' in r);
  if (lifecycleMoved) return finish({ stage: 'refresh', replicas, scaleDown, refresh }, withRefresh, requeueAfterMs);
  if (settings.paused) return finish({ stage: 'paused', replicas, scaleDown, refresh }, withRefresh, requeueAfterMs);

  const storageClasses = new Map((snapshot.storageClasses ?? []).map((sc) => [sc.name, sc]));
  const rolling = planRollingUpdate({ settings, slots, currentRevision: currentName, updateRevision: update, revisions: revision.revisions, now, featureGates: gates, claims: { set, pvcs, storageClasses } });
  const options = { now, resizeSubresource, featureGates: gates };
  const sequences = rolling.actions.map((action) => {
    const built = updateActionEffects(action, set, options);
    requeueAfterMs = soonest(requeueAfterMs, built.requeueAfterMs);
    return built.effects;
  });
  const events = rolling.end.kind === 'refused' ? [rolling.end.event ?? refusedUpdateEvent(rolling.end.message)] : [];
  return finish({ stage: 'update', replicas, scaleDown, refresh, update: rolling }, concatWaves(withRefresh, zipWaves(sequences)), soonest(requeueAfterMs, rolling.requeueAfterMs), rolling, events);
}

interface StatusParts {
  readonly pods: readonly Pod[];
  readonly replicas: readonly Pod[];
  readonly pvcs: readonly PersistentVolumeClaim[];
  readonly currentName: string;
  readonly updateName: string;
  readonly collisionCount: number;
  readonly now: EpochMs;
  readonly currentDecrease: number;
  readonly updatedDecrease: number;
}

// The status the pass leaves: the stored one unless it differs as OpenKruise compares it.
function finalStatus(set: StatefulSet, settings: StatefulSetSettings, parts: StatusParts): StatefulSetStatus {
  const computed = computeStatefulSetStatus({
    set,
    settings,
    pods: parts.pods,
    replicas: parts.replicas,
    pvcs: parts.pvcs,
    currentRevision: parts.currentName,
    updateRevision: parts.updateName,
    collisionCount: parts.collisionCount,
    now: parts.now,
    currentDecrease: parts.currentDecrease,
    updatedDecrease: parts.updatedDecrease,
  });
  return set.status !== undefined && !isStatusInconsistent(set.status, computed) ? set.status : computed;
}
