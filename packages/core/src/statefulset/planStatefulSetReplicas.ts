import type { OwnerReference } from '../api/objectMeta.js';
import type { PersistentVolumeClaim, Pod } from '../api/pod.js';
import type { StatefulSet } from '../api/statefulSet.js';
import { isPodTerminating, isRunningAndReady, type EpochMs } from '../shared/podState.js';
import { checkInPlaceUpdateCompleted } from '../inplace/checkInPlaceUpdateCompleted.js';
import type { InPlaceFeatureGates } from '../inplace/inPlaceFeatureGates.js';
import { inPlaceRefreshEffects, type InPlaceRefresh } from '../workload/inPlaceEffects.js';
import { isPodAllHooked, lifecycleTransition, planLifecycleRefresh, type LifecycleRefreshContext, type LifecycleTransition } from '../workload/lifecycle.js';
import { planPodRemoval, type PodRemoval } from '../workload/podRemoval.js';
import { soonest } from '../workload/workloadPassPlan.js';
import { hasFinished, isHealthy, statefulPodAvailability } from './statefulPodState.js';
import { identityLabels, identityMatches, podOrdinal, statefulSetClaims, storageMatches } from './statefulSetPod.js';
import { isClaimStale, newClaimOwners, wantedClaimOwners } from './statefulSetClaimOwners.js';
import type { StatefulSetSettings } from './statefulSetSettings.js';

/** A PVC whose owner references a retention policy changes. */
export interface ClaimOwnersChange {
  readonly pvc: PersistentVolumeClaim;
  readonly ownerReferences: readonly OwnerReference[];
}

/** The refresh of one pod's state: its in-place update moving on, and its lifecycle state. */
export interface PodRefresh {
  readonly pod: Pod;
  /** The in-place refresh (grace period over, next batch, InPlaceUpdateReady), when it writes. */
  readonly inPlace?: InPlaceRefresh;
  /** The lifecycle move (PreparingNormal → Normal, Updating → Normal/Updated...), when there is one. */
  readonly transition?: LifecycleTransition;
}

/** What the replica loop does to one replica (OpenKruise `processReplica`), with why. */
export type ReplicaAction =
  | {
      /** A Failed or Succeeded pod is deleted, to be created again on a later pass. */
      readonly kind: 'delete-finished';
      readonly ordinal: number;
      readonly pod: Pod;
    }
  | {
      /** A missing replica is created with its missing PVCs (those terminating are tried and fail until gone). */
      readonly kind: 'create';
      readonly ordinal: number;
      readonly pod: Pod;
      readonly pvcs: readonly PersistentVolumeClaim[];
      /** Created at the current revision to honour the partition (else at the update revision). */
      readonly atCurrentRevision: boolean;
    }
  | {
      /** A Pending pod whose PVCs are missing gets them. */
      readonly kind: 'create-missing-claims';
      readonly ordinal: number;
      readonly pod: Pod;
      readonly pvcs: readonly PersistentVolumeClaim[];
    }
  | ({ readonly kind: 'refresh'; readonly ordinal: number } & PodRefresh)
  | {
      /** The pod lost its identity labels, PVCs, or its PVCs' owners differ from the retention policy. */
      readonly kind: 'restore-identity';
      readonly ordinal: number;
      readonly pod: Pod;
      readonly labels: Readonly<Record<string, string>>;
      readonly missingClaims: readonly PersistentVolumeClaim[];
      readonly claimOwners: readonly ClaimOwnersChange[];
    };

/** Why the replica loop stopped the pass (OpenKruise's `shouldExit`), or handed on to scale-down and update. */
export type ReplicaLoopEnd =
  | { readonly kind: 'exit'; readonly reason: 'replacing-finished-pod' | 'created-one-at-a-time' | 'stale-claim' | 'waiting-for-termination' | 'waiting-for-available'; readonly ordinal: number }
  | { readonly kind: 'break'; readonly reason: 'scale-max-unavailable'; readonly ordinal: number }
  | { readonly kind: 'complete' };

export type { PodRemoval } from '../workload/podRemoval.js';

/** What a condemned pod (outside the replica range, or reserved) gets. */
export type CondemnedAction = { readonly kind: 'claim-owners'; readonly pod: Pod; readonly changes: readonly ClaimOwnersChange[] } | PodRemoval;

/** Why scale-down stopped (OrderedReady deletes one pod at a time, each after its successors are gone). */
export type CondemnedEnd =
  | { readonly kind: 'exit'; readonly reason: 'waiting-for-termination' | 'waiting-for-ready' | 'waiting-for-available' | 'deleted-one-at-a-time'; readonly pod: string }
  | { readonly kind: 'complete' };

