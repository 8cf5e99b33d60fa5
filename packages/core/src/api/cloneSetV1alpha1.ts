import { z } from 'zod';
import {
  CloneSetScaleStrategySchema,
  CloneSetSchema,
  CloneSetSpecSchema,
  RollingUpdateCloneSetStrategySchema,
} from './cloneSet.js';

/**
 * `apps.kruise.io/v1alpha1` CloneSet, the shape most manifests in the wild use: the pod update
 * policy is `updateStrategy.type` and the rolling fields sit flat under `updateStrategy`; PVC reuse
 * is on unless `scaleStrategy.disablePVCReuse`; image pre-download settings are annotations.
 * Convert with `convertCloneSetToV1beta1` before running the algorithms.
 */

/** `apiVersion` of the v1alpha1 CloneSet. */
export const CLONESET_V1ALPHA1_API_VERSION = 'apps.kruise.io/v1alpha1';

/** Schema of the v1alpha1 `updateStrategy.type`. */
export const CloneSetV1alpha1UpdateStrategyTypeSchema = z.enum(['ReCreate', 'InPlaceIfPossible', 'InPlaceOnly', 'OnDelete']);
/** `ReCreate` (the default), `InPlaceIfPossible`, `InPlaceOnly` or `OnDelete`. */
export type CloneSetV1alpha1UpdateStrategyType = z.infer<typeof CloneSetV1alpha1UpdateStrategyTypeSchema>;

/** Schema of the v1alpha1 `inPlaceUpdateStrategy` (only the grace period lives in the spec). */
export const InPlaceUpdateStrategyV1alpha1Schema = z.looseObject({ gracePeriodSeconds: z.int32().optional() });

// The rolling fields are the same as v1beta1's rollingUpdate, minus the two v1alpha1 keeps elsewhere.
const { podUpdatePolicy: _inType, inPlaceUpdateStrategy: _narrower, ...rollingFields } = RollingUpdateCloneSetStrategySchema.shape;

/** Schema of the v1alpha1 `spec.updateStrategy` (rolling fields are flat here). */
export const CloneSetV1alpha1UpdateStrategySchema = z.looseObject({
  type: CloneSetV1alpha1UpdateStrategyTypeSchema.optional(),
  ...rollingFields,
  inPlaceUpdateStrategy: InPlaceUpdateStrategyV1alpha1Schema.optional(),
});
/** The v1alpha1 update strategy: policy in `type`, rolling parameters beside it. */
export type CloneSetV1alpha1UpdateStrategy = z.infer<typeof CloneSetV1alpha1UpdateStrategySchema>;

const { enablePVCReuse: _inverted, excludePreparingDelete: _aLabel, ...scaleFields } = CloneSetScaleStrategySchema.shape;

/** Schema of the v1alpha1 `spec.scaleStrategy`. */
export const CloneSetV1alpha1ScaleStrategySchema = z.looseObject({
  ...scaleFields,
  /** Do not reuse the PVCs of a vanished pod (default false: PVCs are reused). */
  disablePVCReuse: z.boolean().optional(),
});
/** The v1alpha1 scale strategy. */
export type CloneSetV1alpha1ScaleStrategy = z.infer<typeof CloneSetV1alpha1ScaleStrategySchema>;

/** Schema of the v1alpha1 `spec`: the v1beta1 spec with the v1alpha1 strategies. */
export const CloneSetV1alpha1SpecSchema = CloneSetSpecSchema.extend({
  scaleStrategy: CloneSetV1alpha1ScaleStrategySchema.optional(),
  updateStrategy: CloneSetV1alpha1UpdateStrategySchema.optional(),
});
/** The desired state of a v1alpha1 CloneSet. */
export type CloneSetV1alpha1Spec = z.infer<typeof CloneSetV1alpha1SpecSchema>;

/** Schema of an `apps.kruise.io/v1alpha1` CloneSet (metadata and status have the v1beta1 shape). */
export const CloneSetV1alpha1Schema = CloneSetSchema.extend({ spec: CloneSetV1alpha1SpecSchema });
/** An `apps.kruise.io/v1alpha1` CloneSet. */
export type CloneSetV1alpha1 = z.infer<typeof CloneSetV1alpha1Schema>;
