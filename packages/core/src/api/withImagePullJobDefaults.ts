import type { ImageListPullJob } from './imageListPullJob.js';
import type { ImagePullJob, ImagePullJobCompletionPolicy, ImagePullJobTemplate, PullPolicy } from './imagePullJob.js';
import type { ImagePullPolicy, ImageTagPullPolicy, NodeImage } from './nodeImage.js';

/** Default `pullPolicy.timeoutSeconds` of a pulling task (OpenKruise: 600). */
export const DEFAULT_IMAGE_PULL_TIMEOUT_SECONDS = 600;
/** Default `pullPolicy.backoffLimit` of a pulling task (OpenKruise: 3). */
export const DEFAULT_IMAGE_PULL_BACKOFF_LIMIT = 3;

/** The template fields {@link withImagePullJobDefaults} always sets. */
export interface DefaultedPullJobTemplate {
  readonly completionPolicy: ImagePullJobCompletionPolicy & { readonly type: 'Always' | 'Never' };
  readonly pullPolicy: PullPolicy & { readonly timeoutSeconds: number; readonly backoffLimit: number };
}

/** An ImagePullJob with OpenKruise's defaults applied. */
export type DefaultedImagePullJob = ImagePullJob & {
  readonly spec: ImagePullJob['spec'] & DefaultedPullJobTemplate & { readonly imagePullPolicy: ImagePullPolicy };
};
/** An ImageListPullJob with OpenKruise's defaults applied. */
export type DefaultedImageListPullJob = ImageListPullJob & { readonly spec: ImageListPullJob['spec'] & DefaultedPullJobTemplate };

function templateDefaults(spec: ImagePullJobTemplate): DefaultedPullJobTemplate {
  return {
    completionPolicy: { ...spec.completionPolicy, type: spec.completionPolicy.type ?? 'Always' },
    pullPolicy: {
      ...spec.pullPolicy,
      timeoutSeconds: spec.pullPolicy?.timeoutSeconds ?? DEFAULT_IMAGE_PULL_TIMEOUT_SECONDS,
      backoffLimit: spec.pullPolicy?.backoffLimit ?? DEFAULT_IMAGE_PULL_BACKOFF_LIMIT,
    },
  };
}

/**
 * Returns a copy of an ImagePullJob with the defaults OpenKruise's mutating webhook sets
 * (`SetDefaultsImagePullJob`): `completionPolicy.type` Always, `pullPolicy` timeoutSeconds 600 and
 * backoffLimit 3, `imagePullPolicy` IfNotPresent. `parallelism` stays unset (the controller reads
 * unset as 1). Set values are never changed; applying it twice gives the same object.
 *
 * @example `{ spec: { image: 'nginx', completionPolicy: {} } }` → spec gains `completionPolicy: { type: 'Always' },
 *   pullPolicy: { timeoutSeconds: 600, backoffLimit: 3 }, imagePullPolicy: 'IfNotPresent'`
 */
export function withImagePullJobDefaults(job: ImagePullJob): DefaultedImagePullJob {
  return { ...job, spec: { ...job.spec, ...templateDefaults(job.spec), imagePullPolicy: job.spec.imagePullPolicy ?? 'IfNotPresent' } };
}

/**
 * Returns a copy of an ImageListPullJob with the defaults of OpenKruise's mutating webhook
 * (`SetDefaultsImageListPullJob`): `completionPolicy.type` Always, `pullPolicy` timeoutSeconds 600
 * and backoffLimit 3 (no `imagePullPolicy` default: the ImagePullJobs it creates get theirs).
 *
 * @example `{ spec: { images: ['a', 'b'], completionPolicy: {} } }` → `completionPolicy: { type: 'Always' }, pullPolicy: { timeoutSeconds: 600, backoffLimit: 3 }`
 */
export function withImageListPullJobDefaults(job: ImageListPullJob): DefaultedImageListPullJob {
  return { ...job, spec: { ...job.spec, ...templateDefaults(job.spec) } };
}

/**
 * Returns a copy of a NodeImage with the defaults of OpenKruise's mutating webhook
 * (`SetDefaultsNodeImage`): each tag without `createdAt` gets `now`, and its `pullPolicy` gets
 * timeoutSeconds 600 and backoffLimit 3 when unset.
 *
 * @example a tag `{ tag: '1.0' }` at now '2026-01-01T00:00:00Z' → `{ tag: '1.0', createdAt: '2026-01-01T00:00:00Z', pullPolicy: { timeoutSeconds: 600, backoffLimit: 3 } }`
 */
export function withNodeImageDefaults(nodeImage: NodeImage, now: string): NodeImage {
  const images = nodeImage.spec?.images;
  if (images === undefined) return nodeImage;
  const tagPolicy = (policy: ImageTagPullPolicy | undefined): ImageTagPullPolicy => ({
    ...policy,
    timeoutSeconds: policy?.timeoutSeconds ?? DEFAULT_IMAGE_PULL_TIMEOUT_SECONDS,
    backoffLimit: policy?.backoffLimit ?? DEFAULT_IMAGE_PULL_BACKOFF_LIMIT,
  });
  const defaulted = Object.fromEntries(
    Object.entries(images).map(([name, image]) => [
      name,
      { ...image, tags: image.tags.map((tag) => ({ ...tag, createdAt: tag.createdAt ?? now, pullPolicy: tagPolicy(tag.pullPolicy) })) },
    ]),
  );
  return { ...nodeImage, spec: { ...nodeImage.spec, images: defaulted } };
}
