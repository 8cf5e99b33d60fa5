import { z } from 'zod';
import { ObjectReferenceSchema } from './objectReference.js';
import { ObjectMetaSchema } from './objectMeta.js';

/**
 * `apps.kruise.io` NodeImage (`apis/apps/v1alpha1/nodeimage_types.go`, the same fields in
 * v1beta1): cluster-scoped, one per node and named after it. `spec.images` lists what the node's
 * kruise-daemon must pull (written by the ImagePullJob controller, one tag entry per job),
 * `status.imageStatuses` what the daemon did (written by the daemon).
 */

/** `apiVersion` of the NodeImage (the storage version). */
export const NODEIMAGE_API_VERSION = 'apps.kruise.io/v1beta1';
/** `apiVersion` of the older NodeImage version OpenKruise still serves (same fields). */
export const NODEIMAGE_V1ALPHA1_API_VERSION = 'apps.kruise.io/v1alpha1';
/** `kind` of a NodeImage. */
export const NODEIMAGE_KIND = 'NodeImage';
/** Most images one NodeImage may list (OpenKruise's validating webhook: 256). */
export const MAX_IMAGES_PER_NODE = 256;

/** Schema of `ImagePullPolicy`: `Always` re-pulls, `IfNotPresent` (the default) skips an image the node has. */
export const ImagePullPolicySchema = z.enum(['Always', 'IfNotPresent']);
/** When kruise-daemon pulls an image it already has. */
export type ImagePullPolicy = z.infer<typeof ImagePullPolicySchema>;

/** Schema of `SandboxConfig`: metadata passed to the CRI `PullImage` call's pod sandbox config. */
export const SandboxConfigSchema = z.looseObject({
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
/** Labels and annotations of the sandbox config given to the runtime's PullImage. */
export type SandboxConfig = z.infer<typeof SandboxConfigSchema>;

/** Schema of a `ReferenceObject`: a Secret as `<namespace>/<name>`. */
export const ReferenceObjectSchema = z.looseObject({
  namespace: z.string().optional(),
  name: z.string().optional(),
});
/** A namespaced reference (a pull secret of an image). */
export type ReferenceObject = z.infer<typeof ReferenceObjectSchema>;

/** Schema of `ImageTagPullPolicy`. */
export const ImageTagPullPolicySchema = z.looseObject({
  /** Seconds one pull attempt may take (default 600). */
  timeoutSeconds: z.int32().optional(),
  /** Retries before the task is Failed (default 3). */
  backoffLimit: z.int32().optional(),
  /** Seconds after the task finished before the tag may be removed from the spec; unset: never. */
  ttlSecondsAfterFinished: z.int32().optional(),
  /** Seconds from the task's start it may stay active; unset: no limit. */
  activeDeadlineSeconds: z.number().int().optional(),
});
/** The parameters of one pulling task. */
export type ImageTagPullPolicy = z.infer<typeof ImageTagPullPolicySchema>;

/** Schema of an owner of a tag entry (a `corev1.ObjectReference`, the ImagePullJob). */
export const TagOwnerReferenceSchema = ObjectReferenceSchema.extend({ fieldPath: z.string().optional() });
/** Who asked for a tag (an ImagePullJob: apiVersion, kind, namespace, name, uid). */
export type TagOwnerReference = z.infer<typeof TagOwnerReferenceSchema>;

/** Schema of `ImageTagSpec`. */
export const ImageTagSpecSchema = z.looseObject({
  /** The tag (or digest, `sha256:...`) to pull. */
  tag: z.string(),
  /** When the entry was added (RFC 3339); required by the webhook (defaulted to now). */
  createdAt: z.string().nullish(),
  pullPolicy: ImageTagPullPolicySchema.optional(),
  /** The jobs that want this tag; an entry without owners is removed once its TTL passes. */
  ownerReferences: z.array(TagOwnerReferenceSchema).optional(),
  /** Bumped when the task must be redone; the daemon reports the version it handled. */
  version: z.number().int().optional(),
  imagePullPolicy: ImagePullPolicySchema.optional(),
});
/** One tag of an image a node must pull. */
export type ImageTagSpec = z.infer<typeof ImageTagSpecSchema>;

/** Schema of `ImageSpec`. */
export const ImageSpecSchema = z.looseObject({
  /** Secrets (namespace/name) to pull with. */
  pullSecrets: z.array(ReferenceObjectSchema).optional(),
  tags: z.array(ImageTagSpecSchema),
  sandboxConfig: SandboxConfigSchema.optional(),
});
/** The tags of one image (name without tag, e.g. `nginx`, `registry.local:5000/app`). */
export type ImageSpec = z.infer<typeof ImageSpecSchema>;

/** Schema of the `spec`. */
export const NodeImageSpecSchema = z.looseObject({
  /** Image name → what to pull of it (at most 256). */
  images: z.record(z.string(), ImageSpecSchema).optional(),
});
/** The spec of a NodeImage. */
export type NodeImageSpec = z.infer<typeof NodeImageSpecSchema>;

/** Schema of `ImagePullPhase`. */
export const ImagePullPhaseSchema = z.enum(['Waiting', 'Pulling', 'Succeeded', 'Failed']);
/** The phase of a pulling task. */
export type ImagePullPhase = z.infer<typeof ImagePullPhaseSchema>;

/** Schema of `ImageTagStatus`. */
export const ImageTagStatusSchema = z.looseObject({
  tag: z.string(),
  phase: ImagePullPhaseSchema,
  /** 0–100, not monotonic (a retry may go back). */
  progress: z.int32().optional(),
  startTime: z.string().nullish(),
  completionTime: z.string().nullish(),
  /** The spec `version` this status is about. */
  version: z.number().int().optional(),
  imageID: z.string().optional(),
  message: z.string().optional(),
});
/** What the daemon did with one tag. */
export type ImageTagStatus = z.infer<typeof ImageTagStatusSchema>;

/** Schema of `ImageStatus`. */
export const ImageStatusSchema = z.looseObject({ tags: z.array(ImageTagStatusSchema) });
/** The pulling statuses of one image's tags. */
export type ImageStatus = z.infer<typeof ImageStatusSchema>;

/** Schema of `SyncStatus`: when the node's first pulls all finished. */
export const SyncStatusSchema = z.looseObject({
  syncAt: z.string().nullish(),
  status: z.enum(['Succeeded', 'Failed']).optional(),
  message: z.string().optional(),
});
/** The summary of a node's first round of pulls. */
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

/** Schema of the `status`. */
export const NodeImageStatusSchema = z.looseObject({
  /** Pulling tasks (tags) in the spec. */
  desired: z.int32(),
  succeeded: z.int32().optional(),
  failed: z.int32().optional(),
  /** Tasks not finished. */
  pulling: z.int32().optional(),
  imageStatuses: z.record(z.string(), ImageStatusSchema).optional(),
  firstSyncStatus: SyncStatusSchema.optional(),
});
/** The observed state of a NodeImage. */
export type NodeImageStatus = z.infer<typeof NodeImageStatusSchema>;

/** Schema of an `apps.kruise.io` NodeImage (both versions). */
export const NodeImageSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: NodeImageSpecSchema.optional(),
  status: NodeImageStatusSchema.optional(),
});
/** A NodeImage. */
export type NodeImage = z.infer<typeof NodeImageSchema>;
/** Schema of the v1alpha1 NodeImage: the v1beta1 fields. */
export const NodeImageV1alpha1Schema = NodeImageSchema;
