import type { ImagePullJob } from '../api/imagePullJob.js';
import type { ImageSpec, ImageTagPullPolicy, ImageTagSpec, NodeImage, ReferenceObject, TagOwnerReference } from '../api/nodeImage.js';
import { IMAGEPULLJOB_API_VERSION, IMAGEPULLJOB_KIND } from '../api/imagePullJob.js';
import { DEFAULT_IMAGE_PULL_BACKOFF_LIMIT, DEFAULT_IMAGE_PULL_TIMEOUT_SECONDS } from '../api/withImagePullJobDefaults.js';

/** TTL of a Never job's tag entries: 24 h ± 10 min (OpenKruise's `defaultTTLSecondsForNever`). */
export const NEVER_JOB_TAG_TTL_SECONDS = 24 * 3600;
/** activeDeadlineSeconds of a Never job's tag entries unless its timeout is longer (OpenKruise: 1800). */
export const NEVER_JOB_TAG_DEADLINE_SECONDS = 1800;

/** Returns the reference a job's tag entries carry as owner (apiVersion, kind, namespace, name, uid). */
export function imagePullJobOwnerRef(job: ImagePullJob): TagOwnerReference {
  return { apiVersion: IMAGEPULLJOB_API_VERSION, kind: IMAGEPULLJOB_KIND, namespace: job.metadata?.namespace ?? '', name: job.metadata?.name ?? '', uid: job.metadata?.uid ?? '' };
}

/** Returns the pull secrets of a job as NodeImage references: each name in the job's namespace. */
export function imagePullJobSecrets(job: ImagePullJob): ReferenceObject[] {
  return (job.spec.pullSecrets ?? []).map((name) => ({ namespace: job.metadata?.namespace ?? '', name }));
}

/**
 * Returns the pull policy of a job's tag entries (OpenKruise's `getImagePullPolicy`): the job's
 * timeout and backoff; for Never a TTL of 24 h ± 10 min and a deadline of max(timeout, 1800 s);
 * for Always the job's deadline and a TTL of (ttlSecondsAfterFinished, else activeDeadlineSeconds,
 * else timeout × backoffLimit) + 300..599 s. `jitter` in [0, 1) stands for OpenKruise's random
 * draw, so the caller decides it.
 *
 * @example Always, timeout 600, backoff 3, jitter 0 → { timeoutSeconds: 600, backoffLimit: 3, ttlSecondsAfterFinished: 2100 }
 */
export function jobTagPullPolicy(job: ImagePullJob, jitter: number): ImageTagPullPolicy {
  const { pullPolicy, completionPolicy } = job.spec;
  const base: ImageTagPullPolicy = {
    ...(pullPolicy?.timeoutSeconds === undefined ? {} : { timeoutSeconds: pullPolicy.timeoutSeconds }),
    ...(pullPolicy?.backoffLimit === undefined ? {} : { backoffLimit: pullPolicy.backoffLimit }),
  };
  if (completionPolicy.type === 'Never') {
    const timeout = pullPolicy?.timeoutSeconds;
    return {
      ...base,
      ttlSecondsAfterFinished: NEVER_JOB_TAG_TTL_SECONDS + Math.floor(jitter * 1200) - 600,
      activeDeadlineSeconds: timeout !== undefined && timeout > NEVER_JOB_TAG_DEADLINE_SECONDS ? timeout : NEVER_JOB_TAG_DEADLINE_SECONDS,
    };
  }
  const ttl =
    completionPolicy.ttlSecondsAfterFinished ??
    completionPolicy.activeDeadlineSeconds ??
    (pullPolicy?.timeoutSeconds ?? DEFAULT_IMAGE_PULL_TIMEOUT_SECONDS) * (pullPolicy?.backoffLimit ?? DEFAULT_IMAGE_PULL_BACKOFF_LIMIT);
  return {
    ...base,
    ttlSecondsAfterFinished: ttl + 300 + Math.floor(jitter * 300),
    ...(completionPolicy.activeDeadlineSeconds === undefined ? {} : { activeDeadlineSeconds: completionPolicy.activeDeadlineSeconds }),
  };
}

