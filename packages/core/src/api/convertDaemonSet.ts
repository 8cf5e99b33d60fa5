import { z } from 'zod';
import { compact, nonEmpty } from './conversionHelpers.js';
import { DAEMONSET_API_VERSION, DaemonSetScaleStrategySchema, type DaemonSet, type DaemonSetScaleStrategy, type DaemonSetStatus, type DaemonSetUpdateStrategy } from './daemonSet.js';
import { DAEMONSET_V1ALPHA1_API_VERSION, DAEMONSET_V1BETA1_FIELDS_ANNOTATION, type DaemonSetV1alpha1, type DaemonSetV1alpha1Status } from './daemonSetV1alpha1.js';
import { DAEMONSET_PROGRESSIVE_CREATE_POD_ANNOTATION } from './labels.js';
import type { ObjectMeta } from './objectMeta.js';

/*
 * Conversion between the two Advanced DaemonSet versions. OpenKruise's
 * (apis/apps/v1alpha1/daemonset_conversion.go) copies the shared fields, maps the annotation and
 * the status hash, and drops the rest; this one loses nothing it can keep:
 *
 * | v1alpha1                                                      | v1beta1                                                   |
 * |---------------------------------------------------------------|-----------------------------------------------------------|
 * | selector, template, updateStrategy, minReadySeconds, burstReplicas, revisionHistoryLimit, lifecycle | the same |
 * | rollingUpdateType Surging (deprecated)                        | rollingUpdateType Standard (as OpenKruise; not reversed)  |
 * | annotation daemonset.kruise.io/progressive-create-pod "true"  | spec.scaleStrategy.partitionedScaling: true               |
 * | annotation daemonset.kruise-ts.io/v1beta1-fields `{"spec":{"scaleStrategy":{...}}}` | the rest of spec.scaleStrategy |
 * | status.daemonSetHash                                          | status.updateRevision                                     |
 * | status (the other fields), unknown fields anywhere            | the same                                                  |
 *
 * Differences from OpenKruise, all to lose nothing: the progressive-create-pod annotation moved into
 * the field is removed from metadata (OpenKruise leaves it there too) and comes back when
 * converting down; a `scaleStrategy` that the annotation cannot say (`{}`, `partitionedScaling:
 * false`, unknown keys) travels in the v1beta1-fields annotation (OpenKruise drops it). That
 * annotation is read back only when it is exactly what this module writes and the object has no
 * `scaleStrategy` of its own; otherwise it stays an annotation. A progressive-create-pod annotation
 * other than `"true"` stays an annotation both ways.
 *
 * v1alpha1 → v1beta1 → v1alpha1 is the identity for objects in Go's serialised form without
 * `rollingUpdateType: Surging` (which OpenKruise's v1alpha1 defaulting turns into Standard before
 * storing), with no v1beta1-only field directly in `spec` (the v1alpha1 CRD prunes them) and no
 * `updateRevision` next to `daemonSetHash` in `status`. v1beta1 → v1alpha1 → v1beta1 is the
 * identity for objects in Go's serialised form that carry neither annotation themselves and no
 * `daemonSetHash` next to `updateRevision` in `status`.
 */

type Json = Record<string, unknown>;

function withAnnotations(meta: ObjectMeta | undefined, changes: Readonly<Record<string, string | undefined>>): ObjectMeta | undefined {
  const others = Object.entries(meta?.annotations ?? {}).filter(([k]) => !(k in changes));
  const added = Object.entries(changes).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return nonEmpty(compact<ObjectMeta>({ ...meta, annotations: nonEmpty(Object.fromEntries([...others, ...added])) }));
}

/** Renames one status key, unless the target is already there (then both stay as they are). */
function renamed(status: Json | undefined, from: string, to: string): Json | undefined {
  if (status === undefined || !(from in status) || to in status) return status;
  const { [from]: value, ...rest } = status;
  return { ...rest, [to]: value };
}

// What the v1beta1-fields annotation may hold: a scaleStrategy in its v1beta1 shape, nothing else.
const CarriedFieldsSchema = z.strictObject({ spec: z.strictObject({ scaleStrategy: DaemonSetScaleStrategySchema }) });
type CarriedFields = z.infer<typeof CarriedFieldsSchema>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The annotation's scaleStrategy when it is exactly what {@link convertDaemonSetToV1alpha1} writes, else undefined. */
function readCarriedScaleStrategy(ds: DaemonSetV1alpha1): DaemonSetScaleStrategy | undefined {
  const text = ds.metadata?.annotations?.[DAEMONSET_V1BETA1_FIELDS_ANNOTATION];
  if (text === undefined || 'scaleStrategy' in ds.spec) return undefined;
  const value = parseJson(text);
  if (!CarriedFieldsSchema.safeParse(value).success) return undefined;
  const carried = value as CarriedFields;
  // Written for a partitionedScaling the progressive annotation did not say: never `true` here.
  if (carried.spec.scaleStrategy.partitionedScaling === true || JSON.stringify(carried) !== text) return undefined;
  return carried.spec.scaleStrategy;
}

