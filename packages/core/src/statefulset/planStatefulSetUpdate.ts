import { CONTROLLER_REVISION_HASH_LABEL, SPECIFIED_DELETE_LABEL } from '../api/labels.js';
import type { PersistentVolumeClaim, Pod } from '../api/pod.js';
import type { StatefulSet } from '../api/statefulSet.js';
import type { PassEvent } from '../workload/workloadEffect.js';
import { claimFit, isClaimReady, isClaimResizeCompleted, planClaimResize, podClaims, type StorageClassInfo } from './statefulSetClaimResize.js';
import { checkInPlaceUpdateCompleted } from '../inplace/checkInPlaceUpdateCompleted.js';
import type { InPlaceFeatureGates } from '../inplace/inPlaceFeatureGates.js';
import type { InPlaceVerdict } from '../inplace/classifyInPlaceUpdate.js';
import { isPodTerminating, type EpochMs } from '../shared/podState.js';
import type { ControllerRevision } from '../shared/revision.js';
import { decidePodUpdate, type PodUpdateDecision } from '../workload/decidePodUpdate.js';
import { soonest } from '../workload/workloadPassPlan.js';
import { isHealthy, statefulPodAvailability } from './statefulPodState.js';
import { removal, type PodRemoval } from './planStatefulSetReplicas.js';
import { sortPodsToUpdate } from './sortPodsToUpdate.js';
import type { StatefulSetSettings } from './statefulSetSettings.js';

/** What the rolling update does to one pod, with why. */
export type UpdateAction =
  | {
      /** The pod carries `apps.kruise.io/specified-delete`: removed within maxUnavailable, whatever the partition. */
      readonly kind: 'specified-delete';
      readonly pod: Pod;
      readonly removal: PodRemoval;
    }
  | {
      /** Updated in place, or moved to PreparingUpdate first (the inPlaceUpdate hook). */
      readonly kind: 'in-place';
      readonly pod: Pod;
      readonly decision: Extract<PodUpdateDecision, { kind: 'update-in-place' | 'prepare-update' }>;
    }
  | {
      /** Its PVCs request less than their claim templates: they are expanded first (the pod waits for them). */
      readonly kind: 'resize-claims';
      readonly pod: Pod;
      readonly claims: readonly { readonly claim: PersistentVolumeClaim; readonly template: PersistentVolumeClaim }[];
    }
  | {
      /** Recreated at the update revision: removed now, created again by the replica loop. */
      readonly kind: 'recreate';
      readonly pod: Pod;
      readonly removal: PodRemoval;
      /** Why not in place (`recreate-policy` under ReCreate). */
      readonly why: Extract<PodUpdateDecision, { kind: 'recreate' }>['reason'];
    };

/** Why the rolling update stopped. */
export type UpdateEnd =
  | { readonly kind: 'complete' }
  | {
      /** `maxUnavailable` replicas are unavailable and the next pod to update is available. */
      readonly kind: 'max-unavailable';
      readonly pod: string;
      readonly unavailable: readonly string[];
    }
  | {
      /** The update cannot go on: InPlaceOnly with a change that needs a recreate, a pod in a state that forbids it, or a PVC that cannot be expanded. */
      readonly kind: 'refused';
      readonly pod: string;
      readonly message: string;
      /** A Warning event OpenKruise records with it (`FailedUpdatePVC`). */
      readonly event?: PassEvent;
    };

/** What {@link planRollingUpdate} reads. */
export interface RollingUpdateContext {
  readonly settings: StatefulSetSettings;
  /** The replica slots (pods about to be created included: they count as unavailable). */
  readonly slots: readonly (Pod | undefined)[];
  readonly currentRevision: string;
  readonly updateRevision: ControllerRevision;
  readonly revisions: readonly ControllerRevision[];
  readonly now: EpochMs;
  readonly featureGates?: InPlaceFeatureGates | undefined;
  /** With `settings.resizeClaimsOnUpdate`: the set (claim templates), its PVCs by name, and the StorageClasses. */
  readonly claims?: {
    readonly set: StatefulSet;
    readonly pvcs: ReadonlyMap<string, PersistentVolumeClaim>;
    readonly storageClasses: ReadonlyMap<string, StorageClassInfo>;
  };
}

