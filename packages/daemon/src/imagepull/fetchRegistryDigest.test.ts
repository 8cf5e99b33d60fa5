import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchRegistryDigest, registryScheme } from './fetchRegistryDigest.js';

const DIGEST = 'sha256:4f1c0000000000000000000000000000000000000000000000000000000000aa';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let server: Server | undefined;
afterEach(async () => {
  const open = server;
  server = undefined;
  if (open !== undefined) await new Promise((resolve) => open.close(resolve));
});

/** A registry on loopback answering manifest HEADs as `handle` says; returns its host:port and the requests seen. */
async function registry(handle: (req: IncomingMessage, res: ServerResponse, host: string) => void): Promise<{ host: string; seen: string[] }> {
  const seen: string[] = [];
  let host = '';
  server = createServer((req, res) => {
    seen.push(`${req.method ?? ''} ${req.url ?? ''} ${req.headers.authorization ?? '-'}`);
    handle(req, res, host);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return { host, seen };
}

describe('registryScheme (go-containerregistry’s Registry.Scheme)', () => {
  it.each([
    ['localhost:5000', 'http'],
    ['127.0.0.1:40123', 'http'],
    ['[::1]:5000', 'http'],
    ['10.1.2.3:5000', 'http'],
    ['172.16.0.1', 'http'],
    ['172.32.0.1', 'https'],
    ['192.168.1.10:443', 'http'],
    ['registry.example.com', 'https'],
    ['docker.io', 'https'],
  ])('%s → %s', (host, scheme) => {
    expect(registryScheme(host)).toBe(scheme);
  });
});

describe('fetchRegistryDigest', () => {
  it('anonymous: HEAD on the manifest, the Docker-Content-Digest', async () => {
    const reg = await registry((req, res) => {
      expect(req.headers.accept).toContain('application/vnd.oci.image.index.v1+json');
      res.writeHead(200, { 'Docker-Content-Digest': DIGEST }).end();
    });
    await expect(fetchRegistryDigest(`${reg.host}/team/app`, '1.0')).resolves.toBe(DIGEST);
    expect(reg.seen).toEqual(['HEAD /v2/team/app/manifests/1.0 -']);
  });

  it('a Basic challenge is answered with the credential; without one it fails naming the image', async () => {
    const reg = await registry((req, res) => {
      if (req.headers.authorization === basic('alice', 's3cret')) res.writeHead(200, { 'Docker-Content-Digest': DIGEST }).end();
      else res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="registry"' }).end();
    });
    await expect(fetchRegistryDigest(`${reg.host}/app`, '1', { plainHttpHosts: [reg.host], auth: { username: 'alice', password: 's3cret' } })).resolves.toBe(DIGEST);
    await expect(fetchRegistryDigest(`${reg.host}/app`, '1', { plainHttpHosts: [reg.host] })).rejects.toThrow(`registry digest of ${reg.host}/app:1: 401 Unauthorized and no credential`);
  });

  it('a Bearer challenge: a token from the realm (service, pull scope, the credential as Basic), then the HEAD with it', async () => {
    const reg = await registry((req, res, host) => {
      if (req.url?.startsWith('/token') === true) {
        const url = new URL(req.url, `http://${host}`);
        expect([url.searchParams.get('service'), url.searchParams.get('scope'), req.headers.authorization]).toEqual(['reg', 'repository:app:pull', basic('bob', 'pw')]);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: 't0ken' }));
      } else if (req.headers.authorization === 'Bearer t0ken') res.writeHead(200, { 'Docker-Content-Digest': DIGEST }).end();
      else res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${host}/token",service="reg"` }).end();
    });
    await expect(fetchRegistryDigest(`${reg.host}/app`, '2', { plainHttpHosts: [reg.host], auth: { auth: Buffer.from('bob:pw').toString('base64') } })).resolves.toBe(DIGEST);
    expect(reg.seen.map((line) => line.split(' ')[0])).toEqual(['HEAD', 'GET', 'HEAD']);
  });

  it.each([
    ['a missing tag', 404, {}, 'answered 404'],
    ['no digest header', 200, {}, 'returned no Docker-Content-Digest'],
  ])('%s rejects with the reason', async (_, status, headers, message) => {
    const reg = await registry((_req, res) => res.writeHead(status, headers).end());
    await expect(fetchRegistryDigest(`${reg.host}/app`, '9', { plainHttpHosts: [reg.host] })).rejects.toThrow(message);
  });

  it('Docker Hub names go to registry-1.docker.io over HTTPS, library/ for one-part names', async () => {
    const urls: string[] = [];
    const fake = ((url: string) => {
      urls.push(url);
      return Promise.resolve(new Response(null, { status: 200, headers: { 'Docker-Content-Digest': DIGEST } }));
    }) as unknown as typeof fetch;
    await fetchRegistryDigest('busybox', '1.36', { fetch: fake });
    await fetchRegistryDigest('team/app', 'v2', { fetch: fake });
    expect(urls).toEqual(['https://registry-1.docker.io/v2/library/busybox/manifests/1.36', 'https://registry-1.docker.io/v2/team/app/manifests/v2']);
  });
});
