import type { z } from 'zod';
import { AdvancedCronJobSchema, AdvancedCronJobSpecSchema, CronJobTemplateV1alpha1Schema } from './advancedCronJob.js';

/**
 * `apps.kruise.io/v1alpha1` AdvancedCronJob, the version OpenKruise served first and still serves
 * (`apis/apps/v1alpha1/advancedcronjob_types.go`). Its fields are v1beta1's (OpenKruise's
 * conversion copies each one) but for `imageListPullJobTemplate`, which only v1beta1 has (and
 * `status.type` is only ever `Job` or `BroadcastJob`). Convert with `convertAdvancedCronJobToV1beta1` before
 * running the algorithms.
 */

/** `apiVersion` of the v1alpha1 AdvancedCronJob. */
export const ADVANCEDCRONJOB_V1ALPHA1_API_VERSION = 'apps.kruise.io/v1alpha1';

/** Schema of an `apps.kruise.io/v1alpha1` AdvancedCronJob: the v1beta1 fields without `imageListPullJobTemplate`. */
export const AdvancedCronJobV1alpha1Schema = AdvancedCronJobSchema.extend({
  spec: AdvancedCronJobSpecSchema.extend({ template: CronJobTemplateV1alpha1Schema }),
});
/** An `apps.kruise.io/v1alpha1` AdvancedCronJob. */
export type AdvancedCronJobV1alpha1 = z.infer<typeof AdvancedCronJobV1alpha1Schema>;
