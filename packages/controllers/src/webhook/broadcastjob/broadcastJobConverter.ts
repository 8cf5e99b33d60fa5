import { BROADCASTJOB_API_VERSION, BROADCASTJOB_V1ALPHA1_API_VERSION, BroadcastJobSchema, BroadcastJobV1alpha1Schema, convertBroadcastJobToV1alpha1, convertBroadcastJobToV1beta1 } from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import type { Converter } from '../admissionTypes.js';
import { versionConverter } from '../versionConverter.js';

/**
 * The BroadcastJob conversion webhook: `apps.kruise.io/v1alpha1` ⇄ `apps.kruise.io/v1beta1`
 * through core's `convertBroadcastJobToV1beta1` / `convertBroadcastJobToV1alpha1` (v1beta1 is
 * stored; the two versions have the same fields, so only the apiVersion changes).
 *
 * @example convert({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'BroadcastJob', spec }, 'apps.kruise.io/v1alpha1')
 *   → { kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'BroadcastJob', spec } }
 */
export const broadcastJobConverter: Converter = versionConverter(
  KruiseResources.BroadcastJob,
  { apiVersion: BROADCASTJOB_V1ALPHA1_API_VERSION, schema: BroadcastJobV1alpha1Schema, convert: convertBroadcastJobToV1beta1 },
  { apiVersion: BROADCASTJOB_API_VERSION, schema: BroadcastJobSchema, convert: convertBroadcastJobToV1alpha1 },
);
