import {
  ADVANCEDCRONJOB_API_VERSION,
  ADVANCEDCRONJOB_V1ALPHA1_API_VERSION,
  AdvancedCronJobSchema,
  AdvancedCronJobV1alpha1Schema,
  advancedCronJobV1alpha1Refusal,
  convertAdvancedCronJobToV1alpha1,
  convertAdvancedCronJobToV1beta1,
} from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import type { Converter } from '../admissionTypes.js';
import { versionConverter } from '../versionConverter.js';

const bothWays: Converter = versionConverter(
  KruiseResources.AdvancedCronJob,
  { apiVersion: ADVANCEDCRONJOB_V1ALPHA1_API_VERSION, schema: AdvancedCronJobV1alpha1Schema, convert: convertAdvancedCronJobToV1beta1 },
  { apiVersion: ADVANCEDCRONJOB_API_VERSION, schema: AdvancedCronJobSchema, convert: convertAdvancedCronJobToV1alpha1 },
);

/**
 * The AdvancedCronJob conversion webhook: `apps.kruise.io/v1alpha1` ⇄ `apps.kruise.io/v1beta1`
 * through core's `convertAdvancedCronJobToV1beta1` / `convertAdvancedCronJobToV1alpha1` (v1beta1 is
 * stored; the two versions have the same fields, so only the apiVersion changes). A v1beta1 object
 * with an `imageListPullJobTemplate` has no v1alpha1 form: that conversion fails with OpenKruise's
 * message (`advancedCronJobV1alpha1Refusal`), as OpenKruise's `ConvertFrom` does.
 *
 * @example convert({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'AdvancedCronJob', spec }, 'apps.kruise.io/v1alpha1')
 *   → { kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'AdvancedCronJob', spec } }
 * @example the same with `spec.template.imageListPullJobTemplate` → { kind: 'failed', message: 'imageListPullJobTemplate is not supported in v1alpha1' }
 */
export const advancedCronJobConverter: Converter = {
  ...bothWays,
  convert(object, desiredAPIVersion) {
    if (object.apiVersion === ADVANCEDCRONJOB_API_VERSION && desiredAPIVersion === ADVANCEDCRONJOB_V1ALPHA1_API_VERSION) {
      const parsed = AdvancedCronJobSchema.safeParse(object);
      const refusal = parsed.success ? advancedCronJobV1alpha1Refusal(parsed.data) : undefined;
      if (refusal !== undefined) return { kind: 'failed', message: refusal };
    }
    return bothWays.convert(object, desiredAPIVersion);
  },
};
