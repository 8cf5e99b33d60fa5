import type { Pod, PodCondition } from '../api/pod.js';
import type { InPlaceUpdateBatch } from './applyInPlaceUpdateBatch.js';
import { checkInPlaceUpdateCompleted, type CheckInPlaceUpdateCompletedOptions, type InPlaceCompletion } from './checkInPlaceUpdateCompleted.js';
import type { PodPatch } from './diffPodForPatch.js';
import { planFinishInPlaceUpdateCondition } from './inPlaceUpdateReadyCondition.js';
import { planInPlaceUpdateGrace, type InPlaceRefreshOptions } from './planInPlaceUpdateGrace.js';
import { planNextContainerBatch } from './planNextContainerBatch.js';

/**
 * The one next step for a pod that is (or was) updated in place:
 * - `update-pod`: write `pod` (or send `patch`), then `resizePatch` when present; `reason` says why;
 * - `update-status`: write `conditions` through the status subresource;
 * - `wait`: come back after `requeueAfterSeconds` (grace) or on the next pod event;
 * - `nothing-to-do`: the update is complete and the condition already says so (or there is no gate);
 * - `invalid`: an annotation cannot be read (`message`).
 */
export type InPlaceRefreshPlan =
  | (Partial<InPlaceUpdateBatch> & {
      /** Write `pod` (then send `resizePatch`, when present). */
      readonly kind: 'update-pod';
      readonly reason: 'grace-period-ended' | 'grace-revision-changed' | 'next-container-batch';
      readonly pod: Pod;
      readonly patch: PodPatch;
    })
  | {
      /** Write these conditions through the status subresource. */
      readonly kind: 'update-status';
      readonly reason: 'in-place-update-completed';
      readonly conditions: readonly PodCondition[];
    }
  | { readonly kind: 'wait'; readonly reason: 'grace-period'; readonly requeueAfterSeconds: number }
  | { readonly kind: 'wait'; readonly reason: 'container-not-ready'; readonly container: string }
  | { readonly kind: 'wait'; readonly reason: 'containers-updating'; readonly completion: InPlaceCompletion }
  | { readonly kind: 'nothing-to-do'; readonly reason: 'no-readiness-gate' | 'condition-unchanged' | 'resize-without-restart' }
  | { readonly kind: 'invalid'; readonly message: string };

/**
 * Returns the next step of an in-place update in progress (OpenKruise's `Refresh`), one kind of
 * write per pass: finish the grace period, else start the next container batch, else, once the
 * update is complete, set `InPlaceUpdateReady=True`.
 *
 * @example spec parked at 10:00:00 for 30 s, now 10:00:10 → { kind: 'wait', reason: 'grace-period', requeueAfterSeconds: 20 }
 * @example all containers report new imageIDs → { kind: 'update-status', reason: 'in-place-update-completed', conditions: [...] }
 */
export function planInPlaceUpdateRefresh(pod: Pod, options: InPlaceRefreshOptions & CheckInPlaceUpdateCompletedOptions): InPlaceRefreshPlan {
  const grace = planInPlaceUpdateGrace(pod, options);
  switch (grace.kind) {
    case 'wait':
      return { kind: 'wait', reason: 'grace-period', requeueAfterSeconds: grace.requeueAfterSeconds };
    case 'apply-batch':
      return { ...grace, kind: 'update-pod', reason: 'grace-period-ended' };
    case 'drop-grace':
      return { kind: 'update-pod', reason: 'grace-revision-changed', pod: grace.pod, patch: grace.patch };
    case 'invalid':
      return grace;
    case 'not-in-grace':
      break;
  }
  const next = planNextContainerBatch(pod, options);
  switch (next.kind) {
    case 'apply-batch':
      return { ...next, kind: 'update-pod', reason: 'next-container-batch' };
    case 'wait-container-ready':
      return { kind: 'wait', reason: 'container-not-ready', container: next.container };
    case 'wait-current-batch':
      return { kind: 'wait', reason: 'containers-updating', completion: next.completion };
    case 'invalid':
      return next;
    case 'no-update':
    case 'no-next-batch':
      break;
  }
  return finish(pod, options);
}

function finish(pod: Pod, options: InPlaceRefreshOptions & CheckInPlaceUpdateCompletedOptions): InPlaceRefreshPlan {
  const completion = checkInPlaceUpdateCompleted(pod, options.now, options);
  if (completion.kind === 'invalid-state') return { kind: 'invalid', message: completion.message };
  if (completion.kind !== 'completed') return { kind: 'wait', reason: 'containers-updating', completion };
  const condition = planFinishInPlaceUpdateCondition(pod, options.now);
  if (condition.kind === 'skip') return { kind: 'nothing-to-do', reason: condition.reason };
  return { kind: 'update-status', reason: 'in-place-update-completed', conditions: condition.conditions };
}
