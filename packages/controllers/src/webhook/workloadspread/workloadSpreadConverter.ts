import { WORKLOADSPREAD_API_VERSION, WORKLOADSPREAD_V1BETA1_API_VERSION, WorkloadSpreadSchema, WorkloadSpreadV1beta1Schema, convertWorkloadSpreadToV1alpha1, convertWorkloadSpreadToV1beta1 } from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import type { Converter } from '../admissionTypes.js';
import { versionConverter } from '../versionConverter.js';

/**
 * The WorkloadSpread conversion webhook: `apps.kruise.io/v1alpha1` ⇄ `apps.kruise.io/v1beta1`
 * through core's `convertWorkloadSpreadToV1beta1` / `convertWorkloadSpreadToV1alpha1` (v1beta1 is
 * stored, as OpenKruise; the subsets' `requiredNodeSelectorTerm`/`preferredNodeSelectorTerms` are
 * v1beta1's `requiredNodeSelector`/`preferredNodeSelector`, a subset condition without a reason
 * gets `Unknown`). kruise-ts's controller and pod webhook read v1alpha1 through it.
 *
 * @example convert({ apiVersion: 'apps.kruise.io/v1alpha1', ..., spec: { subsets: [{ name: 'a', requiredNodeSelectorTerm: term }] } }, 'apps.kruise.io/v1beta1')
 *   → { kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1beta1', ..., spec: { subsets: [{ name: 'a', requiredNodeSelector: term }] } } }
 */
export const workloadSpreadConverter: Converter = versionConverter(
  KruiseResources.WorkloadSpread,
  { apiVersion: WORKLOADSPREAD_API_VERSION, schema: WorkloadSpreadSchema, convert: convertWorkloadSpreadToV1beta1 },
  { apiVersion: WORKLOADSPREAD_V1BETA1_API_VERSION, schema: WorkloadSpreadV1beta1Schema, convert: convertWorkloadSpreadToV1alpha1 },
);
