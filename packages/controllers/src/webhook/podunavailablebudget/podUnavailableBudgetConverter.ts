import {
  PUB_API_VERSION,
  PUB_V1ALPHA1_API_VERSION,
  PodUnavailableBudgetSchema,
  PodUnavailableBudgetV1alpha1Schema,
  convertPodUnavailableBudgetToV1alpha1,
  convertPodUnavailableBudgetToV1beta1,
} from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import type { Converter } from '../admissionTypes.js';
import { versionConverter } from '../versionConverter.js';

/**
 * The PodUnavailableBudget conversion webhook: `policy.kruise.io/v1alpha1` ⇄ `policy.kruise.io/v1beta1`
 * through core's conversions (the protect-operations and protect-total-replicas annotations ⇄
 * fields; `ignoredPodSelector` has no v1alpha1 form).
 *
 * @example convert({ apiVersion: 'policy.kruise.io/v1beta1', kind: 'PodUnavailableBudget', spec: { protectOperations: ['EVICT'], ... } }, 'policy.kruise.io/v1alpha1')
 *   → annotations { 'kruise.io/pub-protect-operations': 'EVICT' }
 */
export const podUnavailableBudgetConverter: Converter = versionConverter(
  KruiseResources.PodUnavailableBudget,
  { apiVersion: PUB_V1ALPHA1_API_VERSION, schema: PodUnavailableBudgetV1alpha1Schema, convert: convertPodUnavailableBudgetToV1beta1 },
  { apiVersion: PUB_API_VERSION, schema: PodUnavailableBudgetSchema, convert: convertPodUnavailableBudgetToV1alpha1 },
);
