import { z } from 'zod';
import { IntOrPercentSchema } from '../shared/intOrPercent.js';
import { LabelSelectorSchema } from '../shared/selector.js';
import { CloneSetSpecSchema } from './cloneSet.js';
import { ObjectMetaSchema } from './objectMeta.js';
import { PodTemplateSpecSchema } from './pod.js';
import { NodeSelectorTermSchema, TolerationSchema } from './podScheduling.js';
import { StatefulSetSpecSchema } from './statefulSet.js';

/**
 * `apps.kruise.io/v1beta1` UnitedDeployment, the storage version: one workload spread over several
 * topology domains (subsets), each run by its own child workload (a StatefulSet, an Advanced
 * StatefulSet, a CloneSet or a Deployment). Every object is a `looseObject`; optional fields are
 * optional exactly as in OpenKruise's Go types (`apis/apps/v1beta1/uniteddeployment_types.go`).
 */

/** `apiVersion` of the v1beta1 (storage) UnitedDeployment. */
export const UNITEDDEPLOYMENT_API_VERSION = 'apps.kruise.io/v1beta1';
/** `kind` of a UnitedDeployment. */
export const UNITEDDEPLOYMENT_KIND = 'UnitedDeployment';
/** Default `rescheduleCriticalSeconds` of the Adaptive strategy (OpenKruise's `DefaultRescheduleCriticalDuration`). */
export const DEFAULT_RESCHEDULE_CRITICAL_SECONDS = 30;
/** Default `unschedulableDuration` of the Adaptive strategy (OpenKruise's `DefaultUnschedulableStatusLastDuration`). */
export const DEFAULT_UNSCHEDULABLE_DURATION_SECONDS = 300;

// The child templates keep their metadata and the apps/v1 specs schemaless, as the CRD does; the
// selector of a child is written by the controller, so it is optional here.
const TemplateMetaSchema = ObjectMetaSchema.optional();
const AppsV1SpecSchema = z.looseObject({
  replicas: z.int32().optional(),
  selector: LabelSelectorSchema.optional(),
  template: PodTemplateSpecSchema,
});

/** Schema of `template.statefulSetTemplate`: an `apps/v1` StatefulSet's metadata and spec. */
export const StatefulSetTemplateSpecSchema = z.looseObject({ metadata: TemplateMetaSchema, spec: AppsV1SpecSchema });
/** Schema of `template.advancedStatefulSetTemplate`: an Advanced StatefulSet's metadata and spec. */
export const AdvancedStatefulSetTemplateSpecSchema = z.looseObject({ metadata: TemplateMetaSchema, spec: StatefulSetSpecSchema.partial({ selector: true }) });
/** Schema of `template.cloneSetTemplate`: a CloneSet's metadata and spec. */
export const CloneSetTemplateSpecSchema = z.looseObject({ metadata: TemplateMetaSchema, spec: CloneSetSpecSchema.partial({ selector: true }) });
/** Schema of `template.deploymentTemplate`: an `apps/v1` Deployment's metadata and spec. */
export const DeploymentTemplateSpecSchema = z.looseObject({ metadata: TemplateMetaSchema, spec: AppsV1SpecSchema });

/** Schema of `spec.template`: exactly one of the four child templates (validation checks "exactly one"). */
export const SubsetTemplateSchema = z.looseObject({
  statefulSetTemplate: StatefulSetTemplateSpecSchema.optional(),
  advancedStatefulSetTemplate: AdvancedStatefulSetTemplateSpecSchema.optional(),
  cloneSetTemplate: CloneSetTemplateSpecSchema.optional(),
  deploymentTemplate: DeploymentTemplateSpecSchema.optional(),
});
/** The child workload template of a UnitedDeployment. */
export type SubsetTemplate = z.infer<typeof SubsetTemplateSchema>;

/** Schema of one `topology.subsets[]` entry. */
export const SubsetSchema = z.looseObject({
  /** DNS label, unique in the UnitedDeployment; children are named `<ud>-<subset>-<random>`. */
  name: z.string(),
  /** Added to the pods' required node affinity (may not change in an update). */
  nodeSelectorTerm: NodeSelectorTermSchema.optional(),
  /** Added to the pods' tolerations (may not change in an update). */
  tolerations: z.array(TolerationSchema).optional(),
  /** Replicas of this subset: a count or a percentage of `spec.replicas` (rounded half up); unset = share of the rest. */
  replicas: IntOrPercentSchema.optional(),
  /** Lower bound of the elastic allocation (count or percentage). */
  minReplicas: IntOrPercentSchema.optional(),
  /** Upper bound of the elastic allocation (count or percentage); unset = no bound. */
  maxReplicas: IntOrPercentSchema.optional(),
  /** Strategic merge patch of the child's pod template (schemaless). */
  patch: z.record(z.string(), z.unknown()).optional(),
});
/** One subset (topology domain) of a UnitedDeployment. */
export type Subset = z.infer<typeof SubsetSchema>;

/** Schema of `topology.scheduleStrategy.adaptive`. */
export const AdaptiveUnitedDeploymentStrategySchema = z.looseObject({
  /** Seconds a pod may stay unschedulable before its subset counts as unschedulable (default 30). */
  rescheduleCriticalSeconds: z.int32().optional(),
  /** Seconds a subset stays unschedulable before it is tried again (default 300). */
  unschedulableDuration: z.int32().optional(),
  /** Keep the pending pods (reserved) and run temporary substitutes elsewhere. */
  reserveUnschedulablePods: z.boolean().optional(),
});
/** Parameters of the Adaptive schedule strategy. */
export type AdaptiveUnitedDeploymentStrategy = z.infer<typeof AdaptiveUnitedDeploymentStrategySchema>;

