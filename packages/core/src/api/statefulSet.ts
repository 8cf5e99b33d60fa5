import { z } from 'zod';
import { IntOrPercentSchema } from '../shared/intOrPercent.js';
import { LabelSelectorSchema } from '../shared/selector.js';
import { ObjectMetaSchema } from './objectMeta.js';
import { PersistentVolumeClaimSchema, PodTemplateSpecSchema } from './pod.js';
import { InPlaceUpdateStrategySchema, LifecycleSchema, UpdatePriorityStrategySchema } from './pub.js';

/**
 * `apps.kruise.io/v1beta1` StatefulSet (Advanced StatefulSet), the storage version: upstream
 * StatefulSet plus in-place update, reserved ordinals, `maxUnavailable`, unordered update,
 * lifecycle hooks and PVC auto-resize. Every object is a `looseObject`; optional fields are optional
 * exactly as in OpenKruise's Go types (`apis/apps/v1beta1/statefulset_types.go`).
 */

/** `apiVersion` of the v1beta1 (storage) Advanced StatefulSet. */
export const STATEFULSET_API_VERSION = 'apps.kruise.io/v1beta1';
/** `kind` of an Advanced StatefulSet. */
export const STATEFULSET_KIND = 'StatefulSet';
/** The largest `rollingUpdate.minReadySeconds` OpenKruise accepts. */
export const MAX_STATEFULSET_MIN_READY_SECONDS = 300;

/** Schema of `podManagementPolicy`: `OrderedReady` (one pod at a time, in order) or `Parallel`. */
export const PodManagementPolicySchema = z.enum(['OrderedReady', 'Parallel']);
/** How pods are created and deleted: one at a time in ordinal order, or all at once. */
export type PodManagementPolicy = z.infer<typeof PodManagementPolicySchema>;

/** Schema of `updateStrategy.type`: `RollingUpdate` or `OnDelete`. */
export const StatefulSetUpdateStrategyTypeSchema = z.enum(['RollingUpdate', 'OnDelete']);
/** `RollingUpdate` (the controller updates pods) or `OnDelete` (pods are updated when deleted). */
export type StatefulSetUpdateStrategyType = z.infer<typeof StatefulSetUpdateStrategyTypeSchema>;

/** Schema of `rollingUpdate.podUpdatePolicy`. */
export const StatefulSetPodUpdatePolicySchema = z.enum(['ReCreate', 'InPlaceIfPossible', 'InPlaceOnly']);
/** `ReCreate`, `InPlaceIfPossible` or `InPlaceOnly` (as CloneSet's). */
export type StatefulSetPodUpdatePolicy = z.infer<typeof StatefulSetPodUpdatePolicySchema>;

/**
 * Schema of `rollingUpdate.inPlaceUpdateStrategy` of an Advanced StatefulSet: only the grace period
 * (OpenKruise's StatefulSet CRD has no image pre-download fields here; those are CloneSet v1beta1's).
 */
export const StatefulSetInPlaceUpdateStrategySchema = InPlaceUpdateStrategySchema.pick({ gracePeriodSeconds: true });
/** How in-place updates of an Advanced StatefulSet's pods are carried out. */
export type StatefulSetInPlaceUpdateStrategy = z.infer<typeof StatefulSetInPlaceUpdateStrategySchema>;

/** Schema of `rollingUpdate.unorderedUpdate`. */
export const UnorderedUpdateStrategySchema = z.looseObject({
  /** Which pods to update first (only with Parallel). */
  priorityStrategy: UpdatePriorityStrategySchema.optional(),
});
/** A non-ordered update: pods go by priority instead of from the highest ordinal down. */
export type UnorderedUpdateStrategy = z.infer<typeof UnorderedUpdateStrategySchema>;

