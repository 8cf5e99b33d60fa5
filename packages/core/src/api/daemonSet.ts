import { z } from 'zod';
import { IntOrPercentSchema } from '../shared/intOrPercent.js';
import { LabelSelectorSchema } from '../shared/selector.js';
import { ObjectMetaSchema } from './objectMeta.js';
import { PodTemplateSpecSchema } from './pod.js';
import { LifecycleSchema } from './pub.js';

/**
 * `apps.kruise.io/v1beta1` DaemonSet (Advanced DaemonSet), the storage version: upstream DaemonSet
 * plus in-place update, a partition, a node selector for the rollout, pausing, a burst limit on
 * pod creation, pre-delete hooks and partitioned scaling. Every object is a `looseObject`;
 * optional fields are optional exactly as in OpenKruise's Go types
 * (`apis/apps/v1beta1/daemonset_types.go`).
 */

/** `apiVersion` of the v1beta1 (storage) Advanced DaemonSet. */
export const DAEMONSET_API_VERSION = 'apps.kruise.io/v1beta1';
/** `kind` of an Advanced DaemonSet. */
export const DAEMONSET_KIND = 'DaemonSet';

/** Schema of `updateStrategy.type`: `RollingUpdate` or `OnDelete`. */
export const DaemonSetUpdateStrategyTypeSchema = z.enum(['RollingUpdate', 'OnDelete']);
/** `RollingUpdate` (the controller replaces pods node by node) or `OnDelete` (pods are replaced when deleted). */
export type DaemonSetUpdateStrategyType = z.infer<typeof DaemonSetUpdateStrategyTypeSchema>;

/**
 * Schema of `rollingUpdate.rollingUpdateType` in v1beta1: `Standard` (delete and recreate, as the
 * upstream DaemonSet) or `InPlaceIfPossible` (update container images in place when only they
 * changed). v1alpha1 also reads the deprecated `Surging`.
 */
export const DaemonSetRollingUpdateTypeSchema = z.enum(['Standard', 'InPlaceIfPossible']);
/** `Standard` or `InPlaceIfPossible`. */
export type DaemonSetRollingUpdateType = z.infer<typeof DaemonSetRollingUpdateTypeSchema>;

/** Schema of `updateStrategy.rollingUpdate`. */
export const RollingUpdateDaemonSetSchema = z.looseObject({
  /** How pods are updated (default `Standard`). Named `rollingUpdateType` in JSON (`Type` in Go). */
  rollingUpdateType: DaemonSetRollingUpdateTypeSchema.optional(),
  /**
   * Most pods unavailable during the update: a count or a percentage of the nodes that should run
   * the pod, rounded up. Defaults to 1 when neither it nor `maxSurge` is set; it and `maxSurge`
   * cannot both be 0, nor both be non-zero.
   */
  maxUnavailable: IntOrPercentSchema.optional(),
  /**
   * Most nodes that may run an updated pod next to their old available one (a count or a
   * percentage, rounded up). Defaults to 0 when neither it nor `maxUnavailable` is set; must be 0
   * with `InPlaceIfPossible`.
   */
  maxSurge: IntOrPercentSchema.optional(),
  /** Only pods on nodes matching this selector are updated. */
  selector: LabelSelectorSchema.optional(),
  /**
   * Pods kept on the old revision (a count, or a percentage of the desired number; default 0). At
   * `status.desiredNumberScheduled` or above, no pod is updated.
   */
  partition: IntOrPercentSchema.optional(),
  /** Stop updating pods. */
  paused: z.boolean().optional(),
});
/** Rolling update parameters of an Advanced DaemonSet. */
export type RollingUpdateDaemonSet = z.infer<typeof RollingUpdateDaemonSetSchema>;

/** Schema of `spec.updateStrategy`. */
export const DaemonSetUpdateStrategySchema = z.looseObject({
  type: DaemonSetUpdateStrategyTypeSchema.optional(),
  /** Present only with `type: RollingUpdate`. */
  rollingUpdate: RollingUpdateDaemonSetSchema.optional(),
});
/** How an Advanced DaemonSet replaces its pods when the template changes. */
export type DaemonSetUpdateStrategy = z.infer<typeof DaemonSetUpdateStrategySchema>;

