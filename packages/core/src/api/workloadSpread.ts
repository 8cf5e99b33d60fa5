import { z } from 'zod';
import { IntOrPercentSchema } from '../shared/intOrPercent.js';
import { LabelSelectorSchema } from '../shared/selector.js';
import { ObjectMetaSchema } from './objectMeta.js';
import { TargetReferenceSchema } from './persistentPodState.js';
import { NodeSelectorTermSchema, TolerationSchema, WeightedNodeSelectorTermSchema } from './podScheduling.js';

/**
 * `apps.kruise.io/v1alpha1` WorkloadSpread as OpenKruise serves it
 * (`apis/apps/v1alpha1/workloadspread_types.go`): spreads the pods of one workload over ordered
 * subsets of nodes, each with an optional cap (`maxReplicas`). The pod webhook picks the subset at
 * pod creation; the controller keeps `status.subsetStatuses` and the pods' deletion cost.
 */

/** `apiVersion` of a WorkloadSpread. */
export const WORKLOADSPREAD_API_VERSION = 'apps.kruise.io/v1alpha1';
/** `kind` of a WorkloadSpread. */
export const WORKLOADSPREAD_KIND = 'WorkloadSpread';

/** Pod annotation the webhook writes: `{"name":<workloadspread>,"subset":<subset>[,"uid":<generated id>]}`. */
export const MATCHED_WORKLOADSPREAD_ANNOTATION = 'apps.kruise.io/matched-workloadspread';

/** The subset condition the Adaptive strategy keeps: `Schedulable`. */
export const WORKLOADSPREAD_SUBSET_SCHEDULABLE = 'Schedulable';

/** Schema of `spec.targetRef`: the workload whose pods are spread (the shape PersistentPodState's targetRef has). */
export const WorkloadSpreadTargetReferenceSchema = TargetReferenceSchema;
/** The workload a WorkloadSpread spreads, e.g. `{ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web' }`. */
export type WorkloadSpreadTargetReference = z.infer<typeof WorkloadSpreadTargetReferenceSchema>;

/**
 * Schema of `spec.targetFilter`: spread only some of the workload's pods (OpenKruise's
 * `TargetFilter`, e.g. the workers of a TFJob).
 */
export const WorkloadSpreadTargetFilterSchema = z.looseObject({
  /** The pods managed: those it matches (set but empty: all; a filter without one: none, as OpenKruise's selector conversion reads a nil selector). */
  selector: LabelSelectorSchema.optional(),
  /**
   * Dot-separated paths into the workload (`spec.replicas`; numbers index lists, as
   * `spec.subsets.1.replicas`), their integers summed as the replicas of the filtered pods
   * (percentages of `maxReplicas` count against it); empty: the workload's own replicas.
   */
  replicasPathList: z.array(z.string()).optional(),
});
/** Which of the workload's pods a WorkloadSpread manages, and how many there should be. */
export type WorkloadSpreadTargetFilter = z.infer<typeof WorkloadSpreadTargetFilterSchema>;

/** Schema of one subset. */
export const WorkloadSpreadSubsetSchema = z.looseObject({
  /** Unique among the subsets. */
  name: z.string(),
  /** ANDed into every required node selector term of the pod. */
  requiredNodeSelectorTerm: NodeSelectorTermSchema.optional(),
  /** Appended to the pod's preferred node affinity. */
  preferredNodeSelectorTerms: z.array(WeightedNodeSelectorTermSchema).optional(),
  /** Appended to the pod's tolerations. */
  tolerations: z.array(TolerationSchema).optional(),
  /** Most pods in the subset: an int, or a percentage of the workload's replicas rounded up; unset = no limit. */
  maxReplicas: IntOrPercentSchema.optional(),
  /** A strategic merge patch applied to the pod. */
  patch: z.record(z.string(), z.unknown()).optional(),
});
/** One subset of a WorkloadSpread. */
export type WorkloadSpreadSubset = z.infer<typeof WorkloadSpreadSubsetSchema>;

