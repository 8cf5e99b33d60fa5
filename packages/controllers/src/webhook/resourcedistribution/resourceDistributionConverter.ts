import {
  RESOURCEDISTRIBUTION_API_VERSION,
  RESOURCEDISTRIBUTION_V1ALPHA1_API_VERSION,
  ResourceDistributionSchema,
  ResourceDistributionV1alpha1Schema,
  convertResourceDistributionToV1alpha1,
  convertResourceDistributionToV1beta1,
} from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import type { Converter } from '../admissionTypes.js';
import { versionConverter } from '../versionConverter.js';

/**
 * The ResourceDistribution conversion webhook: `apps.kruise.io/v1alpha1` ⇄ `apps.kruise.io/v1beta1`
 * (v1beta1 is stored; the two versions have the same fields, so only the apiVersion changes).
 *
 * @example convert({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'ResourceDistribution', spec }, 'apps.kruise.io/v1alpha1')
 *   → { kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'ResourceDistribution', spec } }
 */
export const resourceDistributionConverter: Converter = versionConverter(
  KruiseResources.ResourceDistribution,
  { apiVersion: RESOURCEDISTRIBUTION_V1ALPHA1_API_VERSION, schema: ResourceDistributionV1alpha1Schema, convert: convertResourceDistributionToV1beta1 },
  { apiVersion: RESOURCEDISTRIBUTION_API_VERSION, schema: ResourceDistributionSchema, convert: convertResourceDistributionToV1alpha1 },
);
