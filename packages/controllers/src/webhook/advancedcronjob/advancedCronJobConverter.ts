import {
  ADVANCEDCRONJOB_API_VERSION,
  ADVANCEDCRONJOB_V1ALPHA1_API_VERSION,
  AdvancedCronJobSchema,
  AdvancedCronJobV1alpha1Schema,
  convertAdvancedCronJobToV1alpha1,
  convertAdvancedCronJobToV1beta1,
} from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import type { Converter } from '../admissionTypes.js';
import { versionConverter } from '../versionConverter.js';

/**
 * The AdvancedCronJob conversion webhook: `apps.kruise.io/v1alpha1` ⇄ `apps.kruise.io/v1beta1`
 * through core's `convertAdvancedCronJobToV1beta1` / `convertAdvancedCronJobToV1alpha1` (v1beta1 is
 * stored; the two versions have the same fields, so only the apiVersion changes).
 *
 * @example convert({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'AdvancedCronJob', spec }, 'apps.kruise.io/v1alpha1')
 *   → { kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'AdvancedCronJob', spec } }
 */
export const advancedCronJobConverter: Converter = versionConverter(
  KruiseResources.AdvancedCronJob,
  { apiVersion: ADVANCEDCRONJOB_V1ALPHA1_API_VERSION, schema: AdvancedCronJobV1alpha1Schema, convert: convertAdvancedCronJobToV1beta1 },
  { apiVersion: ADVANCEDCRONJOB_API_VERSION, schema: AdvancedCronJobSchema, convert: convertAdvancedCronJobToV1alpha1 },
);
