import { z } from 'zod';
import { DaemonSetSchema, DaemonSetSpecSchema, DaemonSetStatusSchema, DaemonSetUpdateStrategySchema, RollingUpdateDaemonSetSchema } from './daemonSet.js';

/**
 * `apps.kruise.io/v1alpha1` Advanced DaemonSet, the version OpenKruise served first and still
 * serves (`apis/apps/v1alpha1/daemonset_types.go`): the v1beta1 fields but `scaleStrategy`
 * (spelled as the annotation `daemonset.kruise.io/progressive-create-pod: "true"`), the deprecated
 * `rollingUpdateType: Surging` still read, and `status.daemonSetHash` where v1beta1 has
 * `status.updateRevision`. Convert with `convertDaemonSetToV1beta1` before running the algorithms.
 */

/** `apiVersion` of the v1alpha1 Advanced DaemonSet. */
export const DAEMONSET_V1ALPHA1_API_VERSION = 'apps.kruise.io/v1alpha1';

/**
 * Annotation in which the v1alpha1 form of an Advanced DaemonSet keeps what only v1beta1 has a
 * field for (a `scaleStrategy` other than `{ partitionedScaling: true }`, which the
 * progressive-create-pod annotation says), as JSON `{"spec":{"scaleStrategy":{...}}}`, so that
 * reading a v1beta1 object as v1alpha1 and writing it back loses nothing. kruise-ts' own key:
 * OpenKruise drops those fields instead.
 */
export const DAEMONSET_V1BETA1_FIELDS_ANNOTATION = 'daemonset.kruise-ts.io/v1beta1-fields';

/**
 * Schema of `rollingUpdate.rollingUpdateType` in v1alpha1: v1beta1's values and the deprecated
 * `Surging` (an alias of `Standard` whose budgets default to `maxSurge: 1, maxUnavailable: 0`).
 */
export const DaemonSetV1alpha1RollingUpdateTypeSchema = z.enum(['Standard', 'InPlaceIfPossible', 'Surging']);
/** `Standard`, `InPlaceIfPossible` or the deprecated `Surging`. */
export type DaemonSetV1alpha1RollingUpdateType = z.infer<typeof DaemonSetV1alpha1RollingUpdateTypeSchema>;

/** Schema of the v1alpha1 `updateStrategy.rollingUpdate`. */
export const RollingUpdateDaemonSetV1alpha1Schema = RollingUpdateDaemonSetSchema.extend({
  rollingUpdateType: DaemonSetV1alpha1RollingUpdateTypeSchema.optional(),
});
/** Rolling update parameters of a v1alpha1 Advanced DaemonSet. */
export type RollingUpdateDaemonSetV1alpha1 = z.infer<typeof RollingUpdateDaemonSetV1alpha1Schema>;

/** Schema of the v1alpha1 `spec`: the v1beta1 spec without `scaleStrategy`, `Surging` allowed. */
export const DaemonSetV1alpha1SpecSchema = DaemonSetSpecSchema.omit({ scaleStrategy: true }).extend({
  updateStrategy: DaemonSetUpdateStrategySchema.extend({ rollingUpdate: RollingUpdateDaemonSetV1alpha1Schema.optional() }).optional(),
});
/** The desired state of a v1alpha1 Advanced DaemonSet. */
export type DaemonSetV1alpha1Spec = z.infer<typeof DaemonSetV1alpha1SpecSchema>;

/** Schema of the v1alpha1 `status`: `daemonSetHash` where v1beta1 has `updateRevision`. */
export const DaemonSetV1alpha1StatusSchema = DaemonSetStatusSchema.omit({ updateRevision: true }).extend({
  /** The latest revision's `controller-revision-hash`. */
  daemonSetHash: z.string().optional(),
});
/** The observed state of a v1alpha1 Advanced DaemonSet. */
export type DaemonSetV1alpha1Status = z.infer<typeof DaemonSetV1alpha1StatusSchema>;

/** Schema of an `apps.kruise.io/v1alpha1` Advanced DaemonSet. */
export const DaemonSetV1alpha1Schema = DaemonSetSchema.extend({
  spec: DaemonSetV1alpha1SpecSchema,
  status: DaemonSetV1alpha1StatusSchema.optional(),
});
/** An `apps.kruise.io/v1alpha1` Advanced DaemonSet. */
export type DaemonSetV1alpha1 = z.infer<typeof DaemonSetV1alpha1Schema>;
