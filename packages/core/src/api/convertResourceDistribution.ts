import { RESOURCEDISTRIBUTION_API_VERSION, type ResourceDistribution } from './resourceDistribution.js';
import { RESOURCEDISTRIBUTION_V1ALPHA1_API_VERSION, type ResourceDistributionV1alpha1 } from './resourceDistributionV1alpha1.js';

/*
 * Conversion between the two ResourceDistribution versions: OpenKruise's
 * (apis/apps/v1alpha1/resourcedistribution_conversion.go) copies resource, targets and status
 * field by field, the same names in both versions. Only the apiVersion changes; unknown fields are
 * carried over, so both round trips are the identity.
 */

/**
 * Returns the `apps.kruise.io/v1beta1` form of a v1alpha1 ResourceDistribution: the same fields,
 * the apiVersion changed (when the object has one). The input is not modified.
 *
 * @example convertResourceDistributionToV1beta1({ apiVersion: 'apps.kruise.io/v1alpha1', spec }) → { apiVersion: 'apps.kruise.io/v1beta1', spec }
 */
export function convertResourceDistributionToV1beta1(rd: ResourceDistributionV1alpha1): ResourceDistribution {
  return rd.apiVersion === undefined ? { ...rd } : { ...rd, apiVersion: RESOURCEDISTRIBUTION_API_VERSION };
}

/**
 * Returns the `apps.kruise.io/v1alpha1` form of a v1beta1 ResourceDistribution: the same fields,
 * the apiVersion changed (when the object has one). The input is not modified.
 *
 * @example convertResourceDistributionToV1alpha1({ apiVersion: 'apps.kruise.io/v1beta1', spec }) → { apiVersion: 'apps.kruise.io/v1alpha1', spec }
 */
export function convertResourceDistributionToV1alpha1(rd: ResourceDistribution): ResourceDistributionV1alpha1 {
  return rd.apiVersion === undefined ? { ...rd } : { ...rd, apiVersion: RESOURCEDISTRIBUTION_V1ALPHA1_API_VERSION };
}
