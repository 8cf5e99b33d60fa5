import {
  STATEFULSET_API_VERSION,
  STATEFULSET_V1ALPHA1_API_VERSION,
  StatefulSetSchema,
  StatefulSetV1alpha1Schema,
  convertStatefulSetToV1alpha1,
  convertStatefulSetToV1beta1,
  zodIssuesToProblems,
} from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import { problemsMessage } from '../admissionDecisions.js';
import type { ConversionOutcome, Converter } from '../admissionTypes.js';

type Json = Record<string, unknown>;

/** Reads `object` with `schema`, then converts it; a schema problem fails the conversion with its field. */
function readThen<T>(
  schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: Parameters<typeof zodIssuesToProblems>[0] } } },
  object: Json,
  convert: (value: T) => object,
): ConversionOutcome {
  const parsed = schema.safeParse(object);
  if (!parsed.success) return { kind: 'failed', message: `cannot read the StatefulSet: ${problemsMessage(zodIssuesToProblems(parsed.error.issues))}` };
  return { kind: 'converted', object: convert(parsed.data) as Json };
}

/**
 * The Advanced StatefulSet conversion webhook: `apps.kruise.io/v1alpha1` ⇄ `apps.kruise.io/v1beta1`
 * through core's lossless `convertStatefulSetToV1beta1` / `convertStatefulSetToV1alpha1` (v1beta1
 * is stored; what v1alpha1 has no field for travels in the `statefulset.kruise-ts.io/v1beta1-fields`
 * annotation, so a v1beta1 object read and written back through v1alpha1 keeps its reserved
 * ordinals, lifecycle hooks, scale strategy...).
 *
 * @example convert({ apiVersion: 'apps.kruise.io/v1beta1', ..., spec: { ..., reserveOrdinals: [1] } }, 'apps.kruise.io/v1alpha1')
 *   → { kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1alpha1', metadata: { annotations: { 'statefulset.kruise-ts.io/v1beta1-fields': '{"spec":{"reserveOrdinals":[1]}}' } }, spec: { ... } } }
 */
export const statefulSetConverter: Converter = {
  group: KruiseResources.StatefulSet.group,
  kind: KruiseResources.StatefulSet.kind,
  plural: KruiseResources.StatefulSet.plural,
  convert(object, desiredAPIVersion) {
    const from = object.apiVersion;
    if (from === desiredAPIVersion) return { kind: 'converted', object };
    if (from === STATEFULSET_V1ALPHA1_API_VERSION && desiredAPIVersion === STATEFULSET_API_VERSION) return readThen(StatefulSetV1alpha1Schema, object, convertStatefulSetToV1beta1);
    if (from === STATEFULSET_API_VERSION && desiredAPIVersion === STATEFULSET_V1ALPHA1_API_VERSION) return readThen(StatefulSetSchema, object, convertStatefulSetToV1alpha1);
    return { kind: 'failed', message: `cannot convert a StatefulSet from ${typeof from === 'string' ? from : 'no apiVersion'} to ${desiredAPIVersion}` };
  },
};
