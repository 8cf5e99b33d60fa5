import { z } from 'zod';
import { LabelSelectorSchema } from '../shared/selector.js';
import { KruiseJobConditionSchema } from './job.js';
import { ObjectMetaSchema } from './objectMeta.js';
import { ContainerSchema } from './pod.js';

/**
 * `apps.kruise.io/v1alpha1` EphemeralJob (`apis/apps/v1alpha1/ephemeraljob_types.go`, v1alpha1
 * only): injects the ephemeral containers of its template into the pods its selector matches,
 * `parallelism` pods at a time.
 */

/** `apiVersion` of the EphemeralJob. */
export const EPHEMERALJOB_API_VERSION = 'apps.kruise.io/v1alpha1';
/** `kind` of an EphemeralJob. */
export const EPHEMERALJOB_KIND = 'EphemeralJob';
/** Env var every injected container carries, valued with the job's uid: how the job knows its containers (`KRUISE_EJOB_ID`). */
export const EPHEMERAL_CONTAINER_ENV_KEY = 'KRUISE_EJOB_ID';

/** Schema of an ephemeral container (a container with a few fields forbidden, and `targetContainerName`). */
export const EphemeralContainerSchema = ContainerSchema.extend({
  /** The container whose namespaces the ephemeral container shares. */
  targetContainerName: z.string().optional(),
});
/** An ephemeral container of the template. */
export type EphemeralContainer = z.infer<typeof EphemeralContainerSchema>;

/** Schema of the `spec`. */
export const EphemeralJobSpecSchema = z.looseObject({
  /** The pods to inject into (required; an empty selector matches none). */
  selector: LabelSelectorSchema,
  /** At most this many of the matched pods (oldest first); unset: all. */
  replicas: z.int32().optional(),
  /** Pods injected at a time (default 1). */
  parallelism: z.int32().optional(),
  /** The ephemeral containers to inject (stored schemaless in the CRD). */
  template: z.looseObject({ ephemeralContainers: z.array(EphemeralContainerSchema) }),
  paused: z.boolean().optional(),
  /** Seconds from the start the job may stay active before it fails. */
  activeDeadlineSeconds: z.number().int().optional(),
  /** Seconds after finishing before the job deletes itself (default 1800). */
  ttlSecondsAfterFinished: z.int32().optional(),
});
/** The spec of an EphemeralJob. */
export type EphemeralJobSpec = z.infer<typeof EphemeralJobSpecSchema>;

/** Schema of `status.phase`. */
export const EphemeralJobPhaseSchema = z.enum(['Succeeded', 'Failed', 'Waiting', 'Running', 'Paused', 'Error', 'Unknown', '']);
/** The phase of an EphemeralJob. */
export type EphemeralJobPhase = z.infer<typeof EphemeralJobPhaseSchema>;

/** Schema of a condition (`Initialized`, `MatchedEmpty`, `JobSucceeded`, `JobFailed`, `JobError`). */
export const EphemeralJobConditionSchema = KruiseJobConditionSchema;
/** A condition of an EphemeralJob. */
export type EphemeralJobCondition = z.infer<typeof EphemeralJobConditionSchema>;

/** Schema of the `status` (`match` is the JSON name of OpenKruise's `Matches`). */
export const EphemeralJobStatusSchema = z.looseObject({
  conditions: z.array(EphemeralJobConditionSchema).optional(),
  startTime: z.string().nullish(),
  completionTime: z.string().nullish(),
  phase: EphemeralJobPhaseSchema.optional(),
  /** Target pods (matched, active, capped at `replicas`). */
  match: z.number().int().optional(),
  running: z.number().int().optional(),
  succeeded: z.number().int().optional(),
  /** Targets whose containers are not injected or not started yet. */
  waiting: z.number().int().optional(),
  failed: z.number().int().optional(),
});
/** The observed state of an EphemeralJob. */
export type EphemeralJobStatus = z.infer<typeof EphemeralJobStatusSchema>;

/** Schema of an `apps.kruise.io/v1alpha1` EphemeralJob. */
export const EphemeralJobSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: EphemeralJobSpecSchema,
  status: EphemeralJobStatusSchema.optional(),
});
/** An EphemeralJob (`apps.kruise.io/v1alpha1`). */
export type EphemeralJob = z.infer<typeof EphemeralJobSchema>;