/**
 * Returns the `apps.kruise.io/v1beta1` form of a v1alpha1 Advanced DaemonSet (see the table at the
 * top of this file): the shared fields as they are, `rollingUpdateType: Surging` as `Standard`
 * (OpenKruise's mapping), the progressive-create-pod annotation `"true"` as
 * `scaleStrategy.partitionedScaling: true`, the rest of a `scaleStrategy` a previous conversion kept
 * in the `daemonset.kruise-ts.io/v1beta1-fields` annotation put back, and `status.daemonSetHash`
 * as `status.updateRevision`. Unknown fields are carried over; the input is not modified.
 *
 * @example `{ metadata: { annotations: { 'daemonset.kruise.io/progressive-create-pod': 'true' } }, spec, status: { daemonSetHash: 'abc' } }`
 *   → `{ spec: { ...spec, scaleStrategy: { partitionedScaling: true } }, status: { updateRevision: 'abc' } }`, the annotation removed
 */
export function convertDaemonSetToV1beta1(ds: DaemonSetV1alpha1): DaemonSet {
  const apiVersion = ds.apiVersion === undefined ? undefined : DAEMONSET_API_VERSION;
  const carried = readCarriedScaleStrategy(ds);
  const progressive = ds.metadata?.annotations?.[DAEMONSET_PROGRESSIVE_CREATE_POD_ANNOTATION] === 'true' && !('scaleStrategy' in ds.spec);
  const scaleStrategy = carried === undefined && !progressive ? undefined : { ...carried, ...(progressive && { partitionedScaling: true }) };
  const metadata =
    scaleStrategy === undefined
      ? ds.metadata
      : withAnnotations(ds.metadata, {
          ...(carried !== undefined && { [DAEMONSET_V1BETA1_FIELDS_ANNOTATION]: undefined }),
          ...(progressive && { [DAEMONSET_PROGRESSIVE_CREATE_POD_ANNOTATION]: undefined }),
        });
  const rollingUpdate = ds.spec.updateStrategy?.rollingUpdate;
  // Surging is the only value v1beta1 lacks: with it mapped, the strategy has the v1beta1 shape.
  const updateStrategy = (
    rollingUpdate?.rollingUpdateType === 'Surging' ? { ...ds.spec.updateStrategy, rollingUpdate: { ...rollingUpdate, rollingUpdateType: 'Standard' } } : ds.spec.updateStrategy
  ) as DaemonSetUpdateStrategy | undefined;
  const spec = compact<DaemonSet['spec']>({ ...ds.spec, updateStrategy, ...(scaleStrategy !== undefined && { scaleStrategy }) });
  const status = renamed(ds.status, 'daemonSetHash', 'updateRevision') as DaemonSetStatus | undefined;
  return compact<DaemonSet>({ ...ds, apiVersion, metadata, spec, status });
}

/**
 * Returns the `apps.kruise.io/v1alpha1` form of a v1beta1 Advanced DaemonSet (see the table at the
 * top of this file): `scaleStrategy.partitionedScaling: true` becomes the annotation
 * `daemonset.kruise.io/progressive-create-pod: "true"` (as OpenKruise writes it), whatever else the
 * `scaleStrategy` holds goes into the `daemonset.kruise-ts.io/v1beta1-fields` annotation (where
 * OpenKruise drops it), and `status.updateRevision` becomes `status.daemonSetHash`.
 *
 * @example `spec: { ..., scaleStrategy: { partitionedScaling: true } }, status: { updateRevision: 'abc' }` →
 *   `spec: { ... }, status: { daemonSetHash: 'abc' }`, annotation `daemonset.kruise.io/progressive-create-pod: "true"`
 * @example `spec: { ..., scaleStrategy: {} }` → `spec: { ... }`, annotation `daemonset.kruise-ts.io/v1beta1-fields: {"spec":{"scaleStrategy":{}}}`
 */
export function convertDaemonSetToV1alpha1(ds: DaemonSet): DaemonSetV1alpha1 {
  const apiVersion = ds.apiVersion === undefined ? undefined : DAEMONSET_V1ALPHA1_API_VERSION;
  const { scaleStrategy, ...spec } = ds.spec;
  const progressive = scaleStrategy?.partitionedScaling === true;
  const rest: Json | undefined = progressive ? Object.fromEntries(Object.entries(scaleStrategy).filter(([k]) => k !== 'partitionedScaling')) : scaleStrategy;
  const carried = rest === undefined || (progressive && Object.keys(rest).length === 0) ? undefined : JSON.stringify({ spec: { scaleStrategy: rest } });
  const metadata =
    scaleStrategy === undefined
      ? ds.metadata
      : withAnnotations(ds.metadata, {
          ...(progressive && { [DAEMONSET_PROGRESSIVE_CREATE_POD_ANNOTATION]: 'true' }),
          ...(carried !== undefined && { [DAEMONSET_V1BETA1_FIELDS_ANNOTATION]: carried }),
        });
  const status = renamed(ds.status, 'updateRevision', 'daemonSetHash') as DaemonSetV1alpha1Status | undefined;
  return compact<DaemonSetV1alpha1>({ ...ds, apiVersion, metadata, spec, status });
}
