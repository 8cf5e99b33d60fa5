import type { FailedImageStatus, ImageListPullJob, ImageListPullJobStatus } from '../api/imageListPullJob.js';
import type { ImagePullJob, ImagePullJobTemplate } from '../api/imagePullJob.js';
import { IMAGEPULLJOB_API_VERSION, IMAGEPULLJOB_KIND } from '../api/imagePullJob.js';
import { IMAGELISTPULLJOB_API_VERSION, IMAGELISTPULLJOB_KIND } from '../api/imageListPullJob.js';
import { formatTime, parseTime, type EpochMs } from '../shared/podState.js';
import { canonicalJson, fnv1a32, safeEncode } from '../shared/revision.js';

/** Label holding the hash of the template an ImagePullJob was made from (`controller-revision-hash`). */
export const TEMPLATE_HASH_LABEL = 'controller-revision-hash';

/** What {@link planImageListPullJob} reads. */
export interface ImageListPullJobSnapshot {
  /** The list job, with OpenKruise's defaults applied. */
  readonly job: ImageListPullJob;
  /** The ImagePullJobs it controls (owner uid), deleted ones excluded. */
  readonly owned: readonly ImagePullJob[];
  readonly now: EpochMs;
}

/** One write the pass asks for. */
export type ImageListPullJobAction =
  | { readonly kind: 'label-template-hash'; readonly hash: string }
  | { readonly kind: 'create-image-pull-job'; readonly image: string; readonly job: ImagePullJob }
  | { readonly kind: 'delete-image-pull-job'; readonly name: string; readonly uid: string; readonly reason: 'image-removed' | 'template-changed' }
  | { readonly kind: 'delete-job' };

/** What one ImageListPullJob pass decided. */
export interface ImageListPullJobPlan {
  readonly step: { readonly kind: 'finished'; readonly ttlLeftMs: number | undefined } | { readonly kind: 'sync'; readonly created: number; readonly deleted: number };
  readonly actions: readonly ImageListPullJobAction[];
  readonly status: ImageListPullJobStatus | undefined;
  readonly requeueAfterMs: number | undefined;
}

/**
 * Returns the hash of an ImageListPullJob's template: FNV-1a of its canonical JSON, encoded as
 * OpenKruise's `SafeEncodeString` of the decimal (OpenKruise hashes the Go struct; the value differs,
 * its use, telling a changed template, is the same).
 *
 * @example imageListPullJobTemplateHash({ completionPolicy: { type: 'Always' } }) → a short string of [bcdfghjklmnpqrstvwxz2456789]
 */
export function imageListPullJobTemplateHash(template: ImagePullJobTemplate): string {
  return safeEncode(String(fnv1a32(canonicalJson(template))));
}

function templateOf(job: ImageListPullJob): ImagePullJobTemplate {
  const { images: _images, ...template } = job.spec;
  return template;
}

function computeStatus(job: ImageListPullJob, owned: readonly ImagePullJob[], now: EpochMs): ImageListPullJobStatus {
  let active = 0;
  let completed = 0;
  let succeeded = 0;
  const failedImageStatuses: FailedImageStatus[] = [];
  for (const child of owned) {
    const s = child.status;
    if (s?.startTime == null) continue;
    if ((s.active ?? 0) > 0) active++;
    if ((s.failed ?? 0) > 0) {
      const name = child.metadata?.name ?? '';
      failedImageStatuses.push({ imagePullJob: name, name: child.spec.image, message: `Please check for details which nodes failed by 'kubectl get ImagePullJob ${name}'.` });
    }
    if (s.desired === (s.failed ?? 0) + (s.succeeded ?? 0)) completed++;
    if (s.desired === (s.succeeded ?? 0)) succeeded++;
  }
  const desired = job.spec.images.length;
  const complete = job.spec.completionPolicy.type !== 'Never' && desired === completed;
  return {
    startTime: job.status?.startTime ?? formatTime(now),
    ...(complete ? { completionTime: formatTime(now) } : {}),
    desired,
    active,
    completed,
    succeeded,
    ...(failedImageStatuses.length === 0 ? {} : { failedImageStatuses }),
  };
}