/** What {@link withJobTag} needs besides the NodeImage. */
export interface JobTagRequest {
  readonly job: ImagePullJob;
  /** Familiar image name (the `spec.images` key) and tag, from `parseImageReference`. */
  readonly imageName: string;
  readonly tag: string;
  /** RFC 3339 time written as the entry's `createdAt`. */
  readonly now: string;
  /** Random draw in [0, 1) for the TTL jitter ({@link jobTagPullPolicy}). */
  readonly jitter: number;
  /** The pull secrets to list (the job's copies in the daemon's namespace); omitted → the job's own secrets. */
  readonly secrets?: readonly ReferenceObject[] | undefined;
}

/** The outcome of {@link withJobTag}: the image's new spec, or why nothing changes. */
export type JobTagOutcome = { readonly kind: 'write'; readonly image: ImageSpec; readonly version: number } | { readonly kind: 'already-synced' };

/**
 * Returns the NodeImage's `spec.images[imageName]` with the job's tag entry in it, as OpenKruise's
 * `syncNodeImages` writes it: the job's sandboxConfig and missing pull secrets; an existing entry
 * of the tag gets the job added to its owners, its `version` bumped (a new round of pulling),
 * `createdAt` now and the job's imagePullPolicy, unless the job already owns it (`already-synced`);
 * a new entry gets version (the version the daemon last reported for the tag, else -1) + 1, the
 * job's tag pull policy and the job as only owner. Tags stay sorted by name.
 *
 * @example no entry yet, daemon status version 2 for the tag → a new entry with version 3
 */
export function withJobTag(nodeImage: NodeImage, request: JobTagRequest): JobTagOutcome {
  const { job, imageName, tag, now } = request;
  const owner = imagePullJobOwnerRef(job);
  const current = nodeImage.spec?.images?.[imageName];
  const secrets = [...(current?.pullSecrets ?? [])];
  for (const secret of request.secrets ?? imagePullJobSecrets(job)) if (!secrets.some((s) => s.namespace === secret.namespace && s.name === secret.name)) secrets.push(secret);
  const tags = [...(current?.tags ?? [])];
  const index = tags.findIndex((t) => t.tag === tag);
  let version: number;
  const existing = tags[index];
  if (existing !== undefined) {
    if ((existing.ownerReferences ?? []).some((ref) => ref.uid === owner.uid && ref.name === owner.name && ref.namespace === owner.namespace && ref.kind === owner.kind)) return { kind: 'already-synced' };
    version = (existing.version ?? 0) + 1;
    tags[index] = { ...existing, version, ownerReferences: [...(existing.ownerReferences ?? []), owner], createdAt: now, ...imagePullPolicyOf(job) };
  } else {
    const reported = nodeImage.status?.imageStatuses?.[imageName]?.tags.find((t) => t.tag === tag)?.version ?? -1;
    version = reported + 1;
    tags.push({ tag, version, pullPolicy: jobTagPullPolicy(job, request.jitter), ownerReferences: [owner], createdAt: now, ...imagePullPolicyOf(job) });
  }
  tags.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  const image: ImageSpec = {
    ...current,
    ...(secrets.length === 0 ? {} : { pullSecrets: secrets }),
    tags,
    ...(job.spec.sandboxConfig === undefined ? {} : { sandboxConfig: job.spec.sandboxConfig }),
  };
  if (job.spec.sandboxConfig === undefined) delete (image as { sandboxConfig?: unknown }).sandboxConfig;
  return { kind: 'write', image, version };
}

function imagePullPolicyOf(job: ImagePullJob): Pick<ImageTagSpec, 'imagePullPolicy'> {
  return job.spec.imagePullPolicy === undefined ? {} : { imagePullPolicy: job.spec.imagePullPolicy };
}
