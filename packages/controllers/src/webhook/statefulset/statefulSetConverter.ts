import { STATEFULSET_API_VERSION, STATEFULSET_V1ALPHA1_API_VERSION, StatefulSetSchema, StatefulSetV1alpha1Schema, convertStatefulSetToV1alpha1, convertStatefulSetToV1beta1 } from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import type { Converter } from '../admissionTypes.js';
import { versionConverter } from '../versionConverter.js';

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
export const statefulSetConverter: Converter = versionConverter(
  KruiseResources.StatefulSet,
  { apiVersion: STATEFULSET_V1ALPHA1_API_VERSION, schema: StatefulSetV1alpha1Schema, convert: convertStatefulSetToV1beta1 },
  { apiVersion: STATEFULSET_API_VERSION, schema: StatefulSetSchema, convert: convertStatefulSetToV1alpha1 },
);
