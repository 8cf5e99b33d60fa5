import { z } from 'zod';
import { IntOrPercentSchema } from '../shared/intOrPercent.js';
import { LabelSelectorSchema } from '../shared/selector.js';
import { ObjectMetaSchema } from './objectMeta.js';
import { PodUnavailableBudgetStatusSchema, PubTargetReferenceSchema } from './podUnavailableBudget.js';

/**
 * `policy.kruise.io/v1alpha1` PodUnavailableBudget, still served
 * (`apis/policy/v1alpha1/podunavailablebudget_types.go`): selector or targetRef and
 * maxUnavailable or minAvailable only; the protected operations and the expected replicas live in
 * the annotations `kruise.io/pub-protect-operations` and `pub.kruise.io/protect-total-replicas`,
 * and there is no ignoredPodSelector. Convert with `convertPodUnavailableBudgetToV1beta1`.
 */

/** `apiVersion` of the v1alpha1 PodUnavailableBudget. */
export const PUB_V1ALPHA1_API_VERSION = 'policy.kruise.io/v1alpha1';

/** Schema of the v1alpha1 `spec`. */
export const PodUnavailableBudgetV1alpha1SpecSchema = z.looseObject({
  selector: LabelSelectorSchema.optional(),
  targetRef: PubTargetReferenceSchema.optional(),
  maxUnavailable: IntOrPercentSchema.optional(),
  minAvailable: IntOrPercentSchema.optional(),
});
/** The v1alpha1 spec of a PodUnavailableBudget. */
export type PodUnavailableBudgetV1alpha1Spec = z.infer<typeof PodUnavailableBudgetV1alpha1SpecSchema>;

/** Schema of a `policy.kruise.io/v1alpha1` PodUnavailableBudget. */
export const PodUnavailableBudgetV1alpha1Schema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: PodUnavailableBudgetV1alpha1SpecSchema,
  status: PodUnavailableBudgetStatusSchema.optional(),
});
/** A `policy.kruise.io/v1alpha1` PodUnavailableBudget. */
export type PodUnavailableBudgetV1alpha1 = z.infer<typeof PodUnavailableBudgetV1alpha1Schema>;
