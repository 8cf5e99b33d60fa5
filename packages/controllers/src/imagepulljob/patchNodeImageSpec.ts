import { withJobTag, type ImageSpec, type JobTagRequest, type NodeImage } from '@kruise-ts/core';
import { ConflictError, KruiseResources, NotFoundError, type KubeClient } from '@kruise-ts/k8s-adapter';

/** Attempts of a read-merge-patch before a NodeImage conflict is left to the work queue (client-go's DefaultBackoff: 5). */
const CONFLICT_ATTEMPTS = 5;

// The merge patch of one map: removed keys as null, changed values whole.
function mapPatch<V>(before: Readonly<Record<string, V>>, after: Readonly<Record<string, V>>): Record<string, V | null> {
  const patch: Record<string, V | null> = {};
  for (const key of Object.keys(before)) if (!(key in after)) patch[key] = null;
  for (const [key, value] of Object.entries(after)) if (JSON.stringify(before[key]) !== JSON.stringify(value)) patch[key] = value;
  return patch;
}

/**
 * Returns the JSON merge patch that takes a NodeImage's labels and `spec.images` from `before` to
 * the given ones, guarded by `resourceVersion` (a concurrent writer gets a 409, not a lost tag):
 * removed labels and images as null, changed images whole (their tag lists are replaced).
 *
 * @example images { a: A } → { b: B } → { metadata: { resourceVersion }, spec: { images: { a: null, b: B } } }
 */
export function nodeImageSpecPatch(
  before: NodeImage,
  labels: Readonly<Record<string, string>> | undefined,
  images: Readonly<Record<string, ImageSpec>>,
): Record<string, unknown> {
  const labelPatch = mapPatch(before.metadata?.labels ?? {}, labels ?? {});
  const imagePatch = mapPatch(before.spec?.images ?? {}, images);
  return {
    metadata: { resourceVersion: before.metadata?.resourceVersion, ...(Object.keys(labelPatch).length === 0 ? {} : { labels: labelPatch }) },
    ...(Object.keys(imagePatch).length === 0 ? {} : { spec: { images: imagePatch } }),
  };
}

/** What {@link addJobTag} did on one NodeImage. */
export type AddJobTagOutcome = 'written' | 'already-synced' | 'nodeimage-gone';

/**
 * Adds an ImagePullJob's tag entry to NodeImage `name`, as OpenKruise's `syncNodeImages` does with
 * a get-modify-update retried on conflict: the NodeImage is read from the API (not the cache, so a
 * retry sees the other writer's change), `withJobTag` computes the image's spec, and a merge patch
 * of `spec.images[imageName]` guarded by the resourceVersion writes it; a 409 starts over, up to 5
 * times, then the conflict is thrown for the work queue.
 */
export async function addJobTag(
  client: KubeClient,
  name: string,
  request: JobTagRequest,
  signal: AbortSignal,
): Promise<AddJobTagOutcome> {
  for (let attempt = 1; ; attempt++) {
    let current: NodeImage;
    try {
      current = await client.get(KruiseResources.NodeImage, { name }, { signal });
    } catch (error) {
      if (error instanceof NotFoundError) return 'nodeimage-gone';
      throw error;
    }
    const outcome = withJobTag(current, request);
    if (outcome.kind === 'already-synced') return 'already-synced';
    const body = { metadata: { resourceVersion: current.metadata?.resourceVersion }, spec: { images: { [request.imageName]: outcome.image } } };
    try {
      await client.patch(KruiseResources.NodeImage, { name }, { type: 'merge', body }, { signal });
      return 'written';
    } catch (error) {
      if (error instanceof NotFoundError) return 'nodeimage-gone';
      if (!(error instanceof ConflictError) || attempt >= CONFLICT_ATTEMPTS) throw error;
    }
  }
}
