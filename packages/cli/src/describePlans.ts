/**
 * Plain-words rendering of CloneSet plans, for `kruise-ts plan` (and the plan-only example).
 */
import type { CloneSetPassStep, InPlaceRefresh, LifecycleTransition, PodCreation, PodDeletion, PodUpdateDecision, ScalePlan, UpdatePlan } from '@kruise-ts/core';

const WORDS: Readonly<Record<string, string>> = {
  'scale-up': 'there are fewer pods than replicas',
  'scale-down': 'there are more pods than replicas',
  'specified-delete': 'they are marked for deletion (apps.kruise.io/specified-delete or scaleStrategy.podsToDelete)',
  'preparing-delete-released': 'their preDelete hook has released them',
  'replicas-increased': 'replicas went up again',
  'recreate-policy': 'the update policy is ReCreate',
  'spec-changed': 'the template changed beyond images and metadata',
  'resources-not-in-place': 'resources changed in a way that cannot be applied in place',
  'qos-class-changed': 'the change would alter the pod QoS class',
  'volume-claim-templates-changed': 'the volumeClaimTemplates changed',
  'no-revision': 'the pod revision is unknown',
  'invalid-revision': 'the pod revision cannot be read',
  'pre-normal-hooks-ready': 'no preNormal hook holds it back any more',
  'in-place-update-completed': 'its in-place update completed',
  'grace-period-ended': 'its grace period is over',
  'grace-revision-changed': 'its revision moved on during the grace period',
  'next-container-batch': 'the next batch of containers may start',
  'in-place-update-hook-restored': 'its inPlaceUpdate hook is back',
  'already-at-update-revision': 'it is already at the update revision',
  'in-place-update-hook': 'its inPlaceUpdate hook holds it',
  'in-place-update-hook-held': 'its inPlaceUpdate hook still holds it',
  'no-in-place-update-hook': 'no inPlaceUpdate hook is defined',
  'pre-delete-hook': 'its preDelete hook holds it',
  'scale-max-unavailable': 'scaleStrategy.maxUnavailable',
  'instance-ids-exhausted': 'the instance-id suffixes ran out',
  paused: 'updates are paused',
  'on-delete': 'the update strategy is OnDelete: pods change only when deleted',
  'update-complete': 'every pod the partition allows is updated',
  'no-candidates': 'no pod can be updated now',
  'max-unavailable-reached': 'maxUnavailable allows no more pods down',
  'replicas-satisfied': 'the pod count matches replicas',
  'scale-up-blocked-by-max-unavailable': 'scaleStrategy.maxUnavailable allows no more pods starting',
  'pre-delete-hooks-pending': 'PreparingDelete pods wait for their preDelete hooks',
  'deletions-pending': 'pods marked for deletion must go before scaling down',
  'delete-ready-limit-reached': 'maxUnavailable allows no more ready pods deleted',
};

/** Returns a kebab-case reason in plain words. */
export function words(reason: string): string {
  return WORDS[reason] ?? reason;
}

function transitionLine(t: LifecycleTransition): string {
  const readiness = t.markPodNotReady ? ' (KruisePodReady follows)' : '';
  return `  - pod ${t.pod}: lifecycle ${t.from === '' ? '(none)' : t.from} → ${t.to}, because ${words(t.reason)}${readiness}`;
}

function creationLine(c: PodCreation): string {
  const template = c.revisionRole === 'current' ? 'current template, kept by partition' : 'new template';
  const pvcs = c.reusesInstanceId ? `, reusing the PVCs of instance ${c.instanceId}` : c.pvcs.length > 0 ? `, with PVC ${c.pvcs.map((p) => p.metadata.name).join(', ')}` : '';
  return `  - ${c.pod.metadata.name ?? ''} at ${c.revision} (${template})${pvcs}`;
}

function deletionLine(d: PodDeletion): string {
  if (d.kind === 'prepare-delete') return `  - ${d.pod} moves to PreparingDelete: its preDelete hook must release it first`;
  return `  - ${d.pod}${d.pvcs.length > 0 ? ` and its PVC ${d.pvcs.join(', ')}` : ''}`;
}