function childJob(job: ImageListPullJob, image: string, hash: string): ImagePullJob {
  const namespace = job.metadata?.namespace ?? '';
  return {
    apiVersion: IMAGEPULLJOB_API_VERSION,
    kind: IMAGEPULLJOB_KIND,
    metadata: {
      namespace,
      generateName: `${job.metadata?.name ?? ''}-`,
      labels: { [TEMPLATE_HASH_LABEL]: hash },
      ownerReferences: [{ apiVersion: IMAGELISTPULLJOB_API_VERSION, kind: IMAGELISTPULLJOB_KIND, name: job.metadata?.name ?? '', uid: job.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: { image, ...templateOf(job) },
  };
}

/**
 * Returns one ImageListPullJob pass as OpenKruise's controller runs it: the template hash label is
 * refreshed; a finished job waits out `ttlSecondsAfterFinished` and is deleted; otherwise the
 * status counts the started ImagePullJobs (active: some node pulling; completed: every node done;
 * succeeded: every node succeeded; failedImageStatuses: some node failed; completion when all
 * images completed and the policy is Always), an ImagePullJob (`<name>-` generated, controlled by
 * the list, labelled with the hash) is created for each image without one or whose job was made
 * from another template (that one deleted), and jobs of images no longer listed are deleted.
 *
 * @example images [a, b], owned job for a only → create one for b; status { desired: 2, ... }
 */
export function planImageListPullJob(snapshot: ImageListPullJobSnapshot): ImageListPullJobPlan {
  const { job, owned, now } = snapshot;
  const hash = imageListPullJobTemplateHash(templateOf(job));
  const actions: ImageListPullJobAction[] = job.metadata?.labels?.[TEMPLATE_HASH_LABEL] === hash ? [] : [{ kind: 'label-template-hash', hash }];
  const completedAt = parseTime(job.status?.completionTime);
  if (completedAt !== undefined) {
    const ttl = job.spec.completionPolicy.ttlSecondsAfterFinished;
    const left = ttl === undefined ? undefined : ttl * 1000 - (now - completedAt);
    if (left !== undefined && left <= 0) return { step: { kind: 'finished', ttlLeftMs: 0 }, actions: [...actions, { kind: 'delete-job' }], status: job.status, requeueAfterMs: undefined };
    return { step: { kind: 'finished', ttlLeftMs: left }, actions, status: job.status, requeueAfterMs: left };
  }
  const byImage = new Map(owned.map((child) => [child.spec.image, child]));
  const template = templateOf(job);
  for (const image of job.spec.images) {
    const child = byImage.get(image);
    if (child !== undefined) {
      const childHash = child.metadata?.labels?.[TEMPLATE_HASH_LABEL];
      const { image: _image, ...childTemplate } = child.spec;
      const consistent = childHash === hash || (childHash === undefined && canonicalJson(childTemplate) === canonicalJson(template));
      if (consistent) continue;
      actions.push({ kind: 'delete-image-pull-job', name: child.metadata?.name ?? '', uid: child.metadata?.uid ?? '', reason: 'template-changed' });
    }
    actions.push({ kind: 'create-image-pull-job', image, job: childJob(job, image, hash) });
  }
  for (const [image, child] of byImage) {
    if (!job.spec.images.includes(image)) actions.push({ kind: 'delete-image-pull-job', name: child.metadata?.name ?? '', uid: child.metadata?.uid ?? '', reason: 'image-removed' });
  }
  const created = actions.filter((a) => a.kind === 'create-image-pull-job').length;
  const deleted = actions.filter((a) => a.kind === 'delete-image-pull-job').length;
  return { step: { kind: 'sync', created, deleted }, actions, status: computeStatus(job, owned, now), requeueAfterMs: undefined };
}
