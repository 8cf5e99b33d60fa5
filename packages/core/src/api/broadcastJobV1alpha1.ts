import type { z } from 'zod';
import { BroadcastJobSchema } from './broadcastJob.js';

/**
 * `apps.kruise.io/v1alpha1` BroadcastJob, the version OpenKruise served first and still serves
 * (`apis/apps/v1alpha1/broadcastjob_types.go`): the same fields as v1beta1 (OpenKruise's conversion
 * copies each one). Convert with `convertBroadcastJobToV1beta1` before running the algorithms.
 */

/** `apiVersion` of the v1alpha1 BroadcastJob. */
export const BROADCASTJOB_V1ALPHA1_API_VERSION = 'apps.kruise.io/v1alpha1';

/** Schema of an `apps.kruise.io/v1alpha1` BroadcastJob: the v1beta1 fields. */
export const BroadcastJobV1alpha1Schema = BroadcastJobSchema;
/** An `apps.kruise.io/v1alpha1` BroadcastJob. */
export type BroadcastJobV1alpha1 = z.infer<typeof BroadcastJobV1alpha1Schema>;
