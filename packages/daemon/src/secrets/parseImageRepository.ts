/**
 * Returns the repository an image reference pulls from, normalized as the kubelet does before it
 * looks up credentials (Docker's rules): a first path part with a `.` or `:` or equal to
 * `localhost` is a registry host, anything else is on Docker Hub (`docker.io`, with `library/`
 * for one-part names); the tag and digest are dropped. Throws naming the reference when it is empty
 * or has upper-case letters in its path.
 *
 * @example
 * parseImageRepository('busybox:1.36')                   // 'docker.io/library/busybox'
 * parseImageRepository('127.0.0.1:5000/team/app@sha256:ab…') // '127.0.0.1:5000/team/app'
 */
export function parseImageRepository(image: string): string {
  let rest = image.trim();
  if (rest === '') throw new Error('image reference is empty');
  const at = rest.indexOf('@');
  if (at >= 0) rest = rest.slice(0, at);
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) rest = rest.slice(0, colon);
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  const hasHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasHost ? rest.slice(slash + 1) : rest;
  if (path === '' || path !== path.toLowerCase()) throw new Error(`image reference ${JSON.stringify(image)} is not valid: the repository path must be non-empty lower case`);
  if (hasHost) return `${first}/${path}`;
  return path.includes('/') ? `docker.io/${path}` : `docker.io/library/${path}`;
}