/** Returns the lines describing a scale plan (none when it does nothing). */
export function describeScale(plan: ScalePlan): string[] {
  const cleanup = plan.pvcCleanup.delete.length > 0 ? [`  (first, PVCs of vanished pods are deleted: ${plan.pvcCleanup.delete.join(', ')})`] : [];
  switch (plan.kind) {
    case 'none':
      return [];
    case 'cancel-preparing-delete':
      return ['scale: keep pods that were about to be deleted', ...plan.transitions.map(transitionLine)];
    case 'create': {
      const limit = plan.limitedBy === 'nothing' ? '' : `, limited by ${words(plan.limitedBy)}`;
      return [`scale: create ${plan.creations.length} pod(s) because ${words(plan.reason)}${limit}, in slow-start batches ${plan.batches.join(', ')}`, ...cleanup, ...plan.creations.map(creationLine)];
    }
    case 'delete':
      return [`scale: delete ${plan.deletions.length} pod(s) because ${words(plan.reason)}`, ...cleanup, ...plan.deletions.map(deletionLine)];
  }
}

function decisionLine(d: PodUpdateDecision): string {
  switch (d.kind) {
    case 'update-in-place': {
      const images = Object.entries(d.spec.containerImages).map(([name, image]) => `${name} → ${image}`);
      return `  - ${d.pod}: in place, ${d.from} → ${d.to} (${images.length > 0 ? images.join(', ') : d.paths.join(', ')}); lifecycle → Updating`;
    }
    case 'recreate': {
      const paths = d.paths.length > 0 ? ` at ${d.paths.join(', ')}` : '';
      return `  - ${d.pod}: recreated, ${d.from} → ${d.to}, because ${words(d.reason)}${paths}; labelled apps.kruise.io/specified-delete=true, the scale step replaces it`;
    }
    case 'prepare-update':
      return `  - ${d.pod}: parked in PreparingUpdate, because ${words(d.transition.reason)}`;
    case 'wait':
      return `  - ${d.pod}: waits, because ${words(d.reason)}`;
    case 'error':
      return `  - ${d.pod}: cannot be updated: ${d.message}`;
  }
}

/** Returns the lines describing an update plan (none when it does nothing). */
export function describeUpdate(plan: UpdatePlan): string[] {
  switch (plan.kind) {
    case 'none':
      return [];
    case 'refresh':
      return [
        'update: refresh pod states first',
        ...plan.transitions.map(transitionLine),
        ...plan.podTemplateHashFixes.map((fix) => `  - pod ${fix.pod}: add label pod-template-hash=${Object.values(fix.labels).join('')}`),
      ];
    case 'update': {
      const direction = plan.reason === 'roll-back' ? 'back to' : 'to';
      return [`update: move ${plan.decisions.length} of ${plan.waiting} waiting pod(s) ${direction} ${plan.targetRevision}`, ...plan.decisions.map(decisionLine)];
    }
  }
}

function inPlaceLine(r: InPlaceRefresh): string {
  const plan = r.plan;
  switch (plan.kind) {
    case 'update-pod':
      return `  - pod ${r.pod}: in-place update moves on (${words(plan.reason)})`;
    case 'update-status':
      return `  - pod ${r.pod}: InPlaceUpdateReady → True, because ${words(plan.reason)}`;
    case 'wait':
    case 'nothing-to-do':
      return `  - pod ${r.pod}: waits, because ${words(plan.reason)}`;
    case 'invalid':
      return `  - pod ${r.pod}: its in-place state cannot be read: ${plan.message}`;
  }
}

/** Returns the lines describing the stage of one CloneSet pass (`planCloneSetPass(...).step`). */
export function describeStep(step: CloneSetPassStep): string[] {
  switch (step.stage) {
    case 'scale':
      return describeScale(step.scale);
    case 'update':
      return describeUpdate(step.update);
    case 'refresh': {
      const lifecycle = step.update === undefined ? [] : describeUpdate(step.update).slice(1);
      return ['update: refresh pod states first', ...step.inPlace.map(inPlaceLine), ...lifecycle];
    }
    case 'idle':
      return [];
  }
}
