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
import { applyInPlaceUpdateBatch, batchContainerPatches, planInPlaceUpdateBatch, type BatchStateTemplate, type InPlaceUpdateBatch } from './applyInPlaceUpdateBatch.js';
import { diffMetadataForPatch, diffPodForPatch, podPatch, type PodPatch, type ResizePatch } from './diffPodForPatch.js';
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
  const state = startState(spec, options.now);
  const { labels, annotations } = startMetadata(pod.metadata, spec, options);
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

/** Options of {@link planInPlaceUpdateStartPatch}. */
export interface PlanInPlaceUpdateStartPatchOptions extends PlanInPlaceUpdatePatchOptions {
  /**
   * The pod's metadata with the other changes of the same write already made (a lifecycle move
   * to `Updating`): the patch carries them too. Default: the pod's own.
   */
  readonly metadata?: Pick<Pod['metadata'], 'labels' | 'annotations' | 'finalizers'>;
}

/** The patch that starts an in-place update, with what {@link planInPlaceUpdatePatch} tells besides the pod. */
export type InPlaceUpdateStartPatch =
  | {
      /** The first batch of containers is changed now. */
      readonly kind: 'apply-batch';
      /** The strategic-merge patch to send (then `resizePatch`). */
      readonly patch: PodPatch;
      /** The state the patch records. */
      readonly state: InPlaceUpdateState;
      /** Containers changed in the batch, sorted. */
      readonly batch: readonly string[];
      /** With `resizeSubresource`: the `pods/resize` body to send after the patch. */
      readonly resizePatch?: ResizePatch;
    }
  | {
      /** The spec is parked in the grace annotation. */
      readonly kind: 'park-in-grace';
      /** The strategic-merge patch to send: revision labels, state and grace annotations. */
      readonly patch: PodPatch;
      /** The state the patch records (no batch yet). */
      readonly state: InPlaceUpdateState;
      /** Come back after this many seconds to apply the spec. */
      readonly requeueAfterSeconds: number;
    };

/**
 * Returns the patch that starts the in-place update `spec` of `pod`, taken against `pod` as read:
 * the same patch as `diffPodForPatch(pod, planInPlaceUpdatePatch({ ...pod, metadata }, spec, options).pod)`,
 * written from the metadata and the batch's containers without building the pod. What changes
 * only with the spec (the parked spec's text) is computed once per spec.
 *
 * @example spec { containerImages: { app: 'nginx:2' } }, now 10:00:00, grace 0
 *   // { kind: 'apply-batch', batch: ['app'], patch: { metadata: { labels: { 'controller-revision-hash': 'web-2', ... }, annotations: { 'apps.kruise.io/inplace-update-state': '{...}' } }, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } }
 * @example the same with metadata carrying the label lifecycle.apps.kruise.io/state: Updating → that label is in the patch too
 */
export function planInPlaceUpdateStartPatch(pod: Pod, spec: InPlaceUpdateSpec, options: PlanInPlaceUpdateStartPatchOptions): InPlaceUpdateStartPatch {
  const metadata = options.metadata ?? pod.metadata;
  const memo = startMemo(spec, options.now);
  const { labels, annotations } = startMetadata(metadata, spec, options);
  const grace = options.gracePeriodSeconds ?? 0;
  if (grace > 0) {
    annotations[INPLACE_UPDATE_GRACE_ANNOTATION] = parkedSpecText(memo, spec, grace);
    annotations[INPLACE_UPDATE_STATE_ANNOTATION] = memo.stateText;
    const patch = podPatch(diffMetadataForPatch(pod.metadata, { labels, annotations, finalizers: metadata.finalizers }), []);
    return { kind: 'park-in-grace', patch, state: memo.state, requeueAfterSeconds: grace };
  }
  const planned = planInPlaceUpdateBatch(pod, { labels, annotations, finalizers: metadata.finalizers }, spec, memo.state, options, memo.batches);
  const containers = batchContainerPatches(pod.spec.containers, spec, planned.inBatch, options.resizeSubresource === true);
  return {
    kind: 'apply-batch',
    patch: podPatch(diffMetadataForPatch(pod.metadata, planned.metadata), containers),
    state: planned.state,
    batch: planned.batch,
    ...(planned.resizePatch ? { resizePatch: planned.resizePatch } : {}),
  };
}

