import type { PersistentVolumeClaim } from '../api/pod.js';
import type { StatefulSet } from '../api/statefulSet.js';
import type { EpochMs } from '../shared/podState.js';
import { inPlaceUpdateStartEffects, type InPlaceEffectOptions } from '../workload/inPlaceEffects.js';
import { coalescePodWrites, lifecycleTransitionEffects, objectRef, podRef } from '../workload/podEffects.js';
import { podLifecycleState } from '../workload/workloadPod.js';
import type { EffectEvents, FailureCondition, PassEvent, WorkloadEffect } from '../workload/workloadEffect.js';
import { statefulSetRevisionLabels, type ClaimOwnersChange, type CondemnedAction, type PodRefresh, type PodRemoval, type ReplicaAction } from './planStatefulSetReplicas.js';
import type { UpdateAction } from './planStatefulSetUpdate.js';
import { PVC_OWNED_BY_ASTS_ANNOTATION } from './statefulSetClaimResize.js';

/**
 * The writes of an Advanced StatefulSet pass, with OpenKruise's events (`StatefulPodControl`'s
 * "create Pod web-0 in StatefulSet web successful"...) and conditions (`FailedCreatePod`,
 * `FailedUpdatePod`).
 */

const FAILED_CREATE: FailureCondition = { type: 'FailedCreatePod', messagePrefix: 'StatefulPodControl failed to create Pod error: ' };
const FAILED_UPDATE: FailureCondition = { type: 'FailedUpdatePod', messagePrefix: 'StatefulPodControl failed to update Pod error: ' };

const title = (verb: string): string => `${verb.charAt(0).toUpperCase()}${verb.slice(1)}`;

/** OpenKruise `recordPodEvent`: `Successful<Verb>` "<verb> Pod p in StatefulSet s successful", or `Failed<Verb>` "... failed error: <err>". */
function podEvents(verb: string, pod: string, set: string): EffectEvents {
  return {
    success: { type: 'Normal', reason: `Successful${title(verb)}`, message: `${verb} Pod ${pod} in StatefulSet ${set} successful` },
    failure: { type: 'Warning', reason: `Failed${title(verb)}`, message: `${verb} Pod ${pod} in StatefulSet ${set} failed error` },
  };
}

/** OpenKruise `recordClaimEvent` for a created claim. */
function claimEvents(claim: string, pod: string, set: string): EffectEvents {
  return {
    success: { type: 'Normal', reason: 'SuccessfulCreate', message: `create Claim ${claim} Pod ${pod} in StatefulSet ${set} success` },
    failure: { type: 'Warning', reason: 'FailedCreate', message: `create Claim ${claim} for Pod ${pod} in StatefulSet ${set} failed error` },
  };
}

function createClaims(pvcs: readonly PersistentVolumeClaim[], pod: string, set: string, reason: string, failureCondition: FailureCondition): WorkloadEffect[] {
  return pvcs.map((pvc) => ({ kind: 'create-pvc', pvc, reason, events: claimEvents(pvc.metadata.name ?? '', pod, set), failureCondition }));
}

function claimOwnerEffects(changes: readonly ClaimOwnersChange[], reason: string, failureCondition?: FailureCondition): WorkloadEffect[] {
  return changes.map(({ pvc, ownerReferences }) => ({
    kind: 'set-pvc-owners',
    target: objectRef(pvc),
    resourceVersion: pvc.metadata.resourceVersion ?? '',
    ownerReferences,
    reason,
    ...(failureCondition === undefined ? {} : { failureCondition }),
  }));
}

/** The writes of a pod removal: its delete, or its move to PreparingDelete. */
export function removalEffects(action: PodRemoval, set: string, reason: string, now: EpochMs): WorkloadEffect[] {
  const name = action.pod.metadata.name ?? '';
  if (action.kind === 'prepare-delete') return lifecycleTransitionEffects(action.pod, action.transition, now);
  return [{ kind: 'delete-pod', target: podRef(action.pod), reason, events: podEvents('delete', name, set) }];
}

/** The writes of a pod refresh: the in-place refresh, then the lifecycle move (merged into its status write when they can be). */
export function refreshEffects(refresh: PodRefresh, now: EpochMs): WorkloadEffect[] {
  // InPlaceUpdateReady True and the lifecycle move in one status write when they can be (ADR 0025).
  return coalescePodWrites([...(refresh.inPlace?.effects ?? []), ...(refresh.transition === undefined ? [] : lifecycleTransitionEffects(refresh.pod, refresh.transition, now))]);
}

