import { compact, nonEmpty } from './conversionHelpers.js';
import { z } from 'zod';
import type { ObjectMeta } from './objectMeta.js';
import { STATEFULSET_API_VERSION, StatefulSetSpecSchema, StatefulSetStatusSchema, type StatefulSet } from './statefulSet.js';
import {
  STATEFULSET_V1ALPHA1_API_VERSION,
  STATEFULSET_V1BETA1_FIELDS_ANNOTATION,
  STATEFULSET_V1BETA1_ONLY_SPEC_FIELDS,
  STATEFULSET_V1BETA1_ONLY_STATUS_FIELDS,
  type StatefulSetV1alpha1,
} from './statefulSetV1alpha1.js';

/*
 * Conversion between the two Advanced StatefulSet versions. OpenKruise's
 * (apis/apps/v1alpha1/statefulset_conversion.go) copies the shared fields and drops the rest; this
 * one loses nothing:
 *
 * | v1alpha1                                                     | v1beta1                                                  |
 * |--------------------------------------------------------------|----------------------------------------------------------|
 * | replicas, selector, template, volumeClaimTemplates, serviceName, podManagementPolicy, updateStrategy, revisionHistoryLimit | the same |
 * | annotation statefulset.kruise-ts.io/v1beta1-fields `{"spec":{...},"status":{...}}` | spec.reserveOrdinals, lifecycle, scaleStrategy, persistentVolumeClaimRetentionPolicy, ordinals, volumeClaimUpdateStrategy; status.updatedReadyReplicas, updatedAvailableReplicas, volumeClaims |
 * | status (the other fields), unknown fields anywhere            | the same                                                 |
 *
 * The annotation is written only when the v1beta1 object has one of those fields, and read back
 * only when it is exactly what this module writes (valid JSON of those fields in their v1beta1
 * shape, in the order written, none of them also present in the object); otherwise it stays an
 * annotation, so nothing is lost either way.
 *
 * v1alpha1 → v1beta1 → v1alpha1 is the identity for objects in Go's serialised form (no empty
 * metadata maps) whose `spec` and `status` do not carry v1beta1-only fields directly (the
 * v1alpha1 CRD prunes them) and without an empty `status` next to status fields in the
 * annotation. v1beta1 → v1alpha1 → v1beta1 is the identity for objects in Go's serialised form
 * that do not carry the annotation themselves.
 */

type Json = Record<string, unknown>;

function pick(object: Json | undefined, keys: readonly string[]): Json {
  return Object.fromEntries(keys.flatMap((key) => (object?.[key] === undefined ? [] : [[key, object[key]]])));
}

function omit<T extends object>(object: T, keys: readonly string[]): T {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key))) as T;
}

function withAnnotation(meta: ObjectMeta | undefined, value: string | undefined): ObjectMeta | undefined {
  const others = Object.entries(meta?.annotations ?? {}).filter(([k]) => k !== STATEFULSET_V1BETA1_FIELDS_ANNOTATION);
  const annotations = Object.fromEntries(value === undefined ? others : [...others, [STATEFULSET_V1BETA1_FIELDS_ANNOTATION, value]]);
  return nonEmpty(compact<ObjectMeta>({ ...meta, annotations: nonEmpty(annotations) }));
}

/** The v1beta1-only fields of `spec` and `status`, as the annotation holds them; undefined when there are none. */
function carriedFields(spec: Json | undefined, status: Json | undefined): { spec?: Json; status?: Json } | undefined {
  return nonEmpty(
    compact<{ spec?: Json; status?: Json }>({
      spec: nonEmpty(pick(spec, STATEFULSET_V1BETA1_ONLY_SPEC_FIELDS)),
      status: nonEmpty(pick(status, STATEFULSET_V1BETA1_ONLY_STATUS_FIELDS)),
    }),
  );
}

const only = (shape: Record<string, z.ZodType>, keys: readonly string[]) => z.strictObject(Object.fromEntries(keys.map((k) => [k, shape[k] ?? z.never()])));