/** Schema of `updateStrategy.rollingUpdate`. */
export const RollingUpdateStatefulSetStrategySchema = z.looseObject({
  /**
   * Partition of the update (default 0). OpenKruise's current v1beta1 documents it as the number of
   * pods kept on old revisions (`replicas - partition` are updated); its v1alpha1 (and earlier
   * v1beta1) as the ordinal below which pods keep their revision, a count only with `unorderedUpdate`.
   */
  partition: z.int32().optional(),
  /** Most pods unavailable during the update (int or %, rounded down; default 1; anything but 1 needs Parallel). */
  maxUnavailable: IntOrPercentSchema.optional(),
  podUpdatePolicy: StatefulSetPodUpdatePolicySchema.optional(),
  /** Stop updating pods. */
  paused: z.boolean().optional(),
  unorderedUpdate: UnorderedUpdateStrategySchema.optional(),
  inPlaceUpdateStrategy: StatefulSetInPlaceUpdateStrategySchema.optional(),
  /** Seconds an updated pod must be ready before it counts as available (0–300, default 0). */
  minReadySeconds: z.int32().optional(),
});
/** Rolling update parameters of an Advanced StatefulSet. */
export type RollingUpdateStatefulSetStrategy = z.infer<typeof RollingUpdateStatefulSetStrategySchema>;

/** Schema of `spec.updateStrategy`. */
export const StatefulSetUpdateStrategySchema = z.looseObject({
  type: StatefulSetUpdateStrategyTypeSchema.optional(),
  rollingUpdate: RollingUpdateStatefulSetStrategySchema.optional(),
});
/** How an Advanced StatefulSet updates its pods when the template changes. */
export type StatefulSetUpdateStrategy = z.infer<typeof StatefulSetUpdateStrategySchema>;

/** Schema of `spec.scaleStrategy`. */
export const StatefulSetScaleStrategySchema = z.looseObject({
  /** Most pods unavailable while scaling (int or %, rounded down; anything but 1 needs Parallel). */
  maxUnavailable: IntOrPercentSchema.optional(),
});
/** How an Advanced StatefulSet scales. */
export type StatefulSetScaleStrategy = z.infer<typeof StatefulSetScaleStrategySchema>;

/** Schema of a PVC retention policy value: `Retain` (default) or `Delete`. */
export const PersistentVolumeClaimRetentionPolicyTypeSchema = z.enum(['Retain', 'Delete']);
/** `Retain` or `Delete`. */
export type PersistentVolumeClaimRetentionPolicyType = z.infer<typeof PersistentVolumeClaimRetentionPolicyTypeSchema>;

/** Schema of `spec.persistentVolumeClaimRetentionPolicy`. */
export const StatefulSetPersistentVolumeClaimRetentionPolicySchema = z.looseObject({
  /** What happens to the PVCs when the set is deleted. */
  whenDeleted: PersistentVolumeClaimRetentionPolicyTypeSchema.optional(),
  /** What happens to the PVCs of pods removed by a scale-down. */
  whenScaled: PersistentVolumeClaimRetentionPolicyTypeSchema.optional(),
});
/** When the PVCs made from volumeClaimTemplates are deleted. */
export type StatefulSetPersistentVolumeClaimRetentionPolicy = z.infer<typeof StatefulSetPersistentVolumeClaimRetentionPolicySchema>;

/** Schema of `spec.volumeClaimUpdateStrategy.type`. */
export const VolumeClaimUpdateStrategyTypeSchema = z.enum(['OnPodRollingUpdate', 'OnDelete']);
/** `OnPodRollingUpdate` (PVCs follow template changes during the rollout) or `OnDelete`. */
export type VolumeClaimUpdateStrategyType = z.infer<typeof VolumeClaimUpdateStrategyTypeSchema>;

/** Schema of `spec.volumeClaimUpdateStrategy` (effective with the StatefulSetAutoResizePVCGate gate). */
export const VolumeClaimUpdateStrategySchema = z.looseObject({ type: VolumeClaimUpdateStrategyTypeSchema.optional() });
/** How PVCs follow changes of the volumeClaimTemplates. */
export type VolumeClaimUpdateStrategy = z.infer<typeof VolumeClaimUpdateStrategySchema>;

/** Schema of `spec.ordinals`. */
export const StatefulSetOrdinalsSchema = z.looseObject({
  /** The first ordinal (default 0): ordinals are `[start, start + replicas)`, reserved ones skipped. */
  start: z.int32().optional(),
});
/** Where the ordinals start. */
export type StatefulSetOrdinals = z.infer<typeof StatefulSetOrdinalsSchema>;

/**
 * Schema of one `spec.reserveOrdinals` entry (`intstr.IntOrString` in OpenKruise): an ordinal
 * (`1`) or a range `"a-b"` with both ends included (`"3-5"` reserves 3, 4 and 5). Any string is
 * read; `validateStatefulSet` refuses strings that are not `"a-b"` with `a <= b` (`"7"` too, as
 * OpenKruise does) and negative ordinals.
 */
