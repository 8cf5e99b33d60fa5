import { compact, nonEmpty } from './conversionHelpers.js';
import type { CloneSet, CloneSetScaleStrategy, CloneSetUpdateStrategy } from './cloneSet.js';
import { CLONESET_API_VERSION } from './cloneSet.js';
import type {
  CloneSetV1alpha1,
  CloneSetV1alpha1ScaleStrategy,
  CloneSetV1alpha1UpdateStrategy,
} from './cloneSetV1alpha1.js';
import { CLONESET_V1ALPHA1_API_VERSION } from './cloneSetV1alpha1.js';
import {
  CLONESET_SCALING_EXCLUDE_PREPARING_DELETE_LABEL,
  IMAGE_PREDOWNLOAD_MIN_UPDATED_READY_PODS_ANNOTATION,
  IMAGE_PREDOWNLOAD_PARALLELISM_ANNOTATION,
  IMAGE_PREDOWNLOAD_TIMEOUT_SECONDS_ANNOTATION,
} from './labels.js';
import type { ObjectMeta } from './objectMeta.js';
import type { InPlaceUpdateStrategy } from './pub.js';

/*
 * Conversion between the two CloneSet versions, as OpenKruise's conversion webhook
 * (apis/apps/v1alpha1/cloneset_conversion.go) does it, made lossless:
 *
 * | v1alpha1                                            | v1beta1                                                      |
 * |-----------------------------------------------------|--------------------------------------------------------------|
 * | updateStrategy.type ReCreate / InPlace*             | type RollingUpdate + rollingUpdate.podUpdatePolicy            |
 * | updateStrategy.type OnDelete                        | type OnDelete (rolling fields kept under rollingUpdate)       |
 * | updateStrategy.{partition, maxUnavailable, ...}     | updateStrategy.rollingUpdate.{partition, maxUnavailable, ...} |
 * | unknown keys under updateStrategy                   | unknown keys under rollingUpdate                              |
 * | scaleStrategy.disablePVCReuse (default false)        | scaleStrategy.enablePVCReuse = !disablePVCReuse (default false) |
 * | label apps.kruise.io/cloneset-scaling-exclude-preparing-delete=true | scaleStrategy.excludePreparingDelete: true    |
 * | annotations apps.kruise.io/image-predownload-*      | rollingUpdate.inPlaceUpdateStrategy.imagePreDownload*         |
 *
 * Differences from OpenKruise, all to lose nothing: absent fields stay absent (OpenKruise writes
 * `RollingUpdate`/`ReCreate` for an absent type); OnDelete keeps its rolling fields (OpenKruise
 * drops them); the label and annotations moved into fields are removed from metadata, and come
 * back when converting down (OpenKruise drops `excludePreparingDelete` on the way down).
 *
 * v1alpha1 → v1beta1 → v1alpha1 is the identity for objects in Go's serialised form (false
 * booleans and empty objects omitted). v1beta1 → v1alpha1 → v1beta1 is the identity when the object
 * is representable in v1alpha1: `type` and `podUpdatePolicy` set together (RollingUpdate with a
 * policy, OnDelete without one), no unknown keys directly under `updateStrategy` (they come back
 * under `rollingUpdate`), and neither the exclude label nor image pre-download annotations in
 * metadata (they come back as fields). Otherwise the defaults come back filled in.
 */

type Json = Record<string, unknown>;


function withMapEntry(meta: ObjectMeta | undefined, field: 'labels' | 'annotations', key: string, value: string | undefined): ObjectMeta | undefined {
  const others = Object.entries(meta?.[field] ?? {}).filter(([k]) => k !== key);
  const entries = Object.fromEntries(value === undefined ? others : [...others, [key, value]]);
  return nonEmpty(compact<ObjectMeta>({ ...meta, [field]: nonEmpty(entries) }));
}

