import { DAEMONSET_API_VERSION, DAEMONSET_V1ALPHA1_API_VERSION, DaemonSetSchema, DaemonSetV1alpha1Schema, convertDaemonSetToV1alpha1, convertDaemonSetToV1beta1 } from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import type { Converter } from '../admissionTypes.js';
import { versionConverter } from '../versionConverter.js';

/**
 * The Advanced DaemonSet conversion webhook: `apps.kruise.io/v1alpha1` ⇄ `apps.kruise.io/v1beta1`
 * through core's `convertDaemonSetToV1beta1` / `convertDaemonSetToV1alpha1` (v1beta1 is stored;
 * `scaleStrategy.partitionedScaling: true` is v1alpha1's `daemonset.kruise.io/progressive-create-pod`
 * annotation, `status.updateRevision` its `status.daemonSetHash`, and the rest of a scaleStrategy
 * travels in the `daemonset.kruise-ts.io/v1beta1-fields` annotation, so nothing is lost).
 *
 * @example convert({ apiVersion: 'apps.kruise.io/v1beta1', ..., spec: { ..., scaleStrategy: { partitionedScaling: true } } }, 'apps.kruise.io/v1alpha1')
 *   → { kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1alpha1', metadata: { annotations: { 'daemonset.kruise.io/progressive-create-pod': 'true' } }, spec: { ... } } }
 */
export const daemonSetConverter: Converter = versionConverter(
  KruiseResources.DaemonSet,
  { apiVersion: DAEMONSET_V1ALPHA1_API_VERSION, schema: DaemonSetV1alpha1Schema, convert: convertDaemonSetToV1beta1 },
  { apiVersion: DAEMONSET_API_VERSION, schema: DaemonSetSchema, convert: convertDaemonSetToV1alpha1 },
);
