import { z } from 'zod';
import { IntOrPercentSchema } from '../shared/intOrPercent.js';
import { LabelSelectorSchema } from '../shared/selector.js';
import { BroadcastJobCompletionPolicySchema } from './broadcastJobSpec.js';
import { ImagePullPolicySchema, SandboxConfigSchema } from './nodeImage.js';
import { ObjectMetaSchema } from './objectMeta.js';

/**
 * `apps.kruise.io` ImagePullJob (`apis/apps/v1alpha1/imagepulljob_types.go`, the same fields in
 * v1beta1): pulls one image on the nodes it selects, `parallelism` nodes at a time, by writing a
 * tag entry (owned by the job) into each node's NodeImage and reading back what the daemon reports.
 */

/** `apiVersion` of the ImagePullJob (the storage version). */
export const IMAGEPULLJOB_API_VERSION = 'apps.kruise.io/v1beta1';
/** `apiVersion` of the older ImagePullJob version OpenKruise still serves (same fields). */
export const IMAGEPULLJOB_V1ALPHA1_API_VERSION = 'apps.kruise.io/v1alpha1';
/** `kind` of an ImagePullJob. */
export const IMAGEPULLJOB_KIND = 'ImagePullJob';
/** Schema of `PullPolicy`. */
export const PullPolicySchema = z.looseObject({
  /** Seconds one pull attempt may take (default 600). */
  timeoutSeconds: z.int32().optional(),
  /** Retries before a node's task is Failed (default 3). */
  backoffLimit: z.int32().optional(),
});
/** The parameters of each node's pulling task. */
export type PullPolicy = z.infer<typeof PullPolicySchema>;

/** Schema of `ImagePullJobNodeSelector`: node names, or a label selector over nodes (not both). */
export const ImagePullJobNodeSelectorSchema = LabelSelectorSchema.extend({
  names: z.array(z.string()).optional(),
});
/** The nodes a job pulls on. */
export type ImagePullJobNodeSelector = z.infer<typeof ImagePullJobNodeSelectorSchema>;

/** Schema of `ImagePullJobPodSelector`: the nodes of the pods it matches. */
export const ImagePullJobPodSelectorSchema = LabelSelectorSchema;
/** A label selector over pods whose nodes a job pulls on. */
export type ImagePullJobPodSelector = z.infer<typeof ImagePullJobPodSelectorSchema>;

/** Schema of `completionPolicy` (OpenKruise's `CompletionPolicy`, shared with BroadcastJob). */
export const ImagePullJobCompletionPolicySchema = BroadcastJobCompletionPolicySchema;
/** When an ImagePullJob finishes: `Always` (default) or `Never`, with deadline and TTL. */
export type ImagePullJobCompletionPolicy = z.infer<typeof ImagePullJobCompletionPolicySchema>;

/** The fields of `ImagePullJobTemplate`, shared by ImagePullJob and ImageListPullJob. */
export const imagePullJobTemplateShape = {
  /** Secrets in the job's namespace to pull with. */
  pullSecrets: z.array(z.string()).optional(),
  /** Nodes to pull on; unset: all nodes. */
  selector: ImagePullJobNodeSelectorSchema.optional(),
  /** Pull on the nodes of the pods this matches (not with `selector`). */
  podSelector: ImagePullJobPodSelectorSchema.optional(),
  /** Nodes pulling at once: a count or a percentage of the desired nodes (default 1; 0 pauses). */
  parallelism: IntOrPercentSchema.optional(),
  pullPolicy: PullPolicySchema.optional(),
  completionPolicy: ImagePullJobCompletionPolicySchema,
  sandboxConfig: SandboxConfigSchema.optional(),
  /** `Always` or `IfNotPresent` (default). */
  imagePullPolicy: ImagePullPolicySchema.optional(),
};

/** Schema of `ImagePullJobTemplate`. */
export const ImagePullJobTemplateSchema = z.looseObject(imagePullJobTemplateShape);
/** What an ImagePullJob is made from (an ImageListPullJob stamps one per image). */
export type ImagePullJobTemplate = z.infer<typeof ImagePullJobTemplateSchema>;

/** Schema of the `spec`. */
export const ImagePullJobSpecSchema = z.looseObject({
  /** The image to pull (`name[:tag][@digest]`). */
  image: z.string(),
  ...imagePullJobTemplateShape,
});
/** The spec of an ImagePullJob. */
export type ImagePullJobSpec = z.infer<typeof ImagePullJobSpecSchema>;

/** Schema of the `status`. */
export const ImagePullJobStatusSchema = z.looseObject({
  startTime: z.string().nullish(),
  completionTime: z.string().nullish(),
  /** Nodes the job covers. */
  desired: z.int32(),
  /** Nodes pulling now. */
  active: z.int32().optional(),
  succeeded: z.int32().optional(),
  failed: z.int32().optional(),
  /** A summary of the job (why it failed, or how far it is). */
  message: z.string().optional(),
  failedNodes: z.array(z.string()).optional(),
});
/** The observed state of an ImagePullJob. */
export type ImagePullJobStatus = z.infer<typeof ImagePullJobStatusSchema>;

/** Schema of an `apps.kruise.io` ImagePullJob (both versions). */
export const ImagePullJobSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: ImagePullJobSpecSchema,
  status: ImagePullJobStatusSchema.optional(),
});
/** An ImagePullJob. */
export type ImagePullJob = z.infer<typeof ImagePullJobSchema>;
/** Schema of the v1alpha1 ImagePullJob: the v1beta1 fields. */
export const ImagePullJobV1alpha1Schema = ImagePullJobSchema;