/** What both loops read. */
export interface ReplicaLoopContext {
  readonly set: StatefulSet;
  readonly settings: StatefulSetSettings;
  /** The replica slots from the first ordinal: existing pods, pods to create (no uid), undefined where reserved. */
  readonly slots: readonly (Pod | undefined)[];
  /** Which slots hold a pod this pass creates. */
  readonly planned: ReadonlySet<number>;
  /** Whether the planned pod of a slot is at the current revision. */
  readonly atCurrentRevision: (slot: number) => boolean;
  readonly pvcs: ReadonlyMap<string, PersistentVolumeClaim>;
  readonly updateRevision: string;
  readonly now: EpochMs;
  readonly resizeSubresource: boolean;
  readonly featureGates?: InPlaceFeatureGates | undefined;
}

/** The ASTS revision label on in-place updates: `controller-revision-hash` only. */
export const statefulSetRevisionLabels = (revision: string): Record<string, string> => ({ 'controller-revision-hash': revision });

/**
 * Returns the refresh of one pod (OpenKruise `refreshPodState`): the in-place refresh (grace
 * period over, next container batch, InPlaceUpdateReady True), then the lifecycle move
 * (PreparingNormal → Normal once its hooks are on, Updating → Updated/Normal once the in-place
 * update completed, Updated → Normal, PreparingUpdate → ... when already at the update revision).
 */
export function refreshPod(pod: Pod, context: Pick<ReplicaLoopContext, 'settings' | 'updateRevision' | 'now' | 'resizeSubresource' | 'featureGates'>): { refresh: PodRefresh | undefined; requeueAfterMs: number | undefined } {
  const inPlace = inPlaceRefreshEffects(pod, inPlaceOptions(context));
  const transition = planLifecycleRefresh(pod, lifecycleContext(context));
  const writes = inPlace.effects.length > 0;
  const refresh = writes || transition !== undefined ? { pod, ...(writes ? { inPlace } : {}), ...(transition === undefined ? {} : { transition }) } : undefined;
  return { refresh, requeueAfterMs: inPlace.requeueAfterMs };
}

type RefreshContext = Pick<ReplicaLoopContext, 'settings' | 'updateRevision' | 'now' | 'resizeSubresource' | 'featureGates'>;

// Built once per pass context (not per pod): the options the in-place and lifecycle refreshes read.
const inPlaceOptionsCache = new WeakMap<RefreshContext, Parameters<typeof inPlaceRefreshEffects>[1]>();
const lifecycleContextCache = new WeakMap<RefreshContext, LifecycleRefreshContext>();

function inPlaceOptions(context: RefreshContext): Parameters<typeof inPlaceRefreshEffects>[1] {
  let options = inPlaceOptionsCache.get(context);
  if (options === undefined) {
    options = { now: context.now, resizeSubresource: context.resizeSubresource, ...(context.featureGates === undefined ? {} : { featureGates: context.featureGates }) };
    inPlaceOptionsCache.set(context, options);
  }
  return options;
}

function lifecycleContext(context: RefreshContext): LifecycleRefreshContext {
  let result = lifecycleContextCache.get(context);
  if (result === undefined) {
    const gates = context.featureGates === undefined ? {} : { featureGates: context.featureGates };
    result = {
      lifecycle: context.settings.lifecycle,
      updateRevision: context.updateRevision,
      inPlaceUpdateCompleted: (p) => checkInPlaceUpdateCompleted(p, context.now, gates).kind === 'completed',
      preparingNormalWaitsForScheduling: false,
    };
    lifecycleContextCache.set(context, result);
  }
  return result;
}

function missingClaims(context: ReplicaLoopContext, ordinal: number, alsoTerminating: boolean): PersistentVolumeClaim[] {
  return statefulSetClaims(context.set, ordinal).filter((claim) => {
    const existing = context.pvcs.get(claim.metadata.name ?? '');
    return existing === undefined || (alsoTerminating && existing.metadata.deletionTimestamp !== undefined);
  });
}

function claimOwnerChanges(context: Pick<ReplicaLoopContext, 'set' | 'settings' | 'pvcs'>, pod: Pod, scaledDown: boolean): ClaimOwnersChange[] {
  if (!context.settings.autoDeletePvc || (context.set.spec.volumeClaimTemplates ?? []).length === 0) return [];
  return statefulSetClaims(context.set, podOrdinal(pod)).flatMap((claim) => {
    const pvc = context.pvcs.get(claim.metadata.name ?? '');
    if (pvc === undefined) return [];
    const ownerReferences = wantedClaimOwners(pvc, context.set, pod, scaledDown, context.settings.retention);
    return ownerReferences === undefined ? [] : [{ pvc, ownerReferences }];
  });
}