export const ReserveOrdinalSchema = z.union([z.int32(), z.string()]);
/** A reserved ordinal or range of ordinals. */
export type ReserveOrdinal = z.infer<typeof ReserveOrdinalSchema>;

/** Schema of the v1beta1 `spec`. */
export const StatefulSetSpecSchema = z.looseObject({
  /** Desired pods (default 1). */
  replicas: z.int32().optional(),
  /** Label query over pods; must match the template labels. */
  selector: LabelSelectorSchema,
  /** Pod template (stored schemaless in the CRD). */
  template: PodTemplateSpecSchema,
  /** PVCs per pod, named `<template>-<set>-<ordinal>` (stored schemaless in the CRD). */
  volumeClaimTemplates: z.array(PersistentVolumeClaimSchema).optional(),
  volumeClaimUpdateStrategy: VolumeClaimUpdateStrategySchema.optional(),
  /** The governing Service: pods get `<pod>.<serviceName>.<namespace>.svc` names. */
  serviceName: z.string().optional(),
  podManagementPolicy: PodManagementPolicySchema.optional(),
  updateStrategy: StatefulSetUpdateStrategySchema.optional(),
  /** Revisions kept in history (default 10). */
  revisionHistoryLimit: z.int32().optional(),
  /** Ordinals that never get a pod (pods there are deleted, replaced at the next free ordinal). */
  reserveOrdinals: z.array(ReserveOrdinalSchema).optional(),
  lifecycle: LifecycleSchema.optional(),
  scaleStrategy: StatefulSetScaleStrategySchema.optional(),
  persistentVolumeClaimRetentionPolicy: StatefulSetPersistentVolumeClaimRetentionPolicySchema.optional(),
  ordinals: StatefulSetOrdinalsSchema.optional(),
});
/** The v1beta1 spec of an Advanced StatefulSet. */
export type StatefulSetSpec = z.infer<typeof StatefulSetSpecSchema>;

/** Schema of one `status.volumeClaims` entry. */
export const VolumeClaimStatusSchema = z.looseObject({
  volumeClaimName: z.string(),
  /** Pods whose PVC of this template requests at least the template's storage. */
  compatibleReplicas: z.int32(),
  /** Those whose PVC also reports that capacity. */
  compatibleReadyReplicas: z.int32(),
});
/** How far the PVCs of one claim template follow it. */
export type VolumeClaimStatus = z.infer<typeof VolumeClaimStatusSchema>;

/** Schema of a status condition (`FailedCreatePod`, `FailedUpdatePod`...; times are RFC 3339 strings). */
export const StatefulSetConditionSchema = z.looseObject({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  lastTransitionTime: z.string().nullish(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
/** A condition of an Advanced StatefulSet. */
export type StatefulSetCondition = z.infer<typeof StatefulSetConditionSchema>;

/** Schema of the v1beta1 `status`. */
export const StatefulSetStatusSchema = z.looseObject({
  observedGeneration: z.int().optional(),
  replicas: z.int32().optional(),
  readyReplicas: z.int32().optional(),
  availableReplicas: z.int32().optional(),
  /** Pods at `currentRevision`. */
  currentReplicas: z.int32().optional(),
  /** Pods at `updateRevision`. */
  updatedReplicas: z.int32().optional(),
  updatedReadyReplicas: z.int32().optional(),
  updatedAvailableReplicas: z.int32().optional(),
  currentRevision: z.string().optional(),
  updateRevision: z.string().optional(),
  collisionCount: z.int32().optional(),
  conditions: z.array(StatefulSetConditionSchema).optional(),
  /** The selector as a string, for HPA through the scale subresource. */
  labelSelector: z.string().optional(),
  volumeClaims: z.array(VolumeClaimStatusSchema).optional(),
});
/** The observed state of an Advanced StatefulSet. */
export type StatefulSetStatus = z.infer<typeof StatefulSetStatusSchema>;

/** Schema of an `apps.kruise.io/v1beta1` StatefulSet. */
export const StatefulSetSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: StatefulSetSpecSchema,
  status: StatefulSetStatusSchema.optional(),
});
/** An Advanced StatefulSet (`apps.kruise.io/v1beta1`). */
export type StatefulSet = z.infer<typeof StatefulSetSchema>;
