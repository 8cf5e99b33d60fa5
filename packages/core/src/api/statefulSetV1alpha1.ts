import type { z } from 'zod';
import { StatefulSetSchema, StatefulSetSpecSchema, StatefulSetStatusSchema } from './statefulSet.js';

/**
 * `apps.kruise.io/v1alpha1` Advanced StatefulSet, the version OpenKruise served first and still
 * serves (`apis/apps/v1alpha1/statefulset_types.go`): the upstream StatefulSet fields with the same
 * `updateStrategy` as v1beta1 (rolling update, in-place policies, unordered update, minReadySeconds),
 * and none of v1beta1's later fields. Convert with `convertStatefulSetToV1beta1` before running
 * the algorithms.
 */

/** `apiVersion` of the v1alpha1 Advanced StatefulSet. */
export const STATEFULSET_V1ALPHA1_API_VERSION = 'apps.kruise.io/v1alpha1';

/**
 * The spec fields v1beta1 has and v1alpha1 has not, in the order `convertStatefulSetToV1alpha1`
 * writes them into {@link STATEFULSET_V1BETA1_FIELDS_ANNOTATION}.
 */
export const STATEFULSET_V1BETA1_ONLY_SPEC_FIELDS = [
  'reserveOrdinals',
  'lifecycle',
  'scaleStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'ordinals',
  'volumeClaimUpdateStrategy',
] as const;

/** The status fields v1beta1 has and v1alpha1 has not, in the order they are written. */
export const STATEFULSET_V1BETA1_ONLY_STATUS_FIELDS = ['updatedReadyReplicas', 'updatedAvailableReplicas', 'volumeClaims'] as const;

/**
 * Annotation in which the v1alpha1 form of an Advanced StatefulSet keeps what only v1beta1 has a
 * field for, as JSON `{"spec":{...},"status":{...}}` (Kubernetes does the same for HPA v1), so that
 * reading a v1beta1 object as v1alpha1 and writing it back loses nothing. kruise-ts' own key:
 * OpenKruise drops those fields instead.
 */
export const STATEFULSET_V1BETA1_FIELDS_ANNOTATION = 'statefulset.kruise-ts.io/v1beta1-fields';

/** Schema of the v1alpha1 `spec`: the v1beta1 spec without the v1beta1-only fields. */
export const StatefulSetV1alpha1SpecSchema = StatefulSetSpecSchema.pick({
  replicas: true,
  selector: true,
  template: true,
  volumeClaimTemplates: true,
  serviceName: true,
  podManagementPolicy: true,
  updateStrategy: true,
  revisionHistoryLimit: true,
});
/** The desired state of a v1alpha1 Advanced StatefulSet. */
export type StatefulSetV1alpha1Spec = z.infer<typeof StatefulSetV1alpha1SpecSchema>;

/** Schema of the v1alpha1 `status`: the v1beta1 status without the updated-ready/available counts and volume claims. */
export const StatefulSetV1alpha1StatusSchema = StatefulSetStatusSchema.pick({
  observedGeneration: true,
  replicas: true,
  readyReplicas: true,
  availableReplicas: true,
  currentReplicas: true,
  updatedReplicas: true,
  currentRevision: true,
  updateRevision: true,
  collisionCount: true,
  conditions: true,
  labelSelector: true,
});
/** The observed state of a v1alpha1 Advanced StatefulSet. */
export type StatefulSetV1alpha1Status = z.infer<typeof StatefulSetV1alpha1StatusSchema>;

/** Schema of an `apps.kruise.io/v1alpha1` Advanced StatefulSet. */
export const StatefulSetV1alpha1Schema = StatefulSetSchema.extend({
  spec: StatefulSetV1alpha1SpecSchema,
  status: StatefulSetV1alpha1StatusSchema.optional(),
});
/** An `apps.kruise.io/v1alpha1` Advanced StatefulSet. */
export type StatefulSetV1alpha1 = z.infer<typeof StatefulSetV1alpha1Schema>;
