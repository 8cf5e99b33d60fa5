import { z } from 'zod';
import { ObjectMetaSchema } from './objectMeta.js';
import { NodeSelectorTermSchema, WeightedNodeSelectorTermSchema } from './podScheduling.js';
import {
  WorkloadSpreadScheduleStrategySchema,
  WorkloadSpreadSubsetConditionSchema,
  WorkloadSpreadSubsetSchema,
  WorkloadSpreadSubsetStatusSchema,
  WorkloadSpreadTargetFilterSchema,
  WorkloadSpreadTargetReferenceSchema,
} from './workloadSpread.js';

/**
 * `apps.kruise.io/v1beta1` WorkloadSpread, OpenKruise's storage version
 * (`apis/apps/v1beta1/workloadspread_types.go`): v1alpha1's fields with two subset fields renamed
 * (`requiredNodeSelectorTerm` → `requiredNodeSelector`, `preferredNodeSelectorTerms` →
 * `preferredNodeSelector`) and subset conditions as `metav1.Condition` (a `reason` always set).
 * kruise-ts stores this version and runs its algorithms on the v1alpha1 shape, converting with
 * `convertWorkloadSpreadToV1alpha1` / `convertWorkloadSpreadToV1beta1`.
 */

/** `apiVersion` of the v1beta1 (storage) WorkloadSpread. */
export const WORKLOADSPREAD_V1BETA1_API_VERSION = 'apps.kruise.io/v1beta1';

/** Schema of one v1beta1 subset: v1alpha1's, its node selectors renamed. */
export const WorkloadSpreadSubsetV1beta1Schema = WorkloadSpreadSubsetSchema.omit({ requiredNodeSelectorTerm: true, preferredNodeSelectorTerms: true }).extend({
  /** v1alpha1's `requiredNodeSelectorTerm`. */
  requiredNodeSelector: NodeSelectorTermSchema.optional(),
  /** v1alpha1's `preferredNodeSelectorTerms`. */
  preferredNodeSelector: z.array(WeightedNodeSelectorTermSchema).optional(),
});
/** One subset of a v1beta1 WorkloadSpread. */
export type WorkloadSpreadSubsetV1beta1 = z.infer<typeof WorkloadSpreadSubsetV1beta1Schema>;

/** Schema of one v1beta1 subset status: v1alpha1's, its conditions `metav1.Condition`s (with `observedGeneration`). */
export const WorkloadSpreadSubsetStatusV1beta1Schema = WorkloadSpreadSubsetStatusSchema.extend({
  conditions: z.array(WorkloadSpreadSubsetConditionSchema.extend({ observedGeneration: z.number().int().optional() })).optional(),
});
/** The status of one subset (v1beta1). */
export type WorkloadSpreadSubsetStatusV1beta1 = z.infer<typeof WorkloadSpreadSubsetStatusV1beta1Schema>;

/** Schema of an `apps.kruise.io/v1beta1` WorkloadSpread. */
export const WorkloadSpreadV1beta1Schema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: z.looseObject({
    targetRef: WorkloadSpreadTargetReferenceSchema.optional(),
    targetFilter: WorkloadSpreadTargetFilterSchema.optional(),
    subsets: z.array(WorkloadSpreadSubsetV1beta1Schema).default([]),
    scheduleStrategy: WorkloadSpreadScheduleStrategySchema.optional(),
  }),
  status: z
    .looseObject({
      observedGeneration: z.number().int().optional(),
      subsetStatuses: z.array(WorkloadSpreadSubsetStatusV1beta1Schema).optional(),
      versionedSubsetStatuses: z.record(z.string(), z.array(WorkloadSpreadSubsetStatusV1beta1Schema)).optional(),
    })
    .optional(),
});
/** An `apps.kruise.io/v1beta1` WorkloadSpread. */
export type WorkloadSpreadV1beta1 = z.infer<typeof WorkloadSpreadV1beta1Schema>;