/** Schema of `spec.scheduleStrategy`. */
export const WorkloadSpreadScheduleStrategySchema = z.looseObject({
  /** `Fixed` (default, also `""`) or `Adaptive`. */
  type: z.string().optional(),
  adaptive: z
    .looseObject({
      disableSimulationSchedule: z.boolean().optional(),
      /** Seconds a pod may stay unschedulable before its subset is marked unschedulable and the pod deleted. */
      rescheduleCriticalSeconds: z.number().int().optional(),
    })
    .optional(),
});
/** How a WorkloadSpread reacts to pods that cannot be scheduled. */
export type WorkloadSpreadScheduleStrategy = z.infer<typeof WorkloadSpreadScheduleStrategySchema>;

/** Schema of `spec`. */
export const WorkloadSpreadSpecSchema = z.looseObject({
  targetRef: WorkloadSpreadTargetReferenceSchema.optional(),
  targetFilter: WorkloadSpreadTargetFilterSchema.optional(),
  subsets: z.array(WorkloadSpreadSubsetSchema).default([]),
  scheduleStrategy: WorkloadSpreadScheduleStrategySchema.optional(),
});
/** The spec of a WorkloadSpread. */
export type WorkloadSpreadSpec = z.infer<typeof WorkloadSpreadSpecSchema>;

/** Schema of a subset condition (only `Schedulable` today). */
export const WorkloadSpreadSubsetConditionSchema = z.looseObject({
  type: z.string(),
  status: z.string(),
  lastTransitionTime: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
/** A subset condition. */
export type WorkloadSpreadSubsetCondition = z.infer<typeof WorkloadSpreadSubsetConditionSchema>;

/** Schema of one subset status. */
export const WorkloadSpreadSubsetStatusSchema = z.looseObject({
  name: z.string(),
  /** Active pods in the subset, as the controller last counted them. */
  replicas: z.number().int().default(0),
  conditions: z.array(WorkloadSpreadSubsetConditionSchema).optional(),
  /** Pods the subset may still take; −1 = unlimited. */
  missingReplicas: z.number().int(),
  /** Pod name (or generated uid) → RFC 3339 time the webhook admitted it, until the controller sees the pod. */
  creatingPods: z.record(z.string(), z.string()).optional(),
  /** Pod name → RFC 3339 time the webhook let it be deleted, until the controller sees it gone. */
  deletingPods: z.record(z.string(), z.string()).optional(),
});
/** The status of one subset. */
export type WorkloadSpreadSubsetStatus = z.infer<typeof WorkloadSpreadSubsetStatusSchema>;

/** Schema of `status`. */
export const WorkloadSpreadStatusSchema = z.looseObject({
  observedGeneration: z.number().int().optional(),
  subsetStatuses: z.array(WorkloadSpreadSubsetStatusSchema).optional(),
  /**
   * Subset statuses per pod version (pod-template-hash of a Deployment's pods, `versionIgnored`
   * otherwise), OpenKruise's answer to rolling updates that create before they delete: the pod
   * webhook places a pod by its version's list, each version counted against the full caps (see
   * `computeVersionedSubsetStatuses`, ADR 0017).
   */
  versionedSubsetStatuses: z.record(z.string(), z.array(WorkloadSpreadSubsetStatusSchema)).optional(),
});
/** The status of a WorkloadSpread. */
export type WorkloadSpreadStatus = z.infer<typeof WorkloadSpreadStatusSchema>;

/** Schema of an `apps.kruise.io/v1alpha1` WorkloadSpread. */
export const WorkloadSpreadSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: WorkloadSpreadSpecSchema,
  status: WorkloadSpreadStatusSchema.optional(),
});
/** A WorkloadSpread. */
export type WorkloadSpread = z.infer<typeof WorkloadSpreadSchema>;