// The three image pre-download settings: annotation key, field name and lossless parser.
const PREDOWNLOAD = [
  { annotation: IMAGE_PREDOWNLOAD_PARALLELISM_ANNOTATION, field: 'imagePreDownloadParallelism', parse: parseIntOrString },
  { annotation: IMAGE_PREDOWNLOAD_TIMEOUT_SECONDS_ANNOTATION, field: 'imagePreDownloadTimeoutSeconds', parse: parseInt32 },
  { annotation: IMAGE_PREDOWNLOAD_MIN_UPDATED_READY_PODS_ANNOTATION, field: 'imagePreDownloadMinUpdatedReadyPods', parse: parseInt32 },
] as const;

function parseInt32(text: string): number | undefined {
  const n = Number(text);
  return /^-?\d+$/.test(text) && String(n) === text && n >= -(2 ** 31) && n < 2 ** 31 ? n : undefined;
}

// As Go's intstr.Parse: an integer when the text is one, otherwise the text itself.
function parseIntOrString(text: string): number | string | undefined {
  if (text === '') return undefined;
  return parseInt32(text) ?? (/^[+-]?\d+$/.test(text) ? undefined : text);
}

function annotationsToInPlaceStrategy(cs: CloneSetV1alpha1): { meta: ObjectMeta | undefined; strategy: Json } {
  let meta = cs.metadata;
  const strategy: Json = { ...cs.spec.updateStrategy?.inPlaceUpdateStrategy };
  for (const { annotation, field, parse } of PREDOWNLOAD) {
    const text = meta?.annotations?.[annotation];
    const value = text === undefined ? undefined : parse(text);
    if (value === undefined) continue;
    strategy[field] = value;
    meta = withMapEntry(meta, 'annotations', annotation, undefined);
  }
  return { meta, strategy };
}

function inPlaceStrategyToAnnotations(meta: ObjectMeta | undefined, strategy: InPlaceUpdateStrategy | undefined): { meta: ObjectMeta | undefined; strategy: Json | undefined } {
  if (strategy === undefined) return { meta, strategy: undefined };
  let next = meta;
  for (const { annotation, field } of PREDOWNLOAD) {
    const value = strategy[field];
    if (value !== undefined) next = withMapEntry(next, 'annotations', annotation, String(value));
  }
  const moved = new Set<string>(PREDOWNLOAD.map((p) => p.field));
  return { meta: next, strategy: nonEmpty(Object.fromEntries(Object.entries(strategy).filter(([k]) => !moved.has(k)))) };
}

function updateStrategyToV1beta1(us: CloneSetV1alpha1UpdateStrategy | undefined, inPlace: Json): CloneSetUpdateStrategy | undefined {
  const { type, inPlaceUpdateStrategy: _ignored, ...rolling } = us ?? {};
  const rollingUpdate = nonEmpty(
    compact<Json>({
      ...rolling,
      podUpdatePolicy: type === 'OnDelete' ? undefined : type,
      inPlaceUpdateStrategy: nonEmpty(inPlace),
    }),
  );
  const beta = type === undefined ? undefined : type === 'OnDelete' ? 'OnDelete' : 'RollingUpdate';
  return nonEmpty(compact<CloneSetUpdateStrategy>({ type: beta, rollingUpdate }));
}

function updateStrategyToV1alpha1(us: CloneSetUpdateStrategy | undefined, inPlace: Json | undefined): CloneSetV1alpha1UpdateStrategy | undefined {
  const { type, rollingUpdate, ...unknown } = us ?? {};
  const { podUpdatePolicy, inPlaceUpdateStrategy: _moved, ...rolling } = rollingUpdate ?? {};
  const alpha = type === 'OnDelete' ? 'OnDelete' : (podUpdatePolicy ?? (type === 'RollingUpdate' ? 'ReCreate' : undefined));
  return nonEmpty(compact<CloneSetV1alpha1UpdateStrategy>({ ...unknown, ...rolling, type: alpha, inPlaceUpdateStrategy: inPlace }));
}

function scaleStrategyToV1beta1(ss: CloneSetV1alpha1ScaleStrategy | undefined, exclude: boolean): CloneSetScaleStrategy | undefined {
  const { disablePVCReuse, ...rest } = ss ?? {};
  return nonEmpty(
    compact<CloneSetScaleStrategy>({
      ...rest,
      enablePVCReuse: disablePVCReuse === true ? undefined : true,
      excludePreparingDelete: exclude ? true : undefined,
    }),
  );
}