/** Returns the lifecycle state a new pod starts in: PreparingNormal while a preNormal hook is not on it yet, else Normal. */
export function initialLifecycleTransition(pod: Pod, settings: Pick<StatefulSetSettings, 'lifecycle'>): LifecycleTransition {
  const hook = settings.lifecycle?.preNormal;
  const to = hook === undefined || isPodAllHooked(hook, pod) ? 'Normal' : 'PreparingNormal';
  return lifecycleTransition(pod, to, 'pre-normal-hooks-ready', false);
}

/**
 * Returns what the replica loop does, replica by replica in ordinal order, and where it stops
 * (OpenKruise `processReplica` over `runForAllWithBreak`):
 * - a Failed/Succeeded pod is deleted and the pass ends (it comes back next pass);
 * - a missing pod is created (with its PVCs; not while a PVC still belongs to an earlier pod of
 *   the name under `whenScaled: Delete`); OrderedReady ends the pass there, Parallel goes on until
 *   `scaleStrategy.maxUnavailable` pods are being created, terminating or unavailable;
 * - a Pending pod gets its missing PVCs; a terminating pod ends an OrderedReady pass;
 * - every other pod's state is refreshed (in-place update, lifecycle); OrderedReady ends the pass
 *   at the first pod not available for minReadySeconds;
 * - a pod that lost its identity labels or whose PVC owners differ from the retention policy is fixed.
 *
 * @example OrderedReady, replicas 3, pods 0 (ready) and 1 (not ready) → actions [], end exit waiting-for-available at 1
 * @example Parallel, scaleStrategy.maxUnavailable 2, no pods, replicas 5 → create 0, create 1; end break at 1
 */
export function planReplicaLoop(context: ReplicaLoopContext): { actions: ReplicaAction[]; end: ReplicaLoopEnd; requeueAfterMs: number | undefined; refreshed: readonly boolean[] } {
  const { settings, slots } = context;
  const monotonic = settings.podManagementPolicy === 'OrderedReady';
  let budget = settings.scaleMaxUnavailable;
  const spend = (): boolean => {
    if (budget === undefined) return false;
    budget--;
    return budget <= 0;
  };
  const actions: ReplicaAction[] = [];
  // By slot, whether this loop refreshed the pod's state (with writes or not): the rolling update's
  // refresh skips those (an array, not a set of pods: 10,000 lookups a pass).
  const refreshed = new Array<boolean>(slots.length).fill(false);
  let requeueAfterMs: number | undefined;
  for (let slot = 0; slot < slots.length; slot++) {
    const pod = slots[slot];
    if (pod === undefined) continue;
    const ordinal = settings.startOrdinal + slot;
    if (!context.planned.has(slot) && hasFinished(pod)) {
      if (!isPodTerminating(pod)) actions.push({ kind: 'delete-finished', ordinal, pod });
      return { actions, end: { kind: 'exit', reason: 'replacing-finished-pod', ordinal }, requeueAfterMs, refreshed };
    }
    if (context.planned.has(slot)) {
      const stale = settings.autoDeletePvc && statefulSetClaims(context.set, ordinal).some((claim) => {
        const existing = context.pvcs.get(claim.metadata.name ?? '');
        return existing !== undefined && isClaimStale(existing, pod.metadata.name ?? '', '', settings.retention);
      });
      if (stale) return { actions, end: { kind: 'exit', reason: 'stale-claim', ordinal }, requeueAfterMs, refreshed };
      const owners = settings.autoDeletePvc ? newClaimOwners(context.set, settings.retention) : [];
      const pvcs = missingClaims(context, ordinal, true).map((pvc) => (owners.length === 0 ? pvc : { ...pvc, metadata: { ...pvc.metadata, ownerReferences: owners } }));
      actions.push({ kind: 'create', ordinal, pod, pvcs, atCurrentRevision: context.atCurrentRevision(slot) });
      if (monotonic) return { actions, end: { kind: 'exit', reason: 'created-one-at-a-time', ordinal }, requeueAfterMs, refreshed };
      if (spend()) return { actions, end: { kind: 'break', reason: 'scale-max-unavailable', ordinal }, requeueAfterMs, refreshed };
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      const pvcs = missingClaims(context, ordinal, false);
      if (pvcs.length > 0) actions.push({ kind: 'create-missing-claims', ordinal, pod, pvcs });
    }
    if (isPodTerminating(pod)) {
      if (monotonic) return { actions, end: { kind: 'exit', reason: 'waiting-for-termination', ordinal }, requeueAfterMs, refreshed };
      if (spend()) return { actions, end: { kind: 'break', reason: 'scale-max-unavailable', ordinal }, requeueAfterMs, refreshed };
    }
    const refresh = refreshPod(pod, context);
    refreshed[slot] = true;
    requeueAfterMs = soonest(requeueAfterMs, refresh.requeueAfterMs);
    if (refresh.refresh !== undefined) actions.push({ kind: 'refresh', ordinal, ...refresh.refresh });
    if (monotonic || settings.scaleMaxUnavailable !== undefined) {
      const availability = statefulPodAvailability(pod, settings.minReadySeconds, context.now);
      if (!availability.available) {
        if (availability.waitMs > 0) requeueAfterMs = soonest(requeueAfterMs, availability.waitMs);
        if (monotonic) return { actions, end: { kind: 'exit', reason: 'waiting-for-available', ordinal }, requeueAfterMs, refreshed };
        if (spend()) return { actions, end: { kind: 'break', reason: 'scale-max-unavailable', ordinal }, requeueAfterMs, refreshed };
      }
    }
    const claimOwners = claimOwnerChanges(context, pod, false);
    const storageOk = storageMatches(context.set, pod, ordinal);
    if (identityMatches(context.set, pod, ordinal) && storageOk && claimOwners.length === 0) continue;
    actions.push({
      kind: 'restore-identity',
      ordinal,
      pod,
      labels: identityLabels(pod, settings.podIndexLabel),
      missingClaims: storageOk ? [] : missingClaims(context, ordinal, false),
      claimOwners,
    });
  }
  return { actions, end: { kind: 'complete' }, requeueAfterMs, refreshed };
}