// What the annotation may hold: the v1beta1-only fields in their v1beta1 shape, nothing else.
const CarriedFieldsSchema = z.strictObject({
  spec: only(StatefulSetSpecSchema.shape, STATEFULSET_V1BETA1_ONLY_SPEC_FIELDS).optional(),
  status: only(StatefulSetStatusSchema.shape, STATEFULSET_V1BETA1_ONLY_STATUS_FIELDS).optional(),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The annotation's fields when it is exactly what {@link convertStatefulSetToV1alpha1} writes for them, else undefined. */
function readCarriedFields(sts: StatefulSetV1alpha1): { spec?: Json; status?: Json } | undefined {
  const text = sts.metadata?.annotations?.[STATEFULSET_V1BETA1_FIELDS_ANNOTATION];
  if (text === undefined) return undefined;
  const value = parseJson(text);
  if (!CarriedFieldsSchema.safeParse(value).success) return undefined;
  const fields = value as { spec?: Json; status?: Json };
  const canonical = carriedFields(fields.spec, fields.status);
  if (canonical === undefined || JSON.stringify(canonical) !== text) return undefined;
  const clash = Object.keys(fields.spec ?? {}).some((k) => k in sts.spec) || Object.keys(fields.status ?? {}).some((k) => k in (sts.status ?? {}));
  return clash ? undefined : canonical;
}

/**
 * Returns the `apps.kruise.io/v1beta1` form of a v1alpha1 Advanced StatefulSet, losing nothing
 * (see the table at the top of this file): the shared fields as they are, and the v1beta1-only
 * fields a previous conversion kept in the `statefulset.kruise-ts.io/v1beta1-fields` annotation
 * put back in place. Unknown fields are carried over; the input is not modified.
 *
 * @example `{ metadata: { annotations: { 'statefulset.kruise-ts.io/v1beta1-fields': '{"spec":{"reserveOrdinals":[1,"3-5"]}}' } }, spec: { replicas: 3, ... } }`
 *   → `{ spec: { replicas: 3, ..., reserveOrdinals: [1, '3-5'] } }`, the annotation removed
 */
export function convertStatefulSetToV1beta1(sts: StatefulSetV1alpha1): StatefulSet {
  const apiVersion = sts.apiVersion === undefined ? undefined : STATEFULSET_API_VERSION;
  const carried = readCarriedFields(sts);
  if (carried === undefined) return compact<StatefulSet>({ ...sts, apiVersion });
  const metadata = withAnnotation(sts.metadata, undefined);
  const spec = { ...sts.spec, ...carried.spec };
  const status = carried.status === undefined ? sts.status : { ...sts.status, ...carried.status };
  return compact<StatefulSet>({ ...sts, apiVersion, metadata, spec, status });
}

/**
 * Returns the `apps.kruise.io/v1alpha1` form of a v1beta1 Advanced StatefulSet (see the table at
 * the top of this file): what v1alpha1 has no field for (`reserveOrdinals`, `lifecycle`,
 * `scaleStrategy`, `persistentVolumeClaimRetentionPolicy`, `ordinals`,
 * `volumeClaimUpdateStrategy`, and the status' updated-ready/available counts and volume claims)
 * goes into the `statefulset.kruise-ts.io/v1beta1-fields` annotation, where OpenKruise drops it.
 *
 * @example `spec: { replicas: 3, reserveOrdinals: [1], ... }, status: { replicas: 3, updatedReadyReplicas: 2 }` →
 *   `spec: { replicas: 3, ... }, status: { replicas: 3 }`, annotation
 *   `{"spec":{"reserveOrdinals":[1]},"status":{"updatedReadyReplicas":2}}`
 */
export function convertStatefulSetToV1alpha1(sts: StatefulSet): StatefulSetV1alpha1 {
  const apiVersion = sts.apiVersion === undefined ? undefined : STATEFULSET_V1ALPHA1_API_VERSION;
  const carried = carriedFields(sts.spec, sts.status);
  const metadata = carried === undefined ? sts.metadata : withAnnotation(sts.metadata, JSON.stringify(carried));
  const spec = omit(sts.spec, STATEFULSET_V1BETA1_ONLY_SPEC_FIELDS);
  const rest = sts.status === undefined ? undefined : omit(sts.status, STATEFULSET_V1BETA1_ONLY_STATUS_FIELDS);
  // A status left empty by the move is dropped, as the way back creates it from the annotation.
  const status = rest !== undefined && Object.keys(rest).length === 0 && carried?.status !== undefined ? undefined : rest;
  return compact<StatefulSetV1alpha1>({ ...sts, apiVersion, metadata, spec, status });
}
