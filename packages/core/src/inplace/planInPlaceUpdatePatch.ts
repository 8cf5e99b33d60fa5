import {
  CONTROLLER_REVISION_HASH_LABEL,
  INPLACE_UPDATE_GRACE_ANNOTATION,
  INPLACE_UPDATE_GRACE_ANNOTATION_OLD,
  INPLACE_UPDATE_STATE_ANNOTATION,
  INPLACE_UPDATE_STATE_ANNOTATION_OLD,
  POD_TEMPLATE_HASH_LABEL,
} from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import { shortHash } from '../shared/revision.js';
import { applyInPlaceUpdateBatch, type InPlaceUpdateBatch } from './applyInPlaceUpdateBatch.js';
import { diffPodForPatch, type PodPatch } from './diffPodForPatch.js';
import { serializeInPlaceUpdateSpec, type InPlaceUpdateSpec } from './inPlaceUpdateSpec.js';
import { serializeInPlaceUpdateState, type InPlaceUpdateState } from './inPlaceUpdateState.js';
import { withoutKeys } from './stringMapPatch.js';

/** Options of {@link planInPlaceUpdatePatch}. */
export interface PlanInPlaceUpdatePatchOptions {
  /** The current time: `updateTimestamp` of the state, start of the grace period. */
  readonly now: EpochMs;
  /** `inPlaceUpdateStrategy.gracePeriodSeconds`: > 0 parks the spec until it has elapsed. */
  readonly gracePeriodSeconds?: number;
  /** The apiserver has the `pods/resize` subresource (Kubernetes ≥ 1.32). */
  readonly resizeSubresource?: boolean;
  /**
   * Labels that record the revision on the pod. Default (CloneSet):
   * `controller-revision-hash: <revision>` and `pod-template-hash: <short hash>`.
   */
  readonly revisionLabels?: Readonly<Record<string, string>>;
}

/**
 * How to write a pod that starts an in-place update: `apply-batch` (first batch changed now) or
 * `park-in-grace` (only revision labels and state now, the spec waits in the grace annotation).
 * Either way write `pod` as a whole (or send `patch`), then `resizePatch` when present.
 */
export type InPlaceUpdatePodPlan =
  | (InPlaceUpdateBatch & {
      /** The first batch of containers is changed now. */
      readonly kind: 'apply-batch';
      /** Strategic-merge patch equivalent to writing `pod` (send `resizePatch` after it). */
      readonly patch: PodPatch;
    })
  | {
      /** The spec is parked in the grace annotation; the pod only gets the revision and state. */
      readonly kind: 'park-in-grace';
      /** The pod to write: revision labels, state and grace annotations. */
      readonly pod: Pod;
      /** Strategic-merge patch equivalent to writing `pod`. */
      readonly patch: PodPatch;
      /** The state recorded on `pod` (no batch yet). */
      readonly state: InPlaceUpdateState;
      /** Come back after this many seconds to apply the spec (`planInPlaceUpdateGrace`). */
      readonly requeueAfterSeconds: number;
    };

/**
 * Returns how to write `pod` to start the in-place update `spec` (OpenKruise's
 * `updatePodInPlace`): revision labels and a fresh `apps.kruise.io/inplace-update-state`; then
 * either the first container batch applied (images, metadata, and resources into the spec, or
 * into `resizePatch` with `resizeSubresource`), or, with `gracePeriodSeconds > 0`, the spec parked
 * in `apps.kruise.io/inplace-update-grace`. Set the `InPlaceUpdateReady` condition first
 * ({@link planStartInPlaceUpdateCondition}).
 *
 * @example spec { containerImages: { app: 'nginx:2' } }, now 10:00:00, grace 0
 *   // { kind: 'apply-batch', batch: ['app'], patch: { metadata: { labels: { 'controller-revision-hash': 'web-2', ... } }, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } }
 * @example the same with gracePeriodSeconds 30 → { kind: 'park-in-grace', requeueAfterSeconds: 30, ... }
 */
export function planInPlaceUpdatePatch(pod: Pod, spec: InPlaceUpdateSpec, options: PlanInPlaceUpdatePatchOptions): InPlaceUpdatePodPlan {
  const state: InPlaceUpdateState = {
    revision: spec.revision,
    updateTimestamp: formatTime(options.now),
    lastContainerStatuses: {},
    ...(spec.updateEnvFromMetadata ? { updateEnvFromMetadata: true } : {}),
    ...(Object.keys(spec.containerImages).length > 0 ? { updateImages: true } : {}),
    ...(Object.keys(spec.containerResources).length > 0 ? { updateResources: true } : {}),
  };
  const labels = { ...pod.metadata.labels, ...(options.revisionLabels ?? defaultRevisionLabels(spec.revision)) };
  const annotations = withoutKeys(pod.metadata.annotations, [INPLACE_UPDATE_STATE_ANNOTATION_OLD, INPLACE_UPDATE_GRACE_ANNOTATION, INPLACE_UPDATE_GRACE_ANNOTATION_OLD]);
  const grace = options.gracePeriodSeconds ?? 0;
  if (grace > 0) {
    annotations[INPLACE_UPDATE_GRACE_ANNOTATION] = serializeInPlaceUpdateSpec({ ...spec, graceSeconds: grace });
    annotations[INPLACE_UPDATE_STATE_ANNOTATION] = serializeInPlaceUpdateState(state);
    const parked: Pod = { ...pod, metadata: { ...pod.metadata, labels, annotations } };
    return { kind: 'park-in-grace', pod: parked, patch: diffPodForPatch(pod, parked), state, requeueAfterSeconds: grace };
  }
  const result = applyInPlaceUpdateBatch({ ...pod, metadata: { ...pod.metadata, labels, annotations } }, spec, state, options);
  return { kind: 'apply-batch', ...result, patch: diffPodForPatch(pod, result.pod) };
}

/**
 * Returns CloneSet's revision labels for a revision name.
 *
 * @example defaultRevisionLabels('web-c4b9d7f6x') // { 'controller-revision-hash': 'web-c4b9d7f6x', 'pod-template-hash': 'c4b9d7f6x' }
 */
export function defaultRevisionLabels(revision: string): Record<string, string> {
  return { [CONTROLLER_REVISION_HASH_LABEL]: revision, [POD_TEMPLATE_HASH_LABEL]: shortHash(revision) };
}
