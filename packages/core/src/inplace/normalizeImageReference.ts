const DEFAULT_REGISTRY = 'docker.io';
const LEGACY_REGISTRIES = new Set(['index.docker.io', 'registry-1.docker.io']);

/**
 * Returns an image reference in its fully qualified form, so that the image a pod spec names and
 * the image the runtime reports compare equal: registry `docker.io` added when the first part is
 * not a host, `library/` added to single-name Docker Hub images, and tag `latest` added when
 * there is neither a tag nor a digest.
 *
 * @example normalizeImageReference('nginx') // 'docker.io/library/nginx:latest'
 * @example normalizeImageReference('registry.local:5000/app@sha256:ab') // unchanged
 */
export function normalizeImageReference(image: string): string {
  const [name = '', digest] = image.split('@', 2);
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  let registry = isHost ? first : DEFAULT_REGISTRY;
  let path = isHost ? name.slice(slash + 1) : name;
  if (LEGACY_REGISTRIES.has(registry)) registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !path.includes('/')) path = `library/${path}`;
  const hasTag = path.lastIndexOf(':') > path.lastIndexOf('/');
  const tagged = hasTag || digest !== undefined ? path : `${path}:latest`;
  return `${registry}/${tagged}${digest === undefined ? '' : `@${digest}`}`;
}