function scaleStrategyToV1alpha1(ss: CloneSetScaleStrategy | undefined): CloneSetV1alpha1ScaleStrategy | undefined {
  const { enablePVCReuse, excludePreparingDelete: _label, ...rest } = ss ?? {};
  return nonEmpty(compact<CloneSetV1alpha1ScaleStrategy>({ ...rest, disablePVCReuse: enablePVCReuse === true ? undefined : true }));
}

/**
 * Returns the `apps.kruise.io/v1beta1` form of a v1alpha1 CloneSet, losing nothing (see the table
 * at the top of this file). Unknown fields are carried over; the input is not modified.
 *
 * @example `updateStrategy: { type: 'InPlaceIfPossible', partition: 3 }` →
 *   `updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 3, podUpdatePolicy: 'InPlaceIfPossible' } }`,
 *   and an absent `scaleStrategy.disablePVCReuse` → `scaleStrategy: { enablePVCReuse: true }`.
 */
export function convertCloneSetToV1beta1(cs: CloneSetV1alpha1): CloneSet {
  const exclude = cs.metadata?.labels?.[CLONESET_SCALING_EXCLUDE_PREPARING_DELETE_LABEL] === 'true';
  const { meta: annotated, strategy } = annotationsToInPlaceStrategy(cs);
  const metadata = exclude ? withMapEntry(annotated, 'labels', CLONESET_SCALING_EXCLUDE_PREPARING_DELETE_LABEL, undefined) : annotated;
  const spec = compact<CloneSet['spec']>({
    ...cs.spec,
    scaleStrategy: scaleStrategyToV1beta1(cs.spec.scaleStrategy, exclude),
    updateStrategy: updateStrategyToV1beta1(cs.spec.updateStrategy, strategy),
  });
  const apiVersion = cs.apiVersion === undefined ? undefined : CLONESET_API_VERSION;
  return compact<CloneSet>({ ...cs, apiVersion, metadata, spec });
}

/**
 * Returns the `apps.kruise.io/v1alpha1` form of a v1beta1 CloneSet (see the table at the top of
 * this file). What v1alpha1 has no field for goes where OpenKruise's v1alpha1 keeps it: image
 * pre-download settings become annotations, `excludePreparingDelete: true` becomes the
 * `apps.kruise.io/cloneset-scaling-exclude-preparing-delete: "true"` label. A `podUpdatePolicy`
 * under `type: OnDelete` has no v1alpha1 form and is dropped, as OpenKruise does.
 *
 * @example `updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }` →
 *   `updateStrategy: { type: 'ReCreate', maxSurge: 1 }`, and an absent `scaleStrategy` →
 *   `scaleStrategy: { disablePVCReuse: true }` (v1beta1 does not reuse PVCs by default).
 */
export function convertCloneSetToV1alpha1(cs: CloneSet): CloneSetV1alpha1 {
  const rollingUpdate = cs.spec.updateStrategy?.rollingUpdate;
  const converted = inPlaceStrategyToAnnotations(cs.metadata, rollingUpdate?.inPlaceUpdateStrategy);
  const exclude = cs.spec.scaleStrategy?.excludePreparingDelete === true;
  const metadata = exclude ? withMapEntry(converted.meta, 'labels', CLONESET_SCALING_EXCLUDE_PREPARING_DELETE_LABEL, 'true') : converted.meta;
  const spec = compact<CloneSetV1alpha1['spec']>({
    ...cs.spec,
    scaleStrategy: scaleStrategyToV1alpha1(cs.spec.scaleStrategy),
    updateStrategy: updateStrategyToV1alpha1(cs.spec.updateStrategy, converted.strategy),
  });
  const apiVersion = cs.apiVersion === undefined ? undefined : CLONESET_V1ALPHA1_API_VERSION;
  return compact<CloneSetV1alpha1>({ ...cs, apiVersion, metadata, spec });
}
