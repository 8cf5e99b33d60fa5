import { z } from 'zod';
import { IntOrPercentSchema } from '../shared/intOrPercent.js';
import { ObjectMetaSchema } from './objectMeta.js';
import { PodTemplateSpecSchema } from './pod.js';

/**
 * The spec of an `apps.kruise.io/v1beta1` BroadcastJob (`apis/apps/v1beta1/broadcastjob_types.go`),
 * as far as an AdvancedCronJob's `broadcastJobTemplate` needs it: one pod per eligible node,
 * `parallelism` at a time. The same fields in v1alpha1.
 */

/** `apiVersion` of the v1beta1 BroadcastJob. */
export const BROADCASTJOB_API_VERSION = 'apps.kruise.io/v1beta1';
/** `kind` of a BroadcastJob. */
export const BROADCASTJOB_KIND = 'BroadcastJob';

/** Schema of `completionPolicy`. */
export const BroadcastJobCompletionPolicySchema = z.looseObject({
  /** `Always` (default: the job finishes once every desired node ran its pod) or `Never` (keeps covering new nodes). */
  type: z.enum(['Always', 'Never']).optional(),
  /** Seconds from the start the job may stay active (type Always only). */
  activeDeadlineSeconds: z.number().int().optional(),
  /** Seconds after finishing before the job deletes itself (type Always only). */
  ttlSecondsAfterFinished: z.int32().optional(),
});
/** When a BroadcastJob finishes. */
export type BroadcastJobCompletionPolicy = z.infer<typeof BroadcastJobCompletionPolicySchema>;

/** Schema of `failurePolicy`. */
export const BroadcastJobFailurePolicySchema = z.looseObject({
  /** `FailFast` (default), `Continue` or `Pause` when a pod fails. */
  type: z.enum(['Continue', 'FailFast', 'Pause']).optional(),
  /** Container restarts tolerated before a pod counts as failed. */
  restartLimit: z.int32().optional(),
});
/** What a BroadcastJob does with a failed pod. */
export type BroadcastJobFailurePolicy = z.infer<typeof BroadcastJobFailurePolicySchema>;

/** Schema of a BroadcastJob's `spec`. */
export const BroadcastJobSpecSchema = z.looseObject({
  /** Most pods running at once: a count or a percentage of the desired nodes (default: no limit). */
  parallelism: IntOrPercentSchema.optional(),
  /** The pod run on each node (stored schemaless in the CRD). */
  template: PodTemplateSpecSchema,
  completionPolicy: BroadcastJobCompletionPolicySchema.optional(),
  paused: z.boolean().optional(),
  failurePolicy: BroadcastJobFailurePolicySchema.optional(),
});
/** The spec of a BroadcastJob. */
export type BroadcastJobSpec = z.infer<typeof BroadcastJobSpecSchema>;

/** Schema of a `BroadcastJobTemplateSpec`: the metadata and spec each BroadcastJob an AdvancedCronJob creates gets. */
export const BroadcastJobTemplateSpecSchema = z.looseObject({
  metadata: ObjectMetaSchema.optional(),
  spec: BroadcastJobSpecSchema,
});
/** What a BroadcastJob is made from. */
export type BroadcastJobTemplateSpec = z.infer<typeof BroadcastJobTemplateSpecSchema>;
