import { z } from 'zod';
import { BroadcastJobSpecSchema } from './broadcastJobSpec.js';
import { KruiseJobConditionSchema } from './job.js';
import { ObjectMetaSchema } from './objectMeta.js';

/**
 * `apps.kruise.io/v1beta1` BroadcastJob, the storage version: one pod per eligible node, run to
 * completion (`apis/apps/v1beta1/broadcastjob_types.go`). The spec lives in `broadcastJobSpec.ts`
 * (shared with the AdvancedCronJob's `broadcastJobTemplate`).
 */

/** Label on every pod of a BroadcastJob: the job's name (`broadcastjob-name`). */
export const BROADCASTJOB_NAME_LABEL = 'broadcastjob-name';
/** Label on every pod of a BroadcastJob: the job's uid (`broadcastjob-controller-uid`). */
export const BROADCASTJOB_CONTROLLER_UID_LABEL = 'broadcastjob-controller-uid';

/** Schema of `status.phase`. */
export const BroadcastJobPhaseSchema = z.enum(['running', 'paused', 'failed', 'completed']);
/** `running`, `paused`, `failed` or `completed`. */
export type BroadcastJobPhase = z.infer<typeof BroadcastJobPhaseSchema>;

/** Schema of a `JobCondition` (`Complete` or `Failed`, always `True` once set). */
export const BroadcastJobConditionSchema = KruiseJobConditionSchema;
/** A condition of a BroadcastJob. */
export type BroadcastJobCondition = z.infer<typeof BroadcastJobConditionSchema>;

/** Schema of the `status`. */
export const BroadcastJobStatusSchema = z.looseObject({
  conditions: z.array(BroadcastJobConditionSchema).optional(),
  /** When the controller first saw the job (RFC 3339). */
  startTime: z.string().nullish(),
  /** When the job completed or failed (RFC 3339). */
  completionTime: z.string().nullish(),
  /** Pods neither finished nor being deleted. */
  active: z.number().int().optional(),
  /** Pods in phase Succeeded. */
  succeeded: z.number().int().optional(),
  /** Pods in phase Failed, or restarted more than `failurePolicy.restartLimit` times. */
  failed: z.number().int().optional(),
  /** Eligible nodes: those the job runs (or ran) a pod on. */
  desired: z.number().int().optional(),
  /** The phase (`''` before the controller's first pass, as Go's zero value). */
  phase: z.enum(['running', 'paused', 'failed', 'completed', '']).optional(),
});
/** The observed state of a BroadcastJob. */
export type BroadcastJobStatus = z.infer<typeof BroadcastJobStatusSchema>;

/** Schema of an `apps.kruise.io/v1beta1` BroadcastJob. */
export const BroadcastJobSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: BroadcastJobSpecSchema,
  status: BroadcastJobStatusSchema.optional(),
});
/** A BroadcastJob (`apps.kruise.io/v1beta1`). */
export type BroadcastJob = z.infer<typeof BroadcastJobSchema>;
