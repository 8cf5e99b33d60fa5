import type { z } from 'zod';
import { AdvancedCronJobSchema } from './advancedCronJob.js';

/**
 * `apps.kruise.io/v1alpha1` AdvancedCronJob, the version OpenKruise served first and still serves
 * (`apis/apps/v1alpha1/advancedcronjob_types.go`). Its fields are v1beta1's (OpenKruise's
 * conversion copies each one); only v1beta1 has `imageListPullJobTemplate`, which kruise-ts does
 * not support yet. Convert with `convertAdvancedCronJobToV1beta1` before running the algorithms.
 */

/** `apiVersion` of the v1alpha1 AdvancedCronJob. */
export const ADVANCEDCRONJOB_V1ALPHA1_API_VERSION = 'apps.kruise.io/v1alpha1';

/** Schema of an `apps.kruise.io/v1alpha1` AdvancedCronJob: the v1beta1 fields. */
export const AdvancedCronJobV1alpha1Schema = AdvancedCronJobSchema;
/** An `apps.kruise.io/v1alpha1` AdvancedCronJob. */
export type AdvancedCronJobV1alpha1 = z.infer<typeof AdvancedCronJobV1alpha1Schema>;
