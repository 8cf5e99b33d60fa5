import { z } from 'zod';
import { BroadcastJobTemplateSpecSchema } from './broadcastJobSpec.js';
import { ImageListPullJobSpecSchema } from './imageListPullJob.js';
import { JobTemplateSpecSchema } from './job.js';
import { ObjectMetaSchema } from './objectMeta.js';
import { ObjectReferenceSchema } from './objectReference.js';

/**
 * `apps.kruise.io/v1beta1` AdvancedCronJob, the storage version: a CronJob that creates
 * `batch/v1` Jobs, BroadcastJobs or ImageListPullJobs on a robfig/cron schedule, optionally in a time zone
 * (`apis/apps/v1beta1/advancedcronjob_types.go`). Every object is a `looseObject`; optional fields
 * are optional exactly as in OpenKruise's Go types.
 */

/** `apiVersion` of the v1beta1 (storage) AdvancedCronJob. */
export const ADVANCEDCRONJOB_API_VERSION = 'apps.kruise.io/v1beta1';
/** `kind` of an AdvancedCronJob. */
export const ADVANCEDCRONJOB_KIND = 'AdvancedCronJob';

/**
 * Annotation on each job an AdvancedCronJob creates: its scheduled time (RFC 3339). The controller
 * reads `status.lastScheduleTime` back from it.
 */
export const SCHEDULED_AT_ANNOTATION = 'apps.kruise.io/scheduled-at';

/** Schema of `concurrencyPolicy`: `Allow` (default), `Forbid` (skip a run while one is active) or `Replace` (delete the active ones first). */
export const ConcurrencyPolicySchema = z.enum(['Allow', 'Forbid', 'Replace']);
/** How runs that would overlap are treated. */
export type ConcurrencyPolicy = z.infer<typeof ConcurrencyPolicySchema>;

/** Schema of `status.type`: the kind of the template, hence of the created jobs. */
export const TemplateKindSchema = z.enum(['Job', 'BroadcastJob', 'ImageListPullJob']);
/** `Job`, `BroadcastJob` or `ImageListPullJob` (v1beta1 only). */
export type TemplateKind = z.infer<typeof TemplateKindSchema>;

/**
 * Schema of `spec.template.imageListPullJobTemplate` (`ImageListPullJobTemplateSpec`, v1beta1
 * only): the metadata and the spec of the ImageListPullJob each run creates.
 */
export const ImageListPullJobTemplateSpecSchema = z.looseObject({
  metadata: ObjectMetaSchema.optional(),
  spec: ImageListPullJobSpecSchema,
});
/** What an ImageListPullJob of an AdvancedCronJob is made from. */
export type ImageListPullJobTemplateSpec = z.infer<typeof ImageListPullJobTemplateSpecSchema>;

/** The templates both versions have. */
const commonTemplateShape = {
  /** A `batch/v1` JobTemplateSpec (stored schemaless in the CRD). */
  jobTemplate: JobTemplateSpecSchema.optional(),
  /** A BroadcastJob template. */
  broadcastJobTemplate: BroadcastJobTemplateSpecSchema.optional(),
};

/** Schema of the v1alpha1 `spec.template`: a job or a BroadcastJob template. */
export const CronJobTemplateV1alpha1Schema = z.looseObject(commonTemplateShape);

/** Schema of `spec.template`: exactly one of the templates (validation refuses none and two). */
export const CronJobTemplateSchema = z.looseObject({
  ...commonTemplateShape,
  /** An ImageListPullJob template (v1beta1 only; OpenKruise v1.9). */
  imageListPullJobTemplate: ImageListPullJobTemplateSpecSchema.optional(),
});
/** The template of the jobs an AdvancedCronJob creates. */
export type CronJobTemplate = z.infer<typeof CronJobTemplateSchema>;

/** Schema of the v1beta1 `spec`. */
export const AdvancedCronJobSpecSchema = z.looseObject({
  /**
   * robfig/cron standard schedule: five fields (`?` = `*`), a descriptor (`@hourly`, `@every 90s`),
   * optionally prefixed `TZ=<zone> ` or `CRON_TZ=<zone> ` (then `timeZone` must be unset).
   */
  schedule: z.string(),
  /** IANA zone the schedule is read in; unset: the manager's zone (UTC unless configured). */
  timeZone: z.string().optional(),
  /** A run missed by more than this many seconds is not started. */
  startingDeadlineSeconds: z.number().int().optional(),
  concurrencyPolicy: ConcurrencyPolicySchema.optional(),
  /** No new runs while true (default false); running jobs continue. */
  paused: z.boolean().optional(),
  /** Succeeded jobs kept (default 3). */
  successfulJobsHistoryLimit: z.int32().optional(),
  /** Failed jobs kept (default 1). */
  failedJobsHistoryLimit: z.int32().optional(),
  template: CronJobTemplateSchema,
});
/** The v1beta1 spec of an AdvancedCronJob. */
export type AdvancedCronJobSpec = z.infer<typeof AdvancedCronJobSpecSchema>;

// ObjectReference lives in objectReference.ts (nodeImage.ts needs it too; importing it from here made a load cycle).
export { ObjectReferenceSchema, type ObjectReference } from './objectReference.js';

/** Schema of the `status`. */
export const AdvancedCronJobStatusSchema = z.looseObject({
  /** The kind of the template (`Job`, `BroadcastJob` or `ImageListPullJob`). */
  type: TemplateKindSchema.optional(),
  /** The jobs still running (neither Complete nor Failed). */
  active: z.array(ObjectReferenceSchema).optional(),
  /** The latest scheduled time of any of its jobs (RFC 3339). */
  lastScheduleTime: z.string().nullish(),
});
/** The observed state of an AdvancedCronJob. */
export type AdvancedCronJobStatus = z.infer<typeof AdvancedCronJobStatusSchema>;

/** Schema of an `apps.kruise.io/v1beta1` AdvancedCronJob. */
export const AdvancedCronJobSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: AdvancedCronJobSpecSchema,
  status: AdvancedCronJobStatusSchema.optional(),
});
/** An AdvancedCronJob (`apps.kruise.io/v1beta1`). */
export type AdvancedCronJob = z.infer<typeof AdvancedCronJobSchema>;