/** The rolling update of a pass: what it does, where it stopped, and how the status counts move. */
export interface RollingUpdatePlan {
  /** The pods the update goes through, in order ({@link sortPodsToUpdate}); the partition keeps the others. */
  readonly order: readonly string[];
  readonly actions: readonly UpdateAction[];
  readonly end: UpdateEnd;
  /** The replicas unavailable once the actions are done. */
  readonly unavailable: readonly string[];
  readonly requeueAfterMs: number | undefined;
  /** How many of the pods acted on were counted in `currentReplicas` / `updatedReplicas` (OpenKruise lowers the counts this pass). */
  readonly currentDecrease: number;
  readonly updatedDecrease: number;
}

const revisionOf = (pod: Pod): string => pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';

/**
 * Returns the replicas that count as unavailable for `maxUnavailable` (OpenKruise
 * `rollingUpdateStatefulsetPods`): not healthy (not Running and Ready, terminating, in a lifecycle
 * state other than Normal, or about to be created), in-place update not completed, or not yet
 * available for minReadySeconds (with the time until it is).
 *
 * @example pods 0 (ready), 1 (Updating in place), 2 (not ready) → { names: ['web-1', 'web-2'] }
 */
export function unavailableReplicas(context: Pick<RollingUpdateContext, 'slots' | 'settings' | 'now' | 'featureGates' | 'claims'>): { names: Set<string>; requeueAfterMs: number | undefined } {
  const names = new Set<string>();
  let requeueAfterMs: number | undefined;
  const gates = context.featureGates === undefined ? {} : { featureGates: context.featureGates };
  for (const pod of context.slots) {
    if (pod === undefined) continue;
    const name = pod.metadata.name ?? '';
    if (!isHealthy(pod) || checkInPlaceUpdateCompleted(pod, context.now, gates).kind !== 'completed') {
      names.add(name);
      continue;
    }
    const availability = statefulPodAvailability(pod, context.settings.minReadySeconds, context.now);
    if (!availability.available) {
      names.add(name);
      if (availability.waitMs > 0) requeueAfterMs = soonest(requeueAfterMs, availability.waitMs);
      continue;
    }
    // A volume still growing makes its pod unavailable (OpenKruise `IsOwnedPVCsReady`).
    const { claims } = context;
    if (context.settings.resizeClaimsOnUpdate && claims !== undefined && podClaims(claims.set, pod, claims.pvcs).some(({ claim, template }) => !isClaimReady(claim, template))) names.add(name);
  }
  return { names, requeueAfterMs };
}

/**
 * Returns the rolling update of one pass (OpenKruise `rollingUpdateStatefulsetPods` after its
 * refresh and pause checks):
 * 1. pods labelled `apps.kruise.io/specified-delete` are removed, highest ordinal first, while
 *    fewer than `maxUnavailable` replicas are unavailable (an unavailable one always may go);
 * 2. the pods {@link sortPodsToUpdate} lists that are not at the update revision are updated in
 *    that order, in place when the policy and the change allow, else deleted (the replica loop
 *    recreates them at the update revision); the update stops at the first available pod once
 *    `maxUnavailable` replicas are unavailable, and at a refused InPlaceOnly update.
 *
 * @example 5 ready pods at r1, partition 0, maxUnavailable 2, ReCreate → recreate web-4, web-3; end max-unavailable at web-2
 */
