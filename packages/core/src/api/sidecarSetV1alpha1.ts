import { z } from 'zod';
import { SidecarSetSchema, SidecarSetSpecSchema } from './sidecarSet.js';

/**
 * `apps.kruise.io/v1alpha1` SidecarSet, still served: `spec.namespace` limits the SidecarSet to one
 * namespace (v1beta1 expresses it with a namespaceSelector on `kubernetes.io/metadata.name`), and
 * the custom version is the `apps.kruise.io/sidecarset-custom-version` label rather than
 * `spec.customVersion`. Convert with `convertSidecarSetToV1beta1` before running the algorithms.
 */

/** `apiVersion` of the v1alpha1 SidecarSet. */
export const SIDECARSET_V1ALPHA1_API_VERSION = 'apps.kruise.io/v1alpha1';

const { customVersion: _aLabelInV1alpha1, ...specFields } = SidecarSetSpecSchema.shape;

/** Schema of the v1alpha1 `spec`: the v1beta1 spec with `namespace` and without `customVersion`. */
export const SidecarSetV1alpha1SpecSchema = z.looseObject({
  ...specFields,
  /** Only pods of this namespace are injected (mutually exclusive with namespaceSelector). */
  namespace: z.string().optional(),
});
/** The desired state of a v1alpha1 SidecarSet. */
export type SidecarSetV1alpha1Spec = z.infer<typeof SidecarSetV1alpha1SpecSchema>;

/** Schema of an `apps.kruise.io/v1alpha1` SidecarSet (metadata and status have the v1beta1 shape). */
export const SidecarSetV1alpha1Schema = SidecarSetSchema.extend({ spec: SidecarSetV1alpha1SpecSchema });
/** An `apps.kruise.io/v1alpha1` SidecarSet. */
export type SidecarSetV1alpha1 = z.infer<typeof SidecarSetV1alpha1Schema>;