/** Schema of `topology.scheduleStrategy`. */
export const UnitedDeploymentScheduleStrategySchema = z.looseObject({
  /** `Fixed` (default: pods stay in their subset) or `Adaptive` (replicas move away from unschedulable subsets). */
  type: z.enum(['Adaptive', 'Fixed', '']).optional(),
  adaptive: AdaptiveUnitedDeploymentStrategySchema.optional(),
});
/** How a UnitedDeployment reacts to subsets whose pods cannot be scheduled. */
export type UnitedDeploymentScheduleStrategy = z.infer<typeof UnitedDeploymentScheduleStrategySchema>;

/** Schema of `spec.topology`. */
export const TopologySchema = z.looseObject({
  subsets: z.array(SubsetSchema).optional(),
  scheduleStrategy: UnitedDeploymentScheduleStrategySchema.optional(),
});
/** The subsets of a UnitedDeployment and how replicas move between them. */
export type Topology = z.infer<typeof TopologySchema>;

/** Schema of `spec.updateStrategy`. */
export const UnitedDeploymentUpdateStrategySchema = z.looseObject({
  /** Only `Manual` (the default). */
  type: z.enum(['Manual', '']).optional(),
  manualUpdate: z.looseObject({ partitions: z.record(z.string(), z.int32()).optional() }).optional(),
});
/** How the children are updated: the partition of each subset. */
export type UnitedDeploymentUpdateStrategy = z.infer<typeof UnitedDeploymentUpdateStrategySchema>;

/** Schema of the v1beta1 `spec`. */
export const UnitedDeploymentSpecSchema = z.looseObject({
  /** Total replicas over the subsets (default 1). */
  replicas: z.int32().optional(),
  /** Label query over pods; must match the child template's labels. */
  selector: LabelSelectorSchema,
  template: SubsetTemplateSchema.optional(),
  topology: TopologySchema.optional(),
  updateStrategy: UnitedDeploymentUpdateStrategySchema.optional(),
  /** Revisions kept in history (default 10). */
  revisionHistoryLimit: z.int32().optional(),
});
/** The v1beta1 spec of a UnitedDeployment. */
export type UnitedDeploymentSpec = z.infer<typeof UnitedDeploymentSpecSchema>;

/** Schema of a condition (UnitedDeployment's or a subset's; times are RFC 3339 strings). */
export const UnitedDeploymentConditionSchema = z.looseObject({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  lastTransitionTime: z.string().nullish(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
/** A condition of a UnitedDeployment (`SubsetProvisioned`, `SubsetUpdated`, `SubsetFailure`, `UnitedDeploymentUpdated`) or a subset (`Schedulable`). */
export type UnitedDeploymentCondition = z.infer<typeof UnitedDeploymentConditionSchema>;

/** Schema of one `status.subsetStatuses[]` entry. */
export const UnitedDeploymentSubsetStatusSchema = z.looseObject({
  name: z.string().optional(),
  /** Replicas the child reports. */
  replicas: z.int32().optional(),
  readyReplicas: z.int32().optional(),
  /** The partition given to the child. */
  partition: z.int32().optional(),
  /** Pods kept reserved (Adaptive with reserveUnschedulablePods). */
  reservedPods: z.int32().optional(),
  conditions: z.array(UnitedDeploymentConditionSchema).optional(),
});
/** The observed state of one subset. */
export type UnitedDeploymentSubsetStatus = z.infer<typeof UnitedDeploymentSubsetStatusSchema>;

/** Schema of the v1beta1 `status`. */
export const UnitedDeploymentStatusSchema = z.looseObject({
  observedGeneration: z.int().optional(),
  readyReplicas: z.int32().optional(),
  replicas: z.int32().optional(),
  updatedReplicas: z.int32().optional(),
  reservedPods: z.int32().optional(),
  updatedReadyReplicas: z.int32().optional(),
  collisionCount: z.int32().optional(),
  currentRevision: z.string().optional(),
  /** The latest revision's name (v1alpha1: `updateStatus.updatedRevision`). */
  updatedRevision: z.string().optional(),
  /** Per subset: replicas, ready replicas, partition, reserved pods, conditions (v1alpha1 also has `subsetReplicas` and `updateStatus.currentPartitions`). */
  subsetStatuses: z.array(UnitedDeploymentSubsetStatusSchema).optional(),
  conditions: z.array(UnitedDeploymentConditionSchema).optional(),
  /** The selector as a string, for the scale subresource (HPA). */
  labelSelector: z.string().optional(),
});
/** The observed state of a UnitedDeployment. */
export type UnitedDeploymentStatus = z.infer<typeof UnitedDeploymentStatusSchema>;

/** Schema of an `apps.kruise.io/v1beta1` UnitedDeployment. */
export const UnitedDeploymentSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: UnitedDeploymentSpecSchema,
  status: UnitedDeploymentStatusSchema.optional(),
});
/** A UnitedDeployment (`apps.kruise.io/v1beta1`). */
export type UnitedDeployment = z.infer<typeof UnitedDeploymentSchema>;
