import { z } from 'zod';
import { IntOrPercentSchema } from '../shared/intOrPercent.js';
import { LabelSelectorSchema } from '../shared/selector.js';
import { ObjectMetaSchema } from './objectMeta.js';
import { PersistentVolumeClaimSchema, PodTemplateSpecSchema } from './pod.js';
import {
  InPlaceUpdateStrategySchema,
  LifecycleSchema,
  UpdatePriorityStrategySchema,
  UpdateScatterStrategySchema,
} from './pub.js';

/**
 * `apps.kruise.io/v1beta1` CloneSet, the storage version. Every object is a `looseObject`:
 * fields this model does not name survive a parse. Optional fields are optional exactly as in
 * OpenKruise's Go types; defaults are applied by `withCloneSetDefaults`, not by the schema.
 */

/** API group of CloneSet. */
export const CLONESET_GROUP = 'apps.kruise.io';
/** `apiVersion` of the v1beta1 (storage) CloneSet. */
export const CLONESET_API_VERSION = 'apps.kruise.io/v1beta1';
/** `kind` of a CloneSet. */
export const CLONESET_KIND = 'CloneSet';
/** Default `updateStrategy.rollingUpdate.maxUnavailable` of a CloneSet. */
export const DEFAULT_CLONESET_MAX_UNAVAILABLE = '20%';

/** Schema of the v1beta1 `updateStrategy.type`: `RollingUpdate` (controller updates) or `OnDelete`. */
export const CloneSetUpdateStrategyTypeSchema = z.enum(['RollingUpdate', 'OnDelete']);
/** `RollingUpdate` (the controller updates pods) or `OnDelete` (pods are updated when deleted). */
export type CloneSetUpdateStrategyType = z.infer<typeof CloneSetUpdateStrategyTypeSchema>;

/** Schema of `rollingUpdate.podUpdatePolicy`: how one pod is updated. */
export const CloneSetPodUpdatePolicySchema = z.enum(['ReCreate', 'InPlaceIfPossible', 'InPlaceOnly']);
/**
 * `ReCreate` (delete and create), `InPlaceIfPossible` (in place when only eligible fields change,
 * else recreate) or `InPlaceOnly` (in place; an ineligible change is an error).
 */
export type CloneSetPodUpdatePolicy = z.infer<typeof CloneSetPodUpdatePolicySchema>;

/** Schema of `spec.scaleStrategy`. */
export const CloneSetScaleStrategySchema = z.looseObject({
  /** Names of pods to delete; the controller drops names of pods that no longer exist. */
  podsToDelete: z.array(z.string()).optional(),
  /** Most pods that may be unavailable while scaling up (int or percentage, rounded up). */
  maxUnavailable: IntOrPercentSchema.optional(),
  /** Reuse the PVCs of a vanished pod for a new pod with the same instance id (default false in v1beta1). */
  enablePVCReuse: z.boolean().optional(),
  /** Leave PreparingDelete pods out of the replica count. */
  excludePreparingDelete: z.boolean().optional(),
});
/** How a CloneSet creates and deletes pods. */
export type CloneSetScaleStrategy = z.infer<typeof CloneSetScaleStrategySchema>;

/** Schema of `spec.updateStrategy.rollingUpdate`. */
export const RollingUpdateCloneSetStrategySchema = z.looseObject({
  /** Pods kept on old revisions (int or percentage, rounded up; see `calculatePartitionReplicas`). */
  partition: IntOrPercentSchema.optional(),
  /** Most pods unavailable during update (default 20%; rounds up when maxSurge is 0, else down). */
  maxUnavailable: IntOrPercentSchema.optional(),
  /** Most pods above replicas during update or specified deletion (default 0, rounds up). */
  maxSurge: IntOrPercentSchema.optional(),
  podUpdatePolicy: CloneSetPodUpdatePolicySchema.optional(),
  /** Stop updating pods (scaling continues). */
  paused: z.boolean().optional(),
  priorityStrategy: UpdatePriorityStrategySchema.optional(),
  scatterStrategy: UpdateScatterStrategySchema.optional(),
  inPlaceUpdateStrategy: InPlaceUpdateStrategySchema.optional(),
});
/** Rolling update parameters of a CloneSet. */
export type RollingUpdateCloneSetStrategy = z.infer<typeof RollingUpdateCloneSetStrategySchema>;

/** Schema of `spec.updateStrategy`. */
export const CloneSetUpdateStrategySchema = z.looseObject({
  type: CloneSetUpdateStrategyTypeSchema.optional(),
  rollingUpdate: RollingUpdateCloneSetStrategySchema.optional(),
});
/** How a CloneSet updates its pods when the template changes. */
export type CloneSetUpdateStrategy = z.infer<typeof CloneSetUpdateStrategySchema>;

