import type { Pod } from '../api/pod.js';
import { applyInPlaceUpdateBatch, type InPlaceUpdateBatch } from './applyInPlaceUpdateBatch.js';
import { checkContainersUpdated, type CheckInPlaceUpdateCompletedOptions, type InPlaceCompletion } from './checkInPlaceUpdateCompleted.js';
import { diffPodForPatch, type PodPatch } from './diffPodForPatch.js';
import { readInPlaceUpdateState } from './inPlaceUpdateState.js';
import type { InPlaceRefreshOptions } from './planInPlaceUpdateGrace.js';

/**
 * What to do about the containers an earlier batch left for later:
 * - `no-update`: the pod has no in-place update state; `no-next-batch`: nothing is left;
 * - `wait-current-batch`: the containers changed so far are not updated yet (`completion` says how);
 * - `wait-container-ready`: `container` of `preCheckBeforeNext` is not Ready yet;
 * - `apply-batch`: write `pod` (next batch applied), then `resizePatch`;
 * - `invalid`: the state cannot be read (`message`).
 */
export type NextContainerBatchDecision =
  | { readonly kind: 'no-update' | 'no-next-batch' }
  | { readonly kind: 'wait-current-batch'; readonly completion: InPlaceCompletion }
  | { readonly kind: 'wait-container-ready'; readonly container: string }
  | (InPlaceUpdateBatch & { readonly kind: 'apply-batch'; readonly patch: PodPatch })
  | { readonly kind: 'invalid'; readonly message: string };

/**
 * Returns whether the next launch-priority batch can start (OpenKruise's `Refresh` →
 * `updateNextBatch`): once the current batch is updated and every container of
 * `preCheckBeforeNext.containersRequiredReady` reports Ready, the parked images, resources and
 * env-referenced labels/annotations of the next batch are applied.
 *
 * @example batch ['sidecar'] updated and Ready, app parked → { kind: 'apply-batch', batch: ['app'], ... }
 * @example sidecar updated but not Ready → { kind: 'wait-container-ready', container: 'sidecar' }
 */
export function planNextContainerBatch(pod: Pod, options: InPlaceRefreshOptions & CheckInPlaceUpdateCompletedOptions): NextContainerBatchDecision {
  const read = readInPlaceUpdateState(pod.metadata);
  if (read.kind === 'missing') return { kind: 'no-update' };
  if (read.kind === 'invalid') return { kind: 'invalid', message: read.message };
  const { state } = read;
  const completion = checkContainersUpdated(pod, state, options);
  if (completion.kind !== 'completed') return { kind: 'wait-current-batch', completion };
  const next = {
    containerImages: state.nextContainerImages ?? {},
    containerRefMetadata: state.nextContainerRefMetadata ?? {},
    containerResources: state.nextContainerResources ?? {},
  };
  if (Object.values(next).every((map) => Object.keys(map).length === 0)) return { kind: 'no-next-batch' };
  for (const name of state.preCheckBeforeNext?.containersRequiredReady ?? []) {
    const status = pod.status?.containerStatuses?.find((s) => s.name === name);
    if (status?.ready !== true) return { kind: 'wait-container-ready', container: name };
  }
  const result = applyInPlaceUpdateBatch(pod, next, state, options);
  return { kind: 'apply-batch', ...result, patch: diffPodForPatch(pod, result.pod) };
}
