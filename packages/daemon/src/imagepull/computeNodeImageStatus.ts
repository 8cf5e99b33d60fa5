import type { ImageStatus, ImageTagStatus, NodeImageSpec, NodeImageStatus } from '@kruise-ts/core';

/**
 * Returns the NodeImage status the daemon reports, as OpenKruise's daemon builds it: `desired` =
 * tags in the spec; `succeeded`, `failed`, `pulling` counted from the tag statuses; one
 * `imageStatuses` entry per image in the spec that has a status, its tags sorted by tag. Statuses
 * of tags no longer in the spec are left out. `statusOf` gives the current status of a tag.
 *
 * @example spec app:{1,2,3}, statuses app:1 Succeeded, app:2 Pulling → { desired 3, succeeded 1, failed 0, pulling 1, imageStatuses { app: { tags: [1, 2] } } }
 */
export function computeNodeImageStatus(spec: NodeImageSpec | undefined, statusOf: (image: string, tag: string) => ImageTagStatus | undefined): NodeImageStatus {
  let desired = 0;
  let succeeded = 0;
  let failed = 0;
  let pulling = 0;
  const imageStatuses: Record<string, ImageStatus> = {};
  for (const [image, imageSpec] of Object.entries(spec?.images ?? {})) {
    desired += imageSpec.tags.length;
    const tags: ImageTagStatus[] = [];
    for (const tagSpec of imageSpec.tags) {
      const status = statusOf(image, tagSpec.tag);
      if (status === undefined || tags.some((t) => t.tag === status.tag)) continue;
      tags.push(status);
      if (status.phase === 'Succeeded') succeeded += 1;
      else if (status.phase === 'Failed') failed += 1;
      else if (status.phase === 'Pulling') pulling += 1;
    }
    if (tags.length > 0) imageStatuses[image] = { tags: tags.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)) };
  }
  return { desired, succeeded, failed, pulling, ...(Object.keys(imageStatuses).length === 0 ? {} : { imageStatuses }) };
}

/**
 * Returns whether a NodeImage still has work in flight (OpenKruise's `isImageInPulling`): fewer
 * tags finished than desired, or a reported status of another version than the spec's.
 *
 * @example desired 3, succeeded 2, failed 0 → true;  desired 2, succeeded 1, failed 1 → false
 */
export function isImageInPulling(spec: NodeImageSpec | undefined, status: NodeImageStatus): boolean {
  if ((status.succeeded ?? 0) + (status.failed ?? 0) < status.desired) return true;
  for (const [image, imageStatus] of Object.entries(status.imageStatuses ?? {})) {
    const tags = spec?.images?.[image]?.tags ?? [];
    for (const tagStatus of imageStatus.tags) {
      const tagSpec = tags.find((t) => t.tag === tagStatus.tag);
      if (tagSpec !== undefined && (tagSpec.version ?? 0) !== (tagStatus.version ?? 0)) return true;
    }
  }
  return false;
}
