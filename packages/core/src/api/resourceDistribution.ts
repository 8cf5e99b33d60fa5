import { z } from 'zod';
import { LabelSelectorSchema } from '../shared/selector.js';
import { ObjectMetaSchema } from './objectMeta.js';

/**
 * `apps.kruise.io/v1beta1` ResourceDistribution, the storage version: a cluster-scoped object that
 * copies one Secret or ConfigMap into many namespaces (`apis/apps/v1beta1/resourcedistribution_types.go`).
 * v1alpha1 has the same fields (see `resourceDistributionV1alpha1.ts`). Every object is a
 * `looseObject`; optional fields are optional exactly as in OpenKruise's Go types.
 */

/** `apiVersion` of the v1beta1 (storage) ResourceDistribution. */
export const RESOURCEDISTRIBUTION_API_VERSION = 'apps.kruise.io/v1beta1';
/** `kind` of a ResourceDistribution. */
export const RESOURCEDISTRIBUTION_KIND = 'ResourceDistribution';

/** Annotation on every copy: the hash (SHA-256 hex) of `spec.resource` the copy was written from. */
export const RESOURCE_HASHCODE_ANNOTATION = 'kruise.io/resourcedistribution.resource.hashcode';
/** Annotation on every copy: the name of the ResourceDistribution that wrote it. */
export const RESOURCE_SOURCE_ANNOTATION = 'kruise.io/resourcedistribution.resource.from';

/** Schema of one namespace of a list (`{ name }`). */
export const ResourceDistributionNamespaceSchema = z.looseObject({ name: z.string().optional() });
/** A namespace named in `includedNamespaces` or `excludedNamespaces`. */
export type ResourceDistributionNamespace = z.infer<typeof ResourceDistributionNamespaceSchema>;

/** Schema of `includedNamespaces` / `excludedNamespaces`: `{ list: [{ name }] }`. */
export const ResourceDistributionTargetNamespacesSchema = z.looseObject({ list: z.array(ResourceDistributionNamespaceSchema).optional() });
/** A list of namespaces. */
export type ResourceDistributionTargetNamespaces = z.infer<typeof ResourceDistributionTargetNamespacesSchema>;

/**
 * Schema of `spec.targets`. The union of `allNamespaces`, `includedNamespaces` and
 * `namespaceSelector`, minus `excludedNamespaces` (which wins).
 */
export const ResourceDistributionTargetsSchema = z.looseObject({
  /** Every namespace (but the excluded ones). */
  allNamespaces: z.boolean().optional(),
  /** Never these namespaces. */
  excludedNamespaces: ResourceDistributionTargetNamespacesSchema.optional(),
  /** These namespaces (a missing one is reported in the `NamespaceNotExists` condition). */
  includedNamespaces: ResourceDistributionTargetNamespacesSchema.optional(),
  /** Namespaces whose labels match; an empty selector matches none. */
  namespaceSelector: LabelSelectorSchema.optional(),
});
/** Which namespaces get a copy. */
export type ResourceDistributionTargets = z.infer<typeof ResourceDistributionTargetsSchema>;

/** Schema of `spec.resource`: a whole Kubernetes manifest (validation requires a Secret or ConfigMap with a name). */
export const DistributedResourceSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
});
/** The resource a ResourceDistribution copies (kept whole: `data`, `type`... as written). */
export type DistributedResource = z.infer<typeof DistributedResourceSchema>;

/** Schema of the v1beta1 `spec`. */
export const ResourceDistributionSpecSchema = z.looseObject({
  resource: DistributedResourceSchema,
  targets: ResourceDistributionTargetsSchema,
});
/** The v1beta1 spec of a ResourceDistribution. */
export type ResourceDistributionSpec = z.infer<typeof ResourceDistributionSpecSchema>;

/** Schema of a condition type, in OpenKruise's order (the order of `status.conditions`). */
export const ResourceDistributionConditionTypeSchema = z.enum(['GetResourceFailed', 'CreateResourceFailed', 'UpdateResourceFailed', 'DeleteResourceFailed', 'ConflictOccurred', 'NamespaceNotExists']);
/** The type of a ResourceDistribution condition. */
export type ResourceDistributionConditionType = z.infer<typeof ResourceDistributionConditionTypeSchema>;

/** Schema of one of `status.conditions`. */
export const ResourceDistributionConditionSchema = z.looseObject({
  type: z.string(),
  /** `True` when some namespaces failed this way, else `False`. */
  status: z.string(),
  lastTransitionTime: z.string().nullish(),
  /** The last error of this type, or `Succeeded`. */
  reason: z.string().optional(),
  /** The namespaces that failed this way (sorted). */
  failedNamespaces: z.array(z.string()).optional(),
});
/** A condition of a ResourceDistribution. */
export type ResourceDistributionCondition = z.infer<typeof ResourceDistributionConditionSchema>;

/** Schema of the `status`. */
export const ResourceDistributionStatusSchema = z.looseObject({
  /** Target namespaces. */
  desired: z.int32().optional(),
  /** Target namespaces holding an up-to-date copy. */
  succeeded: z.int32().optional(),
  /** `desired - succeeded`. */
  failed: z.int32().optional(),
  observedGeneration: z.number().int().optional(),
  conditions: z.array(ResourceDistributionConditionSchema).optional(),
});
/** The observed state of a ResourceDistribution. */
export type ResourceDistributionStatus = z.infer<typeof ResourceDistributionStatusSchema>;

/** Schema of an `apps.kruise.io/v1beta1` ResourceDistribution. */
export const ResourceDistributionSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: ResourceDistributionSpecSchema,
  status: ResourceDistributionStatusSchema.optional(),
});
/** A ResourceDistribution (`apps.kruise.io/v1beta1`). */
export type ResourceDistribution = z.infer<typeof ResourceDistributionSchema>;