/**
 * Returns the writes of one replica action, in order: a create writes its PVCs then the pod
 * (either failing sets `FailedCreatePod`); an identity fix creates missing PVCs, sets PVC owners,
 * then labels the pod (failing sets `FailedUpdatePod`).
 *
 * @example create web-0 with PVC data-web-0 → [create-pvc data-web-0, create-pod web-0]
 */
export function replicaActionEffects(action: ReplicaAction, set: StatefulSet, now: EpochMs): WorkloadEffect[] {
  const setName = set.metadata?.name ?? '';
  const pod = action.pod.metadata.name ?? '';
  switch (action.kind) {
    case 'delete-finished':
      return [{ kind: 'delete-pod', target: podRef(action.pod), reason: 'pod-finished', events: podEvents('delete', pod, setName) }];
    case 'create':
      return [
        ...createClaims(action.pvcs, pod, setName, 'scale-up', FAILED_CREATE),
        { kind: 'create-pod', pod: action.pod, reason: action.atCurrentRevision ? 'replica-missing-partition' : 'replica-missing', events: podEvents('create', pod, setName), failureCondition: FAILED_CREATE },
      ];
    case 'create-missing-claims':
      return createClaims(action.pvcs, pod, setName, 'pending-pod-claims-missing', FAILED_UPDATE);
    case 'refresh':
      return refreshEffects(action, now);
    case 'restore-identity': {
      const labels: WorkloadEffect[] =
        Object.keys(action.labels).length === 0
          ? []
          : [{ kind: 'patch-pod', target: podRef(action.pod), patch: { metadata: { labels: action.labels } }, reason: 'identity-restored', events: podEvents('update', pod, setName), failureCondition: FAILED_UPDATE }];
      return [...createClaims(action.missingClaims, pod, setName, 'storage-restored', FAILED_UPDATE), ...claimOwnerEffects(action.claimOwners, 'retention-policy', FAILED_UPDATE), ...labels];
    }
  }
}

/** Returns the writes of one condemned action (PVC owners for the retention policy, a delete, a move to PreparingDelete). */
export function condemnedActionEffects(action: CondemnedAction, set: StatefulSet, now: EpochMs): WorkloadEffect[] {
  if (action.kind === 'claim-owners') return claimOwnerEffects(action.changes, 'retention-policy-scaled-down');
  return removalEffects(action, set.metadata?.name ?? '', 'scale-down', now);
}

/**
 * Returns the writes of one rolling-update action: a removal, or an in-place update (its
 * InPlaceUpdateReady condition, then the patch with the revision label and the `Updating` state
 * when the pod has a lifecycle state, then a resize) or a move to PreparingUpdate.
 */
export function updateActionEffects(action: UpdateAction, set: StatefulSet, options: InPlaceEffectOptions): { effects: WorkloadEffect[]; requeueAfterMs?: number } {
  const setName = set.metadata?.name ?? '';
  switch (action.kind) {
    case 'specified-delete':
      return { effects: removalEffects(action.removal, setName, 'specified-delete', options.now) };
    case 'recreate':
      return { effects: removalEffects(action.removal, setName, `update-${action.why}`, options.now) };
    case 'resize-claims': {
      const pod = action.pod.metadata.name ?? '';
      return {
        effects: action.claims.map(({ claim, template }) => {
          const name = claim.metadata.name ?? '';
          return {
            kind: 'resize-pvc' as const,
            target: objectRef(claim),
            resources: { ...template.spec?.resources },
            annotations: { [PVC_OWNED_BY_ASTS_ANNOTATION]: setName },
            reason: 'claim-template-grew',
            events: {
              success: { type: 'Normal' as const, reason: 'SuccessfulResize', message: `resize Claim ${name} Pod ${pod} in StatefulSet ${setName} success` },
              failure: { type: 'Warning' as const, reason: 'FailedResize', message: `resize Claim ${name} for Pod ${pod} in StatefulSet ${setName} failed error` },
            },
          };
        }),
      };
    }
    case 'in-place': {
      const { decision, pod } = action;
      if (decision.kind === 'prepare-update') return { effects: lifecycleTransitionEffects(pod, decision.transition, options.now) };
      // OpenKruise moves a pod to Updating only when it already has a lifecycle state.
      const transition = podLifecycleState(pod) === '' ? undefined : decision.transition;
      const started = inPlaceUpdateStartEffects(pod, { ...decision, transition }, { ...options, revisionLabels: statefulSetRevisionLabels });
      return { effects: [...started.effects], ...(started.requeueAfterMs === undefined ? {} : { requeueAfterMs: started.requeueAfterMs }) };
    }
  }
}

/** The Warning event of a refused update (InPlaceOnly needing a recreate). */
export function refusedUpdateEvent(message: string): PassEvent {
  return { type: 'Warning', reason: 'FailedUpdatePodInPlace', message };
}
