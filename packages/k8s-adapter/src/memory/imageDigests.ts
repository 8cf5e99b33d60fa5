import { createHash } from 'node:crypto';

/**
 * Image references mapped to the content digest a registry resolves them to, e.g.
 * `{ 'nginx:1.25': 'sha256:aaa…', 'nginx:stable': 'sha256:aaa…' }`: two tags of one image share a
 * digest, so the simulated kubelet reports the same imageID for both.
 */
export type ImageDigests = Readonly<Record<string, string>>;

// An OCI content digest: `<algorithm>:<encoded>` (opencontainers/image-spec descriptor.md).
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/**
 * Returns `digests` unchanged once every entry is a non-empty image reference mapped to an OCI
 * digest (`sha256:<hex>`); throws a `TypeError` naming the first entry that is not.
 */
export function checkImageDigests(digests: ImageDigests): ImageDigests {
  for (const [image, digest] of Object.entries(digests)) {
    if (image === '' || /\s/.test(image)) throw new TypeError(`imageDigests: ${JSON.stringify(image)} is not an image reference`);
    if (typeof digest !== 'string' || !DIGEST.test(digest)) {
      throw new TypeError(`imageDigests[${JSON.stringify(image)}]: ${JSON.stringify(digest)} is not a digest like "sha256:<hex>"`);
    }
  }
  return digests;
}

/**
 * Returns the imageID the simulated kubelet (and kwok's stages) report for `image`:
 * `<repository>@<digest>` with the digest `digests` maps the reference to, else
 * `<repository>@sha256:<sha256 of the reference>` (then two tags never share an id).
 *
 * @example
 * ```ts
 * imageIdOf('nginx:stable', { 'nginx:stable': 'sha256:aaa' }); // 'nginx@sha256:aaa'
 * imageIdOf('nginx:1.26'); // 'nginx@sha256:' + sha256('nginx:1.26')
 * ```
 */
export function imageIdOf(image: string, digests: ImageDigests = {}): string {
  const mapped = Object.hasOwn(digests, image) ? digests[image] : undefined;
  const digest = mapped ?? `sha256:${createHash('sha256').update(image).digest('hex')}`;
  return `${image.replace(/:[^:/]*$/, '')}@${digest}`;
}
