import { ADVANCEDCRONJOB_API_VERSION, type AdvancedCronJob } from './advancedCronJob.js';
import { ADVANCEDCRONJOB_V1ALPHA1_API_VERSION, type AdvancedCronJobV1alpha1 } from './advancedCronJobV1alpha1.js';

/*
 * Conversion between the two AdvancedCronJob versions. OpenKruise's
 * (apis/apps/v1alpha1/advancedcronjob_conversion.go) copies every field one to one: schedule,
 * timeZone, startingDeadlineSeconds, concurrencyPolicy, paused, the history limits, jobTemplate,
 * broadcastJobTemplate (field by field, the same names in both versions) and the status. Only the
 * apiVersion changes; unknown fields are carried over, so both round trips are the identity.
 * Only v1beta1 has `imageListPullJobTemplate`: OpenKruise refuses to convert such an object down
 * ("imageListPullJobTemplate is not supported in v1alpha1"), and so does the conversion webhook,
 * asking `advancedCronJobV1alpha1Refusal` first.
 */

/**
 * Returns why a v1beta1 AdvancedCronJob cannot be served as v1alpha1 (it has an
 * `imageListPullJobTemplate`, OpenKruise's `ConvertFrom` error), undefined when it can.
 *
 * @example advancedCronJobV1alpha1Refusal({ spec: { schedule, template: { imageListPullJobTemplate } } }) // 'imageListPullJobTemplate is not supported in v1alpha1'
 */
export function advancedCronJobV1alpha1Refusal(acj: AdvancedCronJob): string | undefined {
  return acj.spec.template.imageListPullJobTemplate === undefined ? undefined : 'imageListPullJobTemplate is not supported in v1alpha1';
}

/**
 * Returns the `apps.kruise.io/v1beta1` form of a v1alpha1 AdvancedCronJob: the same fields, the
 * apiVersion changed (when the object has one). The input is not modified.
 *
 * @example convertAdvancedCronJobToV1beta1({ apiVersion: 'apps.kruise.io/v1alpha1', spec: { schedule: '@hourly', template } })
 *   → { apiVersion: 'apps.kruise.io/v1beta1', spec: { schedule: '@hourly', template } }
 */
export function convertAdvancedCronJobToV1beta1(acj: AdvancedCronJobV1alpha1): AdvancedCronJob {
  return acj.apiVersion === undefined ? { ...acj } : { ...acj, apiVersion: ADVANCEDCRONJOB_API_VERSION };
}

/**
 * Returns the `apps.kruise.io/v1alpha1` form of a v1beta1 AdvancedCronJob: the same fields, the
 * apiVersion changed (when the object has one). The input is not modified. Ask
 * {@link advancedCronJobV1alpha1Refusal} first: an `imageListPullJobTemplate` has no v1alpha1 form.
 *
 * @example convertAdvancedCronJobToV1alpha1({ apiVersion: 'apps.kruise.io/v1beta1', spec }) → { apiVersion: 'apps.kruise.io/v1alpha1', spec }
 */
export function convertAdvancedCronJobToV1alpha1(acj: AdvancedCronJob): AdvancedCronJobV1alpha1 {
  return acj.apiVersion === undefined ? { ...acj } : { ...acj, apiVersion: ADVANCEDCRONJOB_V1ALPHA1_API_VERSION };
}
