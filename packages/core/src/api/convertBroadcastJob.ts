import type { BroadcastJob } from './broadcastJob.js';
import { BROADCASTJOB_API_VERSION } from './broadcastJobSpec.js';
import { BROADCASTJOB_V1ALPHA1_API_VERSION, type BroadcastJobV1alpha1 } from './broadcastJobV1alpha1.js';

/*
 * Conversion between the two BroadcastJob versions. OpenKruise's
 * (apis/apps/v1alpha1/broadcastjob_conversion.go) copies every field one to one (parallelism,
 * template, completionPolicy, paused, failurePolicy, the status); only the apiVersion changes and
 * unknown fields are carried over, so both round trips are the identity.
 */

/**
 * Returns the `apps.kruise.io/v1beta1` form of a v1alpha1 BroadcastJob: the same fields, the
 * apiVersion changed (when the object has one). The input is not modified.
 *
 * @example convertBroadcastJobToV1beta1({ apiVersion: 'apps.kruise.io/v1alpha1', spec: { parallelism: 2, template } })
 *   → { apiVersion: 'apps.kruise.io/v1beta1', spec: { parallelism: 2, template } }
 */
export function convertBroadcastJobToV1beta1(job: BroadcastJobV1alpha1): BroadcastJob {
  return job.apiVersion === undefined ? { ...job } : { ...job, apiVersion: BROADCASTJOB_API_VERSION };
}

/**
 * Returns the `apps.kruise.io/v1alpha1` form of a v1beta1 BroadcastJob: the same fields, the
 * apiVersion changed (when the object has one). The input is not modified.
 *
 * @example convertBroadcastJobToV1alpha1({ apiVersion: 'apps.kruise.io/v1beta1', spec }) → { apiVersion: 'apps.kruise.io/v1alpha1', spec }
 */
export function convertBroadcastJobToV1alpha1(job: BroadcastJob): BroadcastJobV1alpha1 {
  return job.apiVersion === undefined ? { ...job } : { ...job, apiVersion: BROADCASTJOB_V1ALPHA1_API_VERSION };
}
