import { CONTROLLER_REVISION_HASH_LABEL, INPLACE_UPDATE_GRACE_ANNOTATION, INPLACE_UPDATE_GRACE_ANNOTATION_OLD } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import { parseTime, type EpochMs } from '../shared/podState.js';
import { equalToRevisionHash } from '../shared/revision.js';
import { applyInPlaceUpdateBatch, type InPlaceUpdateBatch } from './applyInPlaceUpdateBatch.js';
import { diffPodForPatch, type PodPatch } from './diffPodForPatch.js';
import { parseInPlaceUpdateSpec } from './inPlaceUpdateSpec.js';
import { readInPlaceUpdateState } from './inPlaceUpdateState.js';
import { withoutKeys } from './stringMapPatch.js';

/** Options of {@link planInPlaceUpdateGrace} and of the other refresh steps. */
export interface InPlaceRefreshOptions {
  /** The current time. */
  readonly now: EpochMs;
  /** The apiserver has the `pods/resize` subresource (Kubernetes ≥ 1.32). */
  readonly resizeSubresource?: boolean;
  /** Label holding the pod's revision (default `controller-revision-hash`). */
  readonly revisionLabelKey?: string;
}

/**
 * What to do about an in-place update spec parked in the grace annotation:
 * - `not-in-grace`: nothing is parked;
 * - `wait`: the grace period runs for `requeueAfterSeconds` more (rounded up);
 * - `apply-batch`: write `pod` (first batch applied, grace annotation removed), then `resizePatch`;
 * - `drop-grace`: the revision moved on; write `pod` without the parked spec;
 * - `invalid`: the annotations cannot be read (`message`).
 */
export type InPlaceGraceDecision =
  | { readonly kind: 'not-in-grace' }
  | { readonly kind: 'wait'; readonly requeueAfterSeconds: number }
  | (InPlaceUpdateBatch & { readonly kind: 'apply-batch'; readonly patch: PodPatch })
  | {
      /** The pod's revision label moved on: drop the parked spec, the update starts over. */
      readonly kind: 'drop-grace';
      /** The pod without the grace annotation. */
      readonly pod: Pod;
      /** Strategic-merge patch equivalent to writing `pod`. */
      readonly patch: PodPatch;
    }
  | { readonly kind: 'invalid'; readonly message: string };

const GRACE_KEYS = [INPLACE_UPDATE_GRACE_ANNOTATION, INPLACE_UPDATE_GRACE_ANNOTATION_OLD];

/**
 * Returns what to do with a spec parked in `apps.kruise.io/inplace-update-grace` (OpenKruise's
 * `finishGracePeriod`): wait until `updateTimestamp + graceSeconds` (rounded up to whole
 * seconds), then apply its first batch and remove the annotation; drop it when the pod's revision
 * label no longer names the parked revision.
 *
 * @example updateTimestamp 10:00:00, graceSeconds 30, now 10:00:10.5 → { kind: 'wait', requeueAfterSeconds: 20 }
 * @example the same at 10:00:30 → { kind: 'apply-batch', batch: ['app'], ... } (grace annotation removed)
 */
export function planInPlaceUpdateGrace(pod: Pod, options: InPlaceRefreshOptions): InPlaceGraceDecision {
  const text = pod.metadata.annotations?.[INPLACE_UPDATE_GRACE_ANNOTATION] ?? pod.metadata.annotations?.[INPLACE_UPDATE_GRACE_ANNOTATION_OLD];
  if (text === undefined) return { kind: 'not-in-grace' };
  const spec = parseInPlaceUpdateSpec(text);
  if (spec.kind === 'invalid') return { kind: 'invalid', message: `${INPLACE_UPDATE_GRACE_ANNOTATION}: ${spec.message}` };
  const read = readInPlaceUpdateState(pod.metadata);
  if (read.kind !== 'parsed') return { kind: 'invalid', message: `pod has ${INPLACE_UPDATE_GRACE_ANNOTATION} but no readable in-place update state` };
  const withoutGrace: Pod = { ...pod, metadata: { ...pod.metadata, annotations: withoutKeys(pod.metadata.annotations, GRACE_KEYS) } };
  const revisionLabel = pod.metadata.labels?.[options.revisionLabelKey ?? CONTROLLER_REVISION_HASH_LABEL];
  if (!equalToRevisionHash(revisionLabel, spec.value.revision)) return { kind: 'drop-grace', pod: withoutGrace, patch: diffPodForPatch(pod, withoutGrace) };
  const started = parseTime(read.state.updateTimestamp) ?? Number.NEGATIVE_INFINITY;
  const remainingMillis = started + (spec.value.graceSeconds ?? 0) * 1000 - options.now;
  if (remainingMillis > 0) return { kind: 'wait', requeueAfterSeconds: Math.ceil(remainingMillis / 1000) };
  const result = applyInPlaceUpdateBatch(withoutGrace, spec.value, read.state, options);
  return { kind: 'apply-batch', ...result, patch: diffPodForPatch(pod, result.pod) };
}