/**
 * Returns how one pod is removed (OpenKruise `deletePod`): moved to PreparingDelete while the
 * preDelete hook is on it (nothing when it is already there), else deleted.
 */
export function removal(pod: Pod, settings: Pick<StatefulSetSettings, 'lifecycle'>): PodRemoval | undefined {
  return planPodRemoval(pod, settings.lifecycle?.preDelete);
}

/**
 * Returns what happens to the condemned pods (OpenKruise's retention fix and `processCondemned`),
 * highest ordinal first: their PVCs' owners follow the retention policy (`whenScaled: Delete`
 * hands them to the pod); then OrderedReady deletes one pod at a time, only when it is Running,
 * Ready and available (or is the first unhealthy pod) and no condemned pod is still terminating;
 * Parallel deletes every non-terminating one at once.
 *
 * @example OrderedReady, condemned 4, 3 (both ready) → actions [delete 4], end exit deleted-one-at-a-time
 */
export function planCondemned(
  context: Pick<ReplicaLoopContext, 'set' | 'settings' | 'pvcs' | 'now'>,
  condemned: readonly Pod[],
  firstUnhealthy: Pod | undefined,
): { actions: CondemnedAction[]; end: CondemnedEnd; requeueAfterMs: number | undefined } {
  const { settings } = context;
  const monotonic = settings.podManagementPolicy === 'OrderedReady';
  const actions: CondemnedAction[] = [];
  for (const pod of condemned) {
    const changes = claimOwnerChanges(context, pod, true);
    if (changes.length > 0) actions.push({ kind: 'claim-owners', pod, changes });
  }
  let requeueAfterMs: number | undefined;
  for (const pod of condemned) {
    const name = pod.metadata.name ?? '';
    if (isPodTerminating(pod)) {
      if (monotonic) return { actions, end: { kind: 'exit', reason: 'waiting-for-termination', pod: name }, requeueAfterMs };
      continue;
    }
    if (monotonic && pod !== firstUnhealthy) {
      if (!isRunningAndReady(pod)) return { actions, end: { kind: 'exit', reason: 'waiting-for-ready', pod: name }, requeueAfterMs };
      const availability = statefulPodAvailability(pod, settings.minReadySeconds, context.now);
      if (!availability.available) {
        requeueAfterMs = availability.waitMs > 0 ? availability.waitMs : undefined;
        return { actions, end: { kind: 'exit', reason: 'waiting-for-available', pod: name }, requeueAfterMs };
      }
    }
    const action = removal(pod, settings);
    if (action !== undefined) actions.push(action);
    if (monotonic && action !== undefined) return { actions, end: { kind: 'exit', reason: 'deleted-one-at-a-time', pod: name }, requeueAfterMs };
  }
  return { actions, end: { kind: 'complete' }, requeueAfterMs };
}

/** Returns the replica with the lowest ordinal that is not healthy, among replicas and condemned pods (OpenKruise's `firstUnhealthyPod`). */
export function firstUnhealthyPod(slots: readonly (Pod | undefined)[], condemned: readonly Pod[]): Pod | undefined {
  let first: Pod | undefined;
  let lowest = Number.POSITIVE_INFINITY;
  const visit = (pod: Pod | undefined): void => {
    if (pod === undefined || isHealthy(pod)) return;
    const ordinal = podOrdinal(pod);
    if (ordinal < lowest) {
      lowest = ordinal;
      first = pod;
    }
  };
  for (const pod of slots) visit(pod);
  for (const pod of condemned) visit(pod);
  return first;
}
