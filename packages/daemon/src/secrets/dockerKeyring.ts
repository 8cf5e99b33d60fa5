import type { PullAuth } from '../cri/imageRuntime.js';

/** A Secret as the daemon reads it: its type and base64 `data` (the API's form). */
export interface PullSecret {
  readonly metadata?: { readonly name?: string | undefined; readonly namespace?: string | undefined } | undefined;
  readonly type?: string | undefined;
  readonly data?: Readonly<Record<string, string>> | undefined;
}

/** One credential of a keyring, under the registry key it applies to (`host[:port][/path]`). */
export interface KeyringEntry {
  /** e.g. `127.0.0.1:5000`, `quay.io/coreos`, `*.gcr.io`, `index.docker.io`. */
  readonly key: string;
  readonly auth: { readonly username: string; readonly password: string };
}

const DEFAULT_REGISTRY_HOST = 'index.docker.io';

/**
 * Returns the credentials of `kubernetes.io/dockerconfigjson` (`.dockerconfigjson` → `auths`) and
 * `kubernetes.io/dockercfg` (`.dockercfg`) Secrets, keyed as the kubelet keys them: the scheme is
 * dropped, a `/v1/` or `/v2/` path counts as none, so `https://index.docker.io/v1/` becomes
 * `index.docker.io`. An entry's `auth` (`base64("user:pass")`) fills username and password.
 * Sorted most specific key first (reverse order), so `quay.io/coreos` is tried before `quay.io`.
 * Secrets of other types are ignored; unreadable data throws naming the Secret and key.
 *
 * @example
 * parseDockerKeyring([{ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': btoa('{"auths":{"127.0.0.1:5000":{"auth":"dTpw"}}}') } }])
 * // [{ key: '127.0.0.1:5000', auth: { username: 'u', password: 'p' } }]
 */
export function parseDockerKeyring(secrets: readonly PullSecret[]): KeyringEntry[] {
  const entries: KeyringEntry[] = [];
  for (const secret of secrets) {
    const name = `${secret.metadata?.namespace ?? ''}/${secret.metadata?.name ?? ''}`;
    const field = secret.type === 'kubernetes.io/dockerconfigjson' ? '.dockerconfigjson' : secret.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : undefined;
    const raw = field === undefined ? undefined : secret.data?.[field];
    if (field === undefined || raw === undefined) continue;
    let config: unknown;
    try {
      config = JSON.parse(decodeBase64(raw));
    } catch (error) {
      throw new Error(`Secret ${name} data[${JSON.stringify(field)}] is not base64 JSON`, { cause: error });
    }
    const auths = field === '.dockerconfigjson' ? (config as { auths?: unknown } | null)?.auths : config;
    if (auths === null || typeof auths !== 'object') continue;
    for (const [location, value] of Object.entries(auths as Record<string, unknown>)) {
      entries.push({ key: keyringKey(location), auth: entryAuth(value, `Secret ${name} ${field} entry ${JSON.stringify(location)}`) });
    }
  }
  return entries.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
}

/**
 * Returns the credentials to try for `repository` (normalized, see `parseImageRepository`), in
 * the kubelet's order: every entry whose key matches (host parts glob-matched one by one, same
 * port, key path a prefix of the image path), most specific first; failing that, Docker Hub's
 * credentials (`index.docker.io`) for an image on Docker Hub. Empty = pull anonymously.
 *
 * @example
 * lookupRegistryAuths(keyring, '127.0.0.1:5000/busybox') // [{ username: 'u', password: 'p' }] for a key '127.0.0.1:5000'
 */
export function lookupRegistryAuths(keyring: readonly KeyringEntry[], repository: string): PullAuth[] {
  const matched = keyring.filter((entry) => keyMatches(entry.key, repository)).map((entry) => entry.auth);
  if (matched.length > 0) return matched;
  if (isDockerHub(repository)) return keyring.filter((entry) => entry.key === DEFAULT_REGISTRY_HOST).map((entry) => entry.auth);
  return [];
}

function keyringKey(location: string): string {
  const withoutScheme = location.replace(/^https?:\/\//, '');
  const slash = withoutScheme.indexOf('/');
  const host = slash < 0 ? withoutScheme : withoutScheme.slice(0, slash);
  let path = slash < 0 ? '' : withoutScheme.slice(slash);
  if (path.startsWith('/v1/') || path.startsWith('/v2/')) path = path.slice(3);
  return path === '' || path === '/' ? host : host + path;
}

function entryAuth(value: unknown, where: string): { username: string; password: string } {
  if (value === null || typeof value !== 'object') throw new Error(`${where} is not an object`);
  const entry = value as { username?: unknown; password?: unknown; auth?: unknown };
  let username = typeof entry.username === 'string' ? entry.username : '';
  let password = typeof entry.password === 'string' ? entry.password : '';
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = decodeBase64(entry.auth);
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new Error(`${where}: auth does not decode to "user:password"`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  return { username, password };
}

function splitUrl(value: string): { host: string; port: string; path: string } {
  const slash = value.indexOf('/');
  const authority = slash < 0 ? value : value.slice(0, slash);
  const path = slash < 0 ? '' : value.slice(slash);
  const colon = authority.lastIndexOf(':');
  return colon < 0 ? { host: authority, port: '', path } : { host: authority.slice(0, colon), port: authority.slice(colon + 1), path };
}

function keyMatches(key: string, repository: string): boolean {
  const glob = splitUrl(key);
  const target = splitUrl(repository);
  const globParts = glob.host.split('.');
  const targetParts = target.host.split('.');
  if (globParts.length !== targetParts.length || glob.port !== target.port) return false;
  if (!globParts.every((part, i) => globMatch(part, targetParts[i] ?? ''))) return false;
  return target.path.startsWith(glob.path);
}

/** Shell-style match of one host part (`*` any run, `?` one character), as Go's filepath.Match. */
function globMatch(pattern: string, text: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(text);
}

function isDockerHub(repository: string): boolean {
  const slash = repository.indexOf('/');
  if (slash < 0) return repository !== '';
  const first = repository.slice(0, slash);
  if (first === '') return false;
  return first === 'docker.io' || first === 'index.docker.io' || !/[.:]/.test(first);
}

function decodeBase64(value: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value.replace(/\s/g, ''))) throw new Error('not base64');
  return Buffer.from(value, 'base64').toString('utf8');
}
