import type { PullAuth } from '../cri/imageRuntime.js';
import { parseImageRepository } from '../secrets/parseImageRepository.js';

/** The manifest media types asked for, as a registry client pulling for containerd accepts them. */
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Options of {@link fetchRegistryDigest}. */
export interface RegistryDigestOptions {
  /** The credential to use (from the pull secrets); none = anonymous. */
  readonly auth?: PullAuth | undefined;
  /** More registry hosts spoken to over plain HTTP, besides those `registryScheme` picks (plain HTTP for localhost, loopback and private addresses). */
  readonly plainHttpHosts?: readonly string[] | undefined;
  readonly signal?: AbortSignal | undefined;
  /** The fetch to use (default the global one). */
  readonly fetch?: typeof fetch | undefined;
}

/**
 * Returns the scheme a registry is spoken to with, as go-containerregistry's `Registry.Scheme`
 * (which OpenKruise's digest check uses): plain HTTP for `localhost:…`, loopback (`127.…`, `::1`)
 * and private RFC 1918 addresses (10/8, 172.16/12, 192.168/16), HTTPS for anything else.
 *
 * @example registryScheme('127.0.0.1:5000') // 'http';  registryScheme('registry.example.com') // 'https'
 */
export function registryScheme(host: string): 'http' | 'https' {
  if (host.startsWith('localhost:') || /^127\./.test(host) || /^(\[::1\]|::1)/.test(host)) return 'http';
  const ip = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}(:\d+)?$/.exec(host);
  if (ip === null) return 'https';
  const [a, b] = [Number(ip[1]), Number(ip[2])];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) ? 'http' : 'https';
}

const basic = (auth: PullAuth): string => ('auth' in auth ? auth.auth : Buffer.from(`${auth.username}:${auth.password}`).toString('base64'));

/** Returns the `key="value"` parameters of a `WWW-Authenticate` challenge after its scheme. */
function challengeParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/(\w+)="([^"]*)"/g)) params[match[1] ?? ''] = match[2] ?? '';
  return params;
}

/**
 * Resolves to the digest the registry serves for `name:tag` (the `Docker-Content-Digest` of a HEAD
 * on its manifest), as OpenKruise's `isLatestDigest` asks the registry with go-containerregistry:
 * Docker Hub names go to `registry-1.docker.io`, over the scheme `registryScheme` picks; a 401 is answered as its `WWW-Authenticate`
 * challenge says (Basic with the credential, or a Bearer token fetched from the realm with the
 * credential as Basic auth, scope `repository:<path>:pull`). Rejects on any other status, a
 * missing digest header, or a network error, naming the reference.
 *
 * @example await fetchRegistryDigest('127.0.0.1:5000/app', '1') // 'sha256:4f1c…' (plain HTTP: loopback)
 */
export async function fetchRegistryDigest(name: string, tag: string, options: RegistryDigestOptions = {}): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const repository = parseImageRepository(`${name}:${tag}`);
  const slash = repository.indexOf('/');
  const host = repository.slice(0, slash);
  const path = repository.slice(slash + 1);
  const endpoint = host === 'docker.io' ? 'registry-1.docker.io' : host;
  const scheme = (options.plainHttpHosts ?? []).includes(host) ? 'http' : registryScheme(host);
  const url = `${scheme}://${endpoint}/v2/${path}/manifests/${tag}`;
  const what = `${name}:${tag}`;
  const head = (authorization?: string) => doFetch(url, { method: 'HEAD', headers: { Accept: MANIFEST_ACCEPT, ...(authorization === undefined ? {} : { Authorization: authorization }) }, signal: options.signal ?? null });
  let response = await head();
  if (response.status === 401) {
    const challenge = response.headers.get('www-authenticate') ?? '';
    if (/^basic/i.test(challenge)) {
      if (options.auth === undefined) throw new Error(`registry digest of ${what}: 401 Unauthorized and no credential`);
      response = await head(`Basic ${basic(options.auth)}`);
    } else if (/^bearer/i.test(challenge)) {
      const { realm = '', service, scope } = challengeParams(challenge);
      const tokenUrl = new URL(realm);
      if (service !== undefined) tokenUrl.searchParams.set('service', service);
      tokenUrl.searchParams.set('scope', scope ?? `repository:${path}:pull`);
      const tokenResponse = await doFetch(tokenUrl, { headers: options.auth === undefined ? {} : { Authorization: `Basic ${basic(options.auth)}` }, signal: options.signal ?? null });
      if (!tokenResponse.ok) throw new Error(`registry digest of ${what}: token request to ${tokenUrl.origin} failed with ${String(tokenResponse.status)}`);
      const body = (await tokenResponse.json()) as { token?: string; access_token?: string };
      const token = body.token ?? body.access_token;
      if (token === undefined) throw new Error(`registry digest of ${what}: the token response from ${tokenUrl.origin} has no token`);
      response = await head(`Bearer ${token}`);
    }
  }
  if (!response.ok) throw new Error(`registry digest of ${what}: HEAD ${url} answered ${String(response.status)}`);
  const digest = response.headers.get('docker-content-digest');
  if (digest === null || digest === '') throw new Error(`registry digest of ${what}: HEAD ${url} returned no Docker-Content-Digest`);
  return digest;
}
