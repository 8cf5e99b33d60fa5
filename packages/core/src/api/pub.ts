import { z } from 'zod';
import { IntOrPercentSchema } from '../shared/intOrPercent.js';
import { LabelSelectorSchema } from '../shared/selector.js';

/**
 * Types shared by OpenKruise's workloads (`apis/apps/pub` and the scatter strategy): lifecycle
 * hooks, update priority, in-place update strategy. CloneSet uses them today; Advanced
 * StatefulSet, Advanced DaemonSet and SidecarSet reuse them.
 */

/** Schema of a lifecycle state, the value of the `lifecycle.apps.kruise.io/state` pod label. */
export const LifecycleStateSchema = z.enum([
  'PreparingNormal',
  'Normal',
  'PreparingUpdate',
  'Updating',
  'Updated',
  'PreparingDelete',
]);
/**
 * A pod's lifecycle state: `PreparingNormal` (created, waiting for preNormal hooks), `Normal`,
 * `PreparingUpdate` (waiting for the inPlaceUpdate hook to be released), `Updating` (in-place update
 * in progress), `Updated` (done, hook still held), `PreparingDelete` (waiting for preDelete hooks).
 */
export type LifecycleState = z.infer<typeof LifecycleStateSchema>;

/** Every lifecycle state, in the order a pod moves through them. */
export const LIFECYCLE_STATES: readonly LifecycleState[] = LifecycleStateSchema.options;

/**
 * Schema of a `LifecycleHook`: a pod is "hooked" while any listed finalizer is present or any
 * `labelsHandler` pair matches its labels.
 */
export const LifecycleHookSchema = z.looseObject({
  /** Labels that, while present with these values on the pod, hold it in the preparing state. */
  labelsHandler: z.record(z.string(), z.string()).optional(),
  /** Finalizers that, while present on the pod, hold it in the preparing state. */
  finalizersHandler: z.array(z.string()).optional(),
  /** Set `KruisePodReady=False` in PreparingDelete/PreparingUpdate (restored once Updated). */
  markPodNotReady: z.boolean().optional(),
});
/** A lifecycle hook: labels and/or finalizers that hold a pod in a preparing state. */
export type LifecycleHook = z.infer<typeof LifecycleHookSchema>;

/** Schema of `Lifecycle`: the hooks before deletion, around an in-place update, and before Normal. */
export const LifecycleSchema = z.looseObject({
  preDelete: LifecycleHookSchema.optional(),
  inPlaceUpdate: LifecycleHookSchema.optional(),
  preNormal: LifecycleHookSchema.optional(),
});
/** The lifecycle hooks of a workload's pods. */
export type Lifecycle = z.infer<typeof LifecycleSchema>;

/** Schema of an `UpdatePriorityOrderTerm`: sort by the last integer in the value of this label. */
export const UpdatePriorityOrderTermSchema = z.looseObject({ orderedKey: z.string() });
/** An order priority term, e.g. `{ orderedKey: 'sts-index' }` (value `"sts-10"` sorts as 10). */
export type UpdatePriorityOrderTerm = z.infer<typeof UpdatePriorityOrderTermSchema>;

/** Schema of an `UpdatePriorityWeightTerm`: pods matching the selector gain `weight` (1-100). */
export const UpdatePriorityWeightTermSchema = z.looseObject({
  weight: z.int32(),
  matchSelector: LabelSelectorSchema,
});
/** A weight priority term: pods whose labels match `matchSelector` add `weight` to their priority. */
export type UpdatePriorityWeightTerm = z.infer<typeof UpdatePriorityWeightTermSchema>;

/** Schema of an `UpdatePriorityStrategy` (only one of the two lists may be set). */
export const UpdatePriorityStrategySchema = z.looseObject({
  orderPriority: z.array(UpdatePriorityOrderTermSchema).optional(),
  weightPriority: z.array(UpdatePriorityWeightTermSchema).optional(),
});
/** Which pods to update first: by summed weights of matching selectors, or by ordered label values. */
export type UpdatePriorityStrategy = z.infer<typeof UpdatePriorityStrategySchema>;

/** Schema of an `UpdateScatterTerm`: pods with label `key=value` are spread across update batches. */
export const UpdateScatterTermSchema = z.looseObject({ key: z.string(), value: z.string() });
/** A scatter term, e.g. `{ key: 'zone', value: 'a' }`. */
export type UpdateScatterTerm = z.infer<typeof UpdateScatterTermSchema>;

/** Schema of an `UpdateScatterStrategy`: a list of distinct scatter terms. */
export const UpdateScatterStrategySchema = z.array(UpdateScatterTermSchema);
/** Scatter rules applied after priority sorting. */
export type UpdateScatterStrategy = z.infer<typeof UpdateScatterStrategySchema>;

/** Schema of an `InPlaceUpdateStrategy` (v1beta1 carries the image pre-download settings here). */
export const InPlaceUpdateStrategySchema = z.looseObject({
  /** Seconds between marking the pod not-ready and changing its spec. */
  gracePeriodSeconds: z.int32().optional(),
  /** How many nodes pull the new images at once (int or percentage); v1alpha1 keeps it in an annotation. */
  imagePreDownloadParallelism: IntOrPercentSchema.optional(),
  /** Timeout of each image pre-download, in seconds; v1alpha1 keeps it in an annotation. */
  imagePreDownloadTimeoutSeconds: z.int32().optional(),
  /** Updated-ready pods required before pre-downloading; v1alpha1 keeps it in an annotation. */
  imagePreDownloadMinUpdatedReadyPods: z.int32().optional(),
});
/** How in-place updates are carried out: grace period and image pre-download settings. */
export type InPlaceUpdateStrategy = z.infer<typeof InPlaceUpdateStrategySchema>;