/** Schema of `spec.scaleStrategy` (v1beta1 only). */
export const DaemonSetScaleStrategySchema = z.looseObject({
  /**
   * Pods created for new nodes are held by the partition too (only `desired - partition` nodes get
   * one), instead of every node that needs a pod getting it. Default false. v1alpha1 spells it as
   * the annotation `daemonset.kruise.io/progressive-create-pod: "true"`.
   */
  partitionedScaling: z.boolean().optional(),
});
/** How an Advanced DaemonSet creates pods on nodes that need one. */
export type DaemonSetScaleStrategy = z.infer<typeof DaemonSetScaleStrategySchema>;

/** Schema of the v1beta1 `spec`. */
export const DaemonSetSpecSchema = z.looseObject({
  /** Label query over pods; must match the template labels. */
  selector: LabelSelectorSchema,
  /** Pod template, one pod per eligible node (stored schemaless in the CRD). */
  template: PodTemplateSpecSchema,
  updateStrategy: DaemonSetUpdateStrategySchema.optional(),
  /** Seconds a new pod must be ready, no container crashing, before it counts as available (default 0). */
  minReadySeconds: z.int32().optional(),
  /** Most pods created in one reconcile: a count or a percentage (default 250). */
  burstReplicas: IntOrPercentSchema.optional(),
  /** Revisions kept in history (default 10). */
  revisionHistoryLimit: z.int32().optional(),
  /** Lifecycle hooks; OpenKruise supports only `preDelete` for Advanced DaemonSet. */
  lifecycle: LifecycleSchema.optional(),
  scaleStrategy: DaemonSetScaleStrategySchema.optional(),
});
/** The v1beta1 spec of an Advanced DaemonSet. */
export type DaemonSetSpec = z.infer<typeof DaemonSetSpecSchema>;

/** Schema of a status condition (`appsv1.DaemonSetCondition`; times are RFC 3339 strings). */
export const DaemonSetConditionSchema = z.looseObject({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  lastTransitionTime: z.string().nullish(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
/** A condition of an Advanced DaemonSet. */
export type DaemonSetCondition = z.infer<typeof DaemonSetConditionSchema>;

/** Schema of the v1beta1 `status` (counts are of nodes). */
export const DaemonSetStatusSchema = z.looseObject({
  /** Nodes running at least one daemon pod that should run it. */
  currentNumberScheduled: z.int32().optional(),
  /** Nodes running the daemon pod that should not. */
  numberMisscheduled: z.int32().optional(),
  /** Nodes that should run the daemon pod. */
  desiredNumberScheduled: z.int32().optional(),
  /** Nodes that should run the daemon pod and run it ready. */
  numberReady: z.int32().optional(),
  observedGeneration: z.int().optional(),
  /** Nodes running the updated daemon pod. */
  updatedNumberScheduled: z.int32().optional(),
  /** Nodes that should run the daemon pod and run it available (ready for `minReadySeconds`). */
  numberAvailable: z.int32().optional(),
  /** Nodes that should run the daemon pod and run none available. */
  numberUnavailable: z.int32().optional(),
  collisionCount: z.int32().optional(),
  conditions: z.array(DaemonSetConditionSchema).optional(),
  /** The latest revision's `controller-revision-hash` (v1alpha1: `daemonSetHash`). */
  updateRevision: z.string().optional(),
});
/** The observed state of an Advanced DaemonSet. */
export type DaemonSetStatus = z.infer<typeof DaemonSetStatusSchema>;

/** Schema of an `apps.kruise.io/v1beta1` DaemonSet. */
export const DaemonSetSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: DaemonSetSpecSchema,
  status: DaemonSetStatusSchema.optional(),
});
/** An Advanced DaemonSet (`apps.kruise.io/v1beta1`). */
export type DaemonSet = z.infer<typeof DaemonSetSchema>;
