import { z } from 'zod';
import { UnitedDeploymentSchema, UnitedDeploymentStatusSchema } from './unitedDeployment.js';

/**
 * `apps.kruise.io/v1alpha1` UnitedDeployment, the version OpenKruise served first and still serves
 * (`apis/apps/v1alpha1/uniteddeployment_types.go`): the v1beta1 spec, and a status that keeps the
 * legacy `subsetReplicas` map and `updateStatus { updatedRevision, currentPartitions }` next to
 * `subsetStatuses`. Convert with `convertUnitedDeploymentToV1beta1` before running the algorithms.
 */

/** `apiVersion` of the v1alpha1 UnitedDeployment. */
export const UNITEDDEPLOYMENT_V1ALPHA1_API_VERSION = 'apps.kruise.io/v1alpha1';

/** Schema of the v1alpha1 `status`: `updateStatus` where v1beta1 has `updatedRevision`, plus `subsetReplicas`. */
export const UnitedDeploymentV1alpha1StatusSchema = UnitedDeploymentStatusSchema.omit({ updatedRevision: true }).extend({
  /** Replicas allocated to each subset. */
  subsetReplicas: z.record(z.string(), z.int32()).optional(),
  updateStatus: z
    .looseObject({
      /** The latest revision's name. */
      updatedRevision: z.string().optional(),
      /** The partition given to each subset. */
      currentPartitions: z.record(z.string(), z.int32()).optional(),
    })
    .optional(),
});
/** The observed state of a v1alpha1 UnitedDeployment. */
export type UnitedDeploymentV1alpha1Status = z.infer<typeof UnitedDeploymentV1alpha1StatusSchema>;

/** Schema of an `apps.kruise.io/v1alpha1` UnitedDeployment. */
export const UnitedDeploymentV1alpha1Schema = UnitedDeploymentSchema.extend({ status: UnitedDeploymentV1alpha1StatusSchema.optional() });
/** An `apps.kruise.io/v1alpha1` UnitedDeployment. */
export type UnitedDeploymentV1alpha1 = z.infer<typeof UnitedDeploymentV1alpha1Schema>;
