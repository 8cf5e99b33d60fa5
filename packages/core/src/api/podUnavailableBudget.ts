import { z } from 'zod';
import { IntOrPercentSchema } from '../shared/intOrPercent.js';
import { LabelSelectorSchema } from '../shared/selector.js';
import { ObjectMetaSchema } from './objectMeta.js';

/**
 * `policy.kruise.io/v1beta1` PodUnavailableBudget, the storage version
 * (`apis/policy/v1beta1/podunavailablebudget_types.go`): a budget of voluntary disruptions
 * (delete, eviction, in-place update, resize) over the pods a selector or a workload reference
 * picks. Every object is a `looseObject`; optional fields are optional exactly as in OpenKruise.
 */

/** `apiVersion` of the v1beta1 (storage) PodUnavailableBudget. */
export const PUB_API_VERSION = 'policy.kruise.io/v1beta1';
/** `kind` of a PodUnavailableBudget. */
export const PUB_KIND = 'PodUnavailableBudget';

/** Deprecated PUB annotation listing the protected operations, comma separated (`spec.protectOperations` in v1beta1). */
export const PUB_PROTECT_OPERATIONS_ANNOTATION = 'kruise.io/pub-protect-operations';
/** Deprecated PUB annotation overriding the expected replicas (`spec.protectTotalReplicas` in v1beta1). */
export const PUB_PROTECT_TOTAL_REPLICAS_ANNOTATION = 'pub.kruise.io/protect-total-replicas';
/** Pod annotation exempting a pod from every budget when it parses as true (`"true"`, `"1"`, `"T"`...). */
export const PUB_NO_PROTECT_ANNOTATION = 'pub.kruise.io/no-protect';
/** Pod annotation the PUB controller writes with the name of the pod's budget. */
export const PUB_RELATED_ANNOTATION = 'pub.kruise.io/related-pub';
/** The older name of {@link PUB_RELATED_ANNOTATION}, still read and written for pods of older managers. */
export const PUB_RELATED_DEPRECATED_ANNOTATION = 'kruise.io/related-pub';

/** Schema of a protected operation. */
export const PubOperationSchema = z.enum(['DELETE', 'UPDATE', 'EVICT', 'RESIZE']);
/** An operation a PUB may protect: pod delete, in-place update, `pods/eviction`, resize. */
export type PubOperation = z.infer<typeof PubOperationSchema>;
/** Every operation, in OpenKruise's enum order. */
export const PUB_OPERATIONS: readonly PubOperation[] = PubOperationSchema.options;

/** Schema of `spec.targetRef`: the workload whose pods the budget protects. */
export const PubTargetReferenceSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().optional(),
});
/** A workload reference, e.g. `{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web' }`. */
export type PubTargetReference = z.infer<typeof PubTargetReferenceSchema>;

/** Schema of the v1beta1 `spec`. */
export const PodUnavailableBudgetSpecSchema = z.looseObject({
  /** Pods the budget covers (exclusive with `targetRef`). */
  selector: LabelSelectorSchema.optional(),
  /** The workload whose pods the budget covers (exclusive with `selector`). */
  targetRef: PubTargetReferenceSchema.optional(),
  /** At most this many pods unavailable after an operation (int or %, rounded up). */
  maxUnavailable: IntOrPercentSchema.optional(),
  /** At least this many pods available after an operation (int or %, rounded up). */
  minAvailable: IntOrPercentSchema.optional(),
  /** Protected operations; empty: DELETE, UPDATE and EVICT. */
  protectOperations: z.array(PubOperationSchema).optional(),
  /** Expected replicas when the pods have no workload with a scale (at least 1). */
  protectTotalReplicas: z.int32().optional(),
  /** Pods matching it bypass the budget. */
  ignoredPodSelector: LabelSelectorSchema.optional(),
});
/** The v1beta1 spec of a PodUnavailableBudget. */
export type PodUnavailableBudgetSpec = z.infer<typeof PodUnavailableBudgetSpecSchema>;

/** Schema of the `status`. */
export const PodUnavailableBudgetStatusSchema = z.looseObject({
  observedGeneration: z.number().int().optional(),
  /** Pods whose delete or eviction was admitted but not yet seen gone: name → RFC 3339 time. */
  disruptedPods: z.record(z.string(), z.string()).optional(),
  /** Pods whose in-place update was admitted and that are not available again yet: name → RFC 3339 time. */
  unavailablePods: z.record(z.string(), z.string()).optional(),
  /** Disruptions still allowed. */
  unavailableAllowed: z.int32().optional(),
  /** Pods available now. */
  currentAvailable: z.int32().optional(),
  /** Pods that must stay available. */
  desiredAvailable: z.int32().optional(),
  /** Pods the budget counts (the workload's replicas). */
  totalReplicas: z.int32().optional(),
});
/** The observed state of a PodUnavailableBudget. */
export type PodUnavailableBudgetStatus = z.infer<typeof PodUnavailableBudgetStatusSchema>;

/** Schema of a `policy.kruise.io/v1beta1` PodUnavailableBudget. */
export const PodUnavailableBudgetSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: PodUnavailableBudgetSpecSchema,
  status: PodUnavailableBudgetStatusSchema.optional(),
});
/** A PodUnavailableBudget (`policy.kruise.io/v1beta1`). */
export type PodUnavailableBudget = z.infer<typeof PodUnavailableBudgetSchema>;
