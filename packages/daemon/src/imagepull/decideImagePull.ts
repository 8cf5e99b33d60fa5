import { imageHasTag, type ImageInfo } from '../cri/imageRuntime.js';

/** What {@link decideImagePull} reads. */
export interface ImagePullInput {
  /** The tag's `imagePullPolicy` (unset = IfNotPresent, as OpenKruise). */
  readonly policy: 'Always' | 'IfNotPresent' | undefined;
  /** Image name and tag (a `sha256:…` tag is a digest). */
  readonly name: string;
  readonly tag: string;
  /** The runtime's image for `name:tag`, if it has one. */
  readonly present: ImageInfo | undefined;
  /** Digests the registry answered for `name:tag`, one per credential tried (failures left out); only read for Always. */
  readonly registryDigests: readonly string[];
}

/** Whether an attempt pulls, or uses the image the runtime has, and why. */
export type ImagePullDecision =
  | { readonly kind: 'use-present'; readonly reason: 'if-not-present' | 'latest-digest' | 'pinned-digest' }
  | { readonly kind: 'pull'; readonly reason: 'not-present' | 'digest-changed' | 'digest-unknown' };

/**
 * Returns whether a pull attempt pulls (OpenKruise's `doPullImage`): IfNotPresent uses an image
 * the runtime has; Always pulls unless the runtime's image is the one the registry serves now
 * (the registry's manifest digest is one of its repo digests, for any credential tried, as
 * OpenKruise's `shouldPull`), so a moved tag is pulled again and an unchanged one is not; when
 * the registry could not be asked (no digest), Always pulls. A digest "tag" never moves.
 *
 * @example Always, present with repo digest app@sha256:a, registry says sha256:b → pull digest-changed
 * @example Always, present with repo digest app@sha256:a, registry says sha256:a → use-present latest-digest
 */
export function decideImagePull(input: ImagePullInput): ImagePullDecision {
  const { present } = input;
  if (present === undefined) return { kind: 'pull', reason: 'not-present' };
  if ((input.policy ?? 'IfNotPresent') === 'IfNotPresent') return { kind: 'use-present', reason: 'if-not-present' };
  if (input.tag.startsWith('sha256:')) return { kind: 'use-present', reason: 'pinned-digest' };
  if (input.registryDigests.length === 0) return { kind: 'pull', reason: 'digest-unknown' };
  return input.registryDigests.some((digest) => imageHasTag(present, input.name, digest)) ? { kind: 'use-present', reason: 'latest-digest' } : { kind: 'pull', reason: 'digest-changed' };
}
