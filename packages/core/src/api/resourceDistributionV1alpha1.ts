import type { z } from 'zod';
import { ResourceDistributionSchema } from './resourceDistribution.js';

/**
 * `apps.kruise.io/v1alpha1` ResourceDistribution, the version OpenKruise served first and still
 * serves (`apis/apps/v1alpha1/resourcedistribution_types.go`): the same fields as v1beta1
 * (OpenKruise's conversion copies each one). Convert with `convertResourceDistributionToV1beta1`
 * before running the algorithms.
 */

/** `apiVersion` of the v1alpha1 ResourceDistribution. */
export const RESOURCEDISTRIBUTION_V1ALPHA1_API_VERSION = 'apps.kruise.io/v1alpha1';

/** Schema of an `apps.kruise.io/v1alpha1` ResourceDistribution: the v1beta1 fields. */
export const ResourceDistributionV1alpha1Schema = ResourceDistributionSchema;
/** An `apps.kruise.io/v1alpha1` ResourceDistribution. */
export type ResourceDistributionV1alpha1 = z.infer<typeof ResourceDistributionV1alpha1Schema>;