/** What starting one spec at one time writes alike on every pod. */
interface StartMemo {
  readonly now: EpochMs;
  /** The fresh state, and its text (what a parked update records). */
  readonly state: InPlaceUpdateState;
  readonly stateText: string;
  /** The states after the first batch, by batch (see `planInPlaceUpdateBatch`). */
  readonly batches: Map<string, BatchStateTemplate>;
  /** The parked spec's text, by grace period (the same at any time). */
  readonly parked: Map<number, string>;
}

/**
 * Memo of {@link startMemo}, by spec: planners pass the same spec object (memoised per source
 * revision) for every pod of a revision, and drop it after the pass.
 */
const startMemos = new WeakMap<InPlaceUpdateSpec, StartMemo>();

/** The {@link StartMemo} of `spec` at `now`: remembered, or made afresh (keeping the parked texts) when the time moved. */
function startMemo(spec: InPlaceUpdateSpec, now: EpochMs): StartMemo {
  const known = startMemos.get(spec);
  if (known?.now === now) return known;
  const state = startState(spec, now);
  const memo: StartMemo = { now, state, stateText: serializeInPlaceUpdateState(state), batches: new Map(), parked: known?.parked ?? new Map<number, string>() };
  startMemos.set(spec, memo);
  return memo;
}

/** The grace annotation's text for `spec` parked `grace` seconds (`serializeInPlaceUpdateSpec`), remembered in `memo`. */
function parkedSpecText(memo: StartMemo, spec: InPlaceUpdateSpec, grace: number): string {
  let text = memo.parked.get(grace);
  if (text === undefined) memo.parked.set(grace, (text = serializeInPlaceUpdateSpec({ ...spec, graceSeconds: grace })));
  return text;
}

/** A fresh state for `spec` (OpenKruise's `InPlaceUpdateState` before the first batch). */
function startState(spec: InPlaceUpdateSpec, now: EpochMs): InPlaceUpdateState {
  return {
    revision: spec.revision,
    updateTimestamp: formatTime(now),
    lastContainerStatuses: {},
    ...(spec.updateEnvFromMetadata ? { updateEnvFromMetadata: true } : {}),
    ...(Object.keys(spec.containerImages).length > 0 ? { updateImages: true } : {}),
    ...(Object.keys(spec.containerResources).length > 0 ? { updateResources: true } : {}),
  };
}

const STALE_ANNOTATIONS = [INPLACE_UPDATE_STATE_ANNOTATION_OLD, INPLACE_UPDATE_GRACE_ANNOTATION, INPLACE_UPDATE_GRACE_ANNOTATION_OLD];

/** The labels (revision labels set) and annotations (pre-v1.0 state and any parked spec dropped) an update starts from. */
function startMetadata(
  metadata: Pick<Pod['metadata'], 'labels' | 'annotations'>,
  spec: InPlaceUpdateSpec,
  options: PlanInPlaceUpdatePatchOptions,
): { labels: Record<string, string>; annotations: Record<string, string> } {
  return {
    labels: { ...metadata.labels, ...(options.revisionLabels ?? defaultRevisionLabels(spec.revision)) },
    annotations: withoutKeys(metadata.annotations, STALE_ANNOTATIONS),
  };
}

/**
 * Returns CloneSet's revision labels for a revision name.
 *
 * @example defaultRevisionLabels('web-c4b9d7f6x') // { 'controller-revision-hash': 'web-c4b9d7f6x', 'pod-template-hash': 'c4b9d7f6x' }
 */
export function defaultRevisionLabels(revision: string): Record<string, string> {
  return { [CONTROLLER_REVISION_HASH_LABEL]: revision, [POD_TEMPLATE_HASH_LABEL]: shortHash(revision) };
}
