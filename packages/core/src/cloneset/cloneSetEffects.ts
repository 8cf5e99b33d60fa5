import { SPECIFIED_DELETE_LABEL } from '../api/labels.js';
import type { PersistentVolumeClaim, Pod } from '../api/pod.js';
import type { EpochMs } from '../shared/podState.js';
import { inPlaceUpdateStartEffects, type InPlaceEffectOptions } from '../workload/inPlaceEffects.js';
import { concatWaves, lifecycleTransitionEffects, objectRef, podRef, zipWaves, type EffectWave } from '../workload/podEffects.js';
import type { LifecycleTransition } from '../workload/lifecycle.js';
import { soonest } from '../workload/workloadPassPlan.js';
import type { WorkloadEffect } from '../workload/workloadEffect.js';
import type { PodCreation } from './planCreations.js';
import type { ScalePlan } from './planScale.js';
import type { UpdatePlan } from './planUpdate.js';
import type { PodDeletion } from './scaleDeletions.js';

const byName = (pods: readonly Pod[]): Map<string, Pod> => new Map(pods.map((pod) => [pod.metadata.name ?? '', pod]));

/** The effects of creating one pod: its missing PVCs, then the pod (OpenKruise's `createOnePod`). */
function creationEffects(creation: PodCreation): WorkloadEffect[] {
  const name = creation.pod.metadata.name ?? '';
  const pvcs = creation.pvcs.map((pvc): WorkloadEffect => ({
    kind: 'create-pvc',
    pvc,
    reason: 'scale-up',
    events: { failure: { type: 'Warning', reason: 'FailedCreate', message: `failed to create pvc ${pvc.metadata.name ?? ''} of pod ${name}` } },
  }));
  const pod: WorkloadEffect = {
    kind: 'create-pod',
    pod: creation.pod,
    reason: 'scale-up',
    events: {
      success: { type: 'Normal', reason: 'SuccessfulCreate', message: `succeed to create pod ${name}` },
      failure: { type: 'Warning', reason: 'FailedCreate', message: `failed to create pod ${name}` },
    },
  };
  return [...pvcs, pod];
}

/** The effects of removing one pod: deleted with the PVCs of its instance id, or moved to PreparingDelete. */
function deletionEffects(deletion: PodDeletion, pod: Pod, pvcs: ReadonlyMap<string, PersistentVolumeClaim>, now: EpochMs): WorkloadEffect[] {
  if (deletion.kind === 'prepare-delete') return lifecycleTransitionEffects(pod, deletion.transition, now);
  const deletePod: WorkloadEffect = {
    kind: 'delete-pod',
    target: podRef(pod),
    reason: deletion.reason,
    events: {
      success: { type: 'Normal', reason: 'SuccessfulDelete', message: `succeed to delete pod ${deletion.pod}` },
      failure: { type: 'Warning', reason: 'FailedDelete', message: `failed to delete pod ${deletion.pod}` },
    },
  };
  const claims = deletion.pvcs.flatMap((name): WorkloadEffect[] => {
    const pvc = pvcs.get(name);
    return pvc === undefined ? [] : [{ kind: 'delete-pvc', target: objectRef(pvc), reason: 'pod-deleted', events: { failure: { type: 'Warning', reason: 'FailedDelete', message: `failed to delete pvc ${name}` } } }];
  });
  return [deletePod, ...claims];
}

function transitionsEffects(transitions: readonly LifecycleTransition[], pods: ReadonlyMap<string, Pod>, now: EpochMs): EffectWave[] {
  return zipWaves(transitions.flatMap((t) => {
    const pod = pods.get(t.pod);
    return pod === undefined ? [] : [lifecycleTransitionEffects(pod, t, now)];
  }));
}

/**
 * Returns the effects of a scale plan in waves: creations in OpenKruise's slow-start batches
 * (1, 2, 4…, each pod's PVCs before it; a failed batch stops the next ones), deletions side by
 * side (each pod before its PVCs), or lifecycle moves.
 *
 * @example create 3 pods without PVCs → [[create a], [create b, create c]]
 * @example delete web-a with PVC data-web-a → [[delete-pod web-a], [delete-pvc data-web-a]]
 */
export function scaleEffects(plan: ScalePlan, pods: readonly Pod[], now: EpochMs, pvcs: readonly PersistentVolumeClaim[] = []): EffectWave[] {
  const named = byName(pods);
  switch (plan.kind) {
    case 'none':
      return [];
    case 'create': {
      let next = 0;
      return concatWaves(
        ...plan.batches.map((size) => {
          const batch = plan.creations.slice(next, next + size);
          next += size;
          return zipWaves(batch.map(creationEffects));
        }),
      );
    }
    case 'delete': {
      const claims = new Map(pvcs.map((pvc) => [pvc.metadata.name ?? '', pvc]));
      return zipWaves(plan.deletions.flatMap((d) => {
        const pod = named.get(d.pod);
        return pod === undefined ? [] : [deletionEffects(d, pod, claims, now)];
      }));
    }
    case 'cancel-preparing-delete':
      return transitionsEffects(plan.transitions, named, now);
  }
}

/**
 * Returns the effects of an update plan: per pod, an in-place update (InPlaceUpdateReady False,
 * then the patch, then a resize), a move to PreparingUpdate, or the `specified-delete` label that
 * has the scale stage recreate the pod; pods side by side. A refused decision (InPlaceOnly) adds
 * nothing: the planner reports it as an event and a FailedUpdate condition.
 *
 * @example two pods updated in place → [[status a, status b], [patch a, patch b]]
 */
export function updateEffects(plan: Extract<UpdatePlan, { kind: 'update' }>, pods: readonly Pod[], options: InPlaceEffectOptions): { effects: EffectWave[]; requeueAfterMs: number | undefined } {
  const named = byName(pods);
  let requeueAfterMs: number | undefined;
  const sequences = plan.decisions.flatMap((decision): WorkloadEffect[][] => {
    const pod = named.get(decision.pod);
    if (pod === undefined) return [];
    switch (decision.kind) {
      case 'update-in-place': {
        const started = inPlaceUpdateStartEffects(pod, decision, options);
        requeueAfterMs = soonest(requeueAfterMs, started.requeueAfterMs);
        return [[...started.effects]];
      }
      case 'recreate':
        // The scale stage deletes and replaces a pod labelled specified-delete.
        if (pod.metadata.labels?.[SPECIFIED_DELETE_LABEL] !== undefined) return [];
        return [
          [
            {
              kind: 'patch-pod',
              target: podRef(pod),
              patch: { metadata: { labels: { [SPECIFIED_DELETE_LABEL]: 'true' } } },
              reason: decision.reason,
              events: { success: { type: 'Normal', reason: 'SuccessfulUpdatePodReCreate', message: `successfully patch pod ${decision.pod} specified-delete for update(revision ${decision.to})` } },
            },
          ],
        ];
      case 'prepare-update':
        return [lifecycleTransitionEffects(pod, decision.transition, options.now)];
      case 'wait':
      case 'error':
        return [];
    }
  });
  return { effects: zipWaves(sequences), requeueAfterMs };
}
