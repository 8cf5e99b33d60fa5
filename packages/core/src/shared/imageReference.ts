/**
 * Docker image references as OpenKruise's daemon util reads them (`reference.ParseNormalizedNamed`
 * of distribution/reference, then the familiar name and the API tag).
 */

/** Why an image reference was refused. */
export type ImageReferenceInvalidReason = 'empty' | 'uppercase' | 'hex-identifier' | 'malformed' | 'name-too-long';

/** An image reference read as the name and tag kruise-daemon pulls, or why it could not be read. */
export type ParsedImageReference =
  | {
      readonly kind: 'valid';
      /** The familiar name: `nginx`, `user/app`, `registry.local:5000/app` (no `docker.io/library/`). */
      readonly name: string;
      /** The tag, or the digest when the reference has one (`latest` when it has neither). */
      readonly tag: string;
    }
  | { readonly kind: 'invalid'; readonly reason: ImageReferenceInvalidReason; readonly message: string };

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const HEX_IDENTIFIER = /^[a-f0-9]{64}$/;
const NAME_TOTAL_LENGTH_MAX = 255;

function invalid(reason: ImageReferenceInvalidReason, message: string): ParsedImageReference {
  return { kind: 'invalid', reason, message };
}

// distribution/reference's splitDockerDomain: the first part is a registry when it has a dot or
// a port, is localhost, or is not all lower case.
function familiarName(name: string): string {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const isDomain = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  if (isDomain && first !== 'docker.io' && first !== 'index.docker.io') return name;
  const path = isDomain ? name.slice(slash + 1) : name;
  return path.startsWith('library/') && path.indexOf('/', 'library/'.length) < 0 ? path.slice('library/'.length) : path;
}

/**
 * Returns the name and tag kruise-daemon pulls for an image reference, or why the reference is
 * not one: the Docker reference grammar, lower-case repository, not a bare 64-hex image id, name at
 * most 255 characters. A digest wins over a tag; no tag means `latest`.
 *
 * @example parseImageReference('nginx') // { kind: 'valid', name: 'nginx', tag: 'latest' }
 * @example parseImageReference('docker.io/library/busybox:1.36') // { kind: 'valid', name: 'busybox', tag: '1.36' }
 * @example parseImageReference('localhost:5000/app@sha256:' + 'a'.repeat(64)) // name 'localhost:5000/app', tag 'sha256:aaa…'
 * @example parseImageReference('Nginx').kind // 'invalid' (reason 'uppercase')
 */
export function parseImageReference(image: string): ParsedImageReference {
  if (image === '') return invalid('empty', 'repository name must have at least one component');
  if (HEX_IDENTIFIER.test(image)) return invalid('hex-identifier', 'invalid repository name (cannot specify 64-byte hexadecimal strings)');
  const match = REFERENCE.exec(image);
  if (match === null) {
    const lowered = REFERENCE.exec(image.toLowerCase());
    return lowered !== null ? invalid('uppercase', 'repository name must be lowercase') : invalid('malformed', 'invalid reference format');
  }
  const [, name = '', tag, digest] = match;
  const slash = name.indexOf('/');
  const remainder = slash < 0 ? name : name.slice(slash + 1);
  if (remainder !== remainder.toLowerCase()) return invalid('uppercase', 'repository name must be lowercase');
  if (name.length > NAME_TOTAL_LENGTH_MAX) return invalid('name-too-long', `repository name must not be more than ${String(NAME_TOTAL_LENGTH_MAX)} characters`);
  return { kind: 'valid', name: familiarName(name), tag: digest ?? tag ?? 'latest' };
}
