import { z } from 'zod';
import { ObjectMetaSchema } from './objectMeta.js';
import { PodTemplateSpecSchema } from './pod.js';

/**
 * `batch/v1` Job, the subset kruise-ts reads and writes (AdvancedCronJob creates them from its
 * `jobTemplate`): spec fields the Job controller defines are kept as they are (`looseObject`),
 * status as the Job controller reports it.
 */

/** `apiVersion` of a Job. */
export const JOB_API_VERSION = 'batch/v1';
/** `kind` of a Job. */
export const JOB_KIND = 'Job';

/** Schema of a Job's `spec` (`batchv1.JobSpec`): the pod template and the Job controller's knobs. */
export const JobSpecSchema = z.looseObject({
  /** Pods to run at once (default 1). */
  parallelism: z.int32().optional(),
  /** Successful pods needed (default 1). */
  completions: z.int32().optional(),
  /** Seconds the Job may run before it fails. */
  activeDeadlineSeconds: z.number().int().optional(),
  /** Retries before the Job fails (default 6). */
  backoffLimit: z.int32().optional(),
  /** Seconds after finishing before the TTL controller deletes the Job. */
  ttlSecondsAfterFinished: z.int32().optional(),
  /** Stop creating pods (and delete the active ones) while true. */
  suspend: z.boolean().optional(),
  selector: z.looseObject({}).optional(),
  manualSelector: z.boolean().optional(),
  /** The pod template: restartPolicy `Never` or `OnFailure`. */
  template: PodTemplateSpecSchema,
});
/** The spec of a Job. */
export type JobSpec = z.infer<typeof JobSpecSchema>;

/** Schema of a Job condition (`Complete`, `Failed`, `Suspended`...; times are RFC 3339 strings). */
export const JobConditionSchema = z.looseObject({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  lastProbeTime: z.string().nullish(),
  lastTransitionTime: z.string().nullish(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
/** A condition of a Job. */
export type JobCondition = z.infer<typeof JobConditionSchema>;

/**
 * Schema of a condition of Kruise's job kinds (BroadcastJob, EphemeralJob): a Job condition whose
 * `status` is any string, as their Go types declare it.
 */
export const KruiseJobConditionSchema = z.looseObject({
  type: z.string(),
  status: z.string(),
  lastProbeTime: z.string().nullish(),
  lastTransitionTime: z.string().nullish(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

/** Schema of a Job's `status`. */
export const JobStatusSchema = z.looseObject({
  conditions: z.array(JobConditionSchema).optional(),
  /** When the Job controller started the Job (RFC 3339). */
  startTime: z.string().optional(),
  /** When the Job completed (RFC 3339). */
  completionTime: z.string().optional(),
  active: z.int32().optional(),
  succeeded: z.int32().optional(),
  failed: z.int32().optional(),
});
/** The observed state of a Job. */
export type JobStatus = z.infer<typeof JobStatusSchema>;

/** Schema of a `batch/v1` Job. */
export const JobSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: JobSpecSchema,
  status: JobStatusSchema.optional(),
});
/** A `batch/v1` Job. */
export type Job = z.infer<typeof JobSchema>;

/** Schema of a `batchv1.JobTemplateSpec`: the metadata and spec each created Job gets. */
export const JobTemplateSpecSchema = z.looseObject({
  metadata: ObjectMetaSchema.optional(),
  spec: JobSpecSchema,
});
/** What a Job is made from. */
export type JobTemplateSpec = z.infer<typeof JobTemplateSpecSchema>;