/** Schema of the v1beta1 `spec`. */
export const CloneSetSpecSchema = z.looseObject({
  /** Desired pods (default 1). */
  replicas: z.int32().optional(),
  /** Label query over pods; must match the template labels. */
  selector: LabelSelectorSchema,
  /** Pod template (stored schemaless in the CRD). */
  template: PodTemplateSpecSchema,
  /** PVCs created per pod, named `<template>-<cloneset>-<instance id>` (stored schemaless in the CRD). */
  volumeClaimTemplates: z.array(PersistentVolumeClaimSchema).optional(),
  scaleStrategy: CloneSetScaleStrategySchema.optional(),
  updateStrategy: CloneSetUpdateStrategySchema.optional(),
  /** Revisions kept in history (default 10). */
  revisionHistoryLimit: z.int32().optional(),
  /** Seconds a pod must be ready before it counts as available (default 0). */
  minReadySeconds: z.int32().optional(),
  lifecycle: LifecycleSchema.optional(),
  /** Seconds a rollout may go without progress before `Progressing` turns False; unset = no deadline. */
  progressDeadlineSeconds: z.int32().optional(),
});
/** The desired state of a v1beta1 CloneSet. */
export type CloneSetSpec = z.infer<typeof CloneSetSpecSchema>;

/** Condition types a CloneSet reports. */
export const CloneSetConditionTypeSchema = z.enum(['FailedScale', 'FailedUpdate', 'Progressing']);
/** `FailedScale`, `FailedUpdate` or `Progressing`. */
export type CloneSetConditionType = z.infer<typeof CloneSetConditionTypeSchema>;

/**
 * Reasons of the `Progressing` condition (progressDeadlineSeconds): `CloneSetUpdated` (rollout in
 * progress, or resumed), `CloneSetAvailable` (done), `CloneSetPaused`,
 * `ProgressPartitionAvailable` (the partition's share is updated and available), and
 * `ProgressDeadlineExceeded` (status False).
 */
export const CLONESET_PROGRESSING_REASONS = [
  'CloneSetUpdated',
  'CloneSetAvailable',
  'CloneSetPaused',
  'ProgressPartitionAvailable',
  'ProgressDeadlineExceeded',
] as const;
/** A reason of the `Progressing` condition. */
export type CloneSetProgressingReason = (typeof CLONESET_PROGRESSING_REASONS)[number];

/** Schema of a CloneSet status condition (times are RFC 3339 strings; Go writes `null` for unset). */
export const CloneSetConditionSchema = z.looseObject({
  /** One of {@link CloneSetConditionType}; other strings are kept as they are. */
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  lastUpdateTime: z.string().nullable().optional(),
  lastTransitionTime: z.string().nullable().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
/** An observation about a CloneSet, e.g. `{ type: 'Progressing', status: 'True', reason: 'CloneSetAvailable' }`. */
export type CloneSetCondition = z.infer<typeof CloneSetConditionSchema>;

/** Schema of the v1beta1 `status`. Counts may be absent on a CloneSet never reconciled. */
export const CloneSetStatusSchema = z.looseObject({
  observedGeneration: z.int().optional(),
  /** Pods owned (all revisions, including terminating ones not yet gone). */
  replicas: z.int32().optional(),
  readyReplicas: z.int32().optional(),
  /** Ready for at least minReadySeconds. */
  availableReplicas: z.int32().optional(),
  /** Pods at `updateRevision`. */
  updatedReplicas: z.int32().optional(),
  updatedReadyReplicas: z.int32().optional(),
  updatedAvailableReplicas: z.int32().optional(),
  /** `replicas - partition`. */
  expectedUpdatedReplicas: z.int32().optional(),
  updateRevision: z.string().optional(),
  currentRevision: z.string().optional(),
  collisionCount: z.int32().optional(),
  conditions: z.array(CloneSetConditionSchema).optional(),
  /** The selector in string form, for the scale subresource (HPA). */
  labelSelector: z.string().optional(),
});
/** The observed state of a CloneSet. */
export type CloneSetStatus = z.infer<typeof CloneSetStatusSchema>;

/** Schema of an `apps.kruise.io/v1beta1` CloneSet. */
export const CloneSetSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: CloneSetSpecSchema,
  status: CloneSetStatusSchema.optional(),
});
/** An `apps.kruise.io/v1beta1` CloneSet. */
export type CloneSet = z.infer<typeof CloneSetSchema>;