export function planRollingUpdate(context: RollingUpdateContext): RollingUpdatePlan {
  const { settings, slots } = context;
  const updateName = context.updateRevision.metadata.name ?? '';
  const unavailable = unavailableReplicas(context);
  const names = unavailable.names;
  const actions: UpdateAction[] = [];
  let currentDecrease = 0;
  let updatedDecrease = 0;
  const full = (pod: Pod): boolean => names.size >= settings.maxUnavailable && !names.has(pod.metadata.name ?? '');

  const specified = new Set<string>();
  for (let slot = slots.length - 1; slot >= 0; slot--) {
    const pod = slots[slot];
    if (pod?.metadata.labels?.[SPECIFIED_DELETE_LABEL] === undefined || full(pod)) continue;
    const name = pod.metadata.name ?? '';
    specified.add(name);
    const removed = isPodTerminating(pod) ? undefined : removal(pod, settings);
    if (removed !== undefined) {
      actions.push({ kind: 'specified-delete', pod, removal: removed });
      if (removed.kind === 'delete') {
        if (revisionOf(pod) === context.currentRevision) currentDecrease++;
        else if (revisionOf(pod) === updateName) updatedDecrease++;
      }
    }
    names.add(name);
  }

  const verdicts = new Map<string, InPlaceVerdict>();
  const order = sortPodsToUpdate(settings, updateName, slots);
  const orderNames = order.map((slot) => slots[slot]?.metadata.name ?? '');
  const done = (end: UpdateEnd): RollingUpdatePlan => ({ order: orderNames, actions, end, unavailable: [...names].sort(), requeueAfterMs: unavailable.requeueAfterMs, currentDecrease, updatedDecrease });
  for (const slot of order) {
    const pod = slots[slot] as Pod;
    const name = pod.metadata.name ?? '';
    const claims = settings.resizeClaimsOnUpdate && context.claims !== undefined ? podClaims(context.claims.set, pod, context.claims.pvcs) : [];
    const claimsMatched = claims.every(({ claim, template }) => claimFit(claim, template).kind === 'matched');
    if (revisionOf(pod) === updateName && claimsMatched) continue;
    if (full(pod)) return done({ kind: 'max-unavailable', pod: name, unavailable: [...names].sort() });
    if (settings.resizeClaimsOnUpdate && context.claims !== undefined) {
      // The volumes first: the pod is updated once they have grown (OpenKruise `TryPatchPVC`, `IsOwnedPVCsCompleted`).
      if (!claimsMatched) {
        const resize = planClaimResize(claims, name, context.claims.storageClasses);
        if (resize.kind === 'refused') {
          return done({ kind: 'refused', pod: name, message: resize.message, ...(resize.event === undefined ? {} : { event: { type: 'Warning', reason: 'FailedUpdatePVC', message: resize.event } }) });
        }
        if (resize.claims.length > 0) actions.push({ kind: 'resize-claims', pod, claims: resize.claims });
      }
      if (!claims.every(({ claim, template }) => isClaimResizeCompleted(claim, template))) {
        names.add(name);
        continue;
      }
    }
    if (!specified.has(name) && !isPodTerminating(pod)) {
      const decision = decidePodUpdate(pod, context.updateRevision, {
        settings,
        revisions: context.revisions,
        verdicts,
        ...(context.featureGates === undefined ? {} : { featureGates: context.featureGates }),
      });
      let acted = true;
      switch (decision.kind) {
        case 'update-in-place':
        case 'prepare-update':
          actions.push({ kind: 'in-place', pod, decision });
          break;
        case 'wait':
          break;
        case 'recreate': {
          const removed = removal(pod, settings);
          if (removed === undefined) acted = false;
          else actions.push({ kind: 'recreate', pod, removal: removed, why: decision.reason });
          if (removed?.kind !== 'delete') acted = false;
          break;
        }
        case 'error': {
          const message =
            decision.reason === 'in-place-only-cannot-update-in-place' ? `find strategy is InPlaceOnly but Pod ${name} can not update in-place` : `not allowed to in-place update pod ${name} in state ${podState(pod)}`;
          return done({ kind: 'refused', pod: name, message });
        }
      }
      names.add(name);
      if (acted && revisionOf(pod) === context.currentRevision) currentDecrease++;
    }
  }
  return done({ kind: 'complete' });
}

const podState = (pod: Pod): string => pod.metadata.labels?.['lifecycle.apps.kruise.io/state'] ?? '';
