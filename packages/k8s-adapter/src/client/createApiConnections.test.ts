import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createSecureServer, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StaleConnectionError, TransportError } from '../errors.js';
import { createCertificateAuthority, issueCertificate } from '../pki/certificates.js';
import { Resources } from '../resourceType.js';
import { startFaultProxy, type FaultProxy } from '../testing/startFaultProxy.js';
import type { DroppedConnection } from './createApiConnections.js';
import { createKubeClient, type KubeClientOptions } from './createKubeClient.js';

const cm = (resourceVersion: string): object => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default', resourceVersion } });
const CM_PATH = '/api/v1/namespaces/default/configmaps';

/**
 * A loopback TLS apiserver stand-in (HTTP/1.1, and HTTP/2 for a client that offers it): `GET
 * …/configmaps?watch=1` answers one ADDED event and stays open (`push` sends more),
 * `…/configmaps/cm` the ConfigMap, `…/configmaps/slow` never answers, `/version` answers. Counts
 * the TLS connections it accepted and the HTTP/2 sessions among them.
 */
async function startApiServer(): Promise<{ server: Http2SecureServer; port: number; caPem: string; connections: () => number; h2Sessions: () => number; push: (event: object) => void }> {
  const ca = createCertificateAuthority('test-ca');
  const serving = issueCertificate(ca, { commonName: 'apiserver', ipAddresses: ['127.0.0.1'], usages: ['server'] });
  const server = createSecureServer({ key: serving.keyPem, cert: serving.certPem, allowHTTP1: true });
  let connections = 0;
  let sessions = 0;
  const watches: Http2ServerResponse[] = [];
  server.on('secureConnection', () => connections++);
  server.on('session', () => sessions++);
  server.on('request', (request: Http2ServerRequest, response: Http2ServerResponse) => {
    response.on('error', () => undefined);
    const url = new URL(request.url, 'https://127.0.0.1');
    if (url.pathname === CM_PATH && url.searchParams.get('watch') === '1') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(`${JSON.stringify({ type: 'ADDED', object: cm('1') })}\n`);
      watches.push(response);
    } else if (url.pathname === `${CM_PATH}/cm` || url.pathname === '/version') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(url.pathname === '/version' ? { gitVersion: 'v1.33.0' } : cm('1')));
    } else if (url.pathname !== `${CM_PATH}/slow`) {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const push = (event: object): void => {
    for (const response of watches) if (!response.writableEnded && !response.destroyed) response.write(`${JSON.stringify(event)}\n`);
  };
  return { server, port: (server.address() as AddressInfo).port, caPem: ca.certPem, connections: () => connections, h2Sessions: () => sessions, push };
}

function kubeConfigFor(port: number, caFile?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  const cluster = caFile === undefined ? { name: 'local', server: `https://127.0.0.1:${String(port)}`, skipTLSVerify: true } : { name: 'local', server: `https://127.0.0.1:${String(port)}`, caFile };
  kubeConfig.loadFromOptions({ clusters: [cluster], users: [{ name: 'anonymous' }], contexts: [{ name: 'local', cluster: 'local', user: 'anonymous' }], currentContext: 'local' });
  return kubeConfig;
}

/** Consumes a watch in the background: its events' resourceVersions, and how it ended. */
function consume(stream: AsyncIterable<unknown>): { seen: string[]; ended: () => 'running' | 'done' | 'failed'; error: () => unknown } {
  const seen: string[] = [];
  let ended: 'running' | 'done' | 'failed' = 'running';
  let failure: unknown;
  void (async () => {
    try {
      for await (const event of stream) seen.push((event as { object: { metadata: { resourceVersion: string } } }).object.metadata.resourceVersion);
      ended = 'done';
    } catch (error) {
      failure = error;
      ended = 'failed';
    }
  })();
  return { seen, ended: () => ended, error: () => failure };
}

describe('createKubeClient drops a connection pool presumed dead (HTTP/1.1 through a fault proxy)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  /** The server behind a fault proxy and a client of it; with `caDir`, the kubeconfig trusts the server's CA from `<caDir>/ca.crt`. */
  const start = async (options: KubeClientOptions = {}, caDir?: string): Promise<{ proxy: FaultProxy; api: Awaited<ReturnType<typeof startApiServer>>; client: ReturnType<typeof createKubeClient>; dropped: DroppedConnection[] }> => {
    const api = await startApiServer();
    cleanup.push(() => new Promise<void>((resolve) => api.server.close(() => { resolve(); })));
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: api.port });
    cleanup.push(() => proxy.close());
    const dropped: DroppedConnection[] = [];
    const caFile = caDir === undefined ? undefined : join(caDir, 'ca.crt');
    if (caFile !== undefined) await writeFile(caFile, api.caPem);
    const client = createKubeClient(kubeConfigFor(proxy.port, caFile), { ...options, onConnectionDropped: (outcome) => dropped.push(outcome) });
    return { proxy, api, client, dropped };
  };

  it('speaks HTTP/1.1 only, a socket per request in flight: two watches hold two connections, no HTTP/2 session', async () => {
    const { api, client } = await start();
    const first = consume(client.watch(Resources.ConfigMap, { namespace: 'default' }));
    const second = consume(client.watch(Resources.ConfigMap, { namespace: 'default' }));
    await vi.waitFor(() => { expect([first.seen, second.seen]).toEqual([['1'], ['1']]); });
    expect([api.connections(), api.h2Sessions()]).toEqual([2, 0]);
  });

  it('a network partition: a watch aborted as stale presumes its pool dead, the check gets no answer, the pool is destroyed and the other watch on it fails at once; once healed, the next request goes over a new pool', async () => {
    const { proxy, client, dropped } = await start({ pingTimeoutMs: 200 });
    const a = new AbortController();
    const first = consume(client.watch(Resources.ConfigMap, { namespace: 'default', signal: a.signal }));
    const second = consume(client.watch(Resources.ConfigMap, { namespace: 'default' }));
    await vi.waitFor(() => { expect([first.seen, second.seen]).toEqual([['1'], ['1']]); });

    expect(proxy.blackhole({ newConnections: true })).toBe(2);
    a.abort(new StaleConnectionError('watch silent for 8000 ms'));
    await vi.waitFor(() => { expect(first.ended()).toBe('done'); });
    await vi.waitFor(() => { expect(dropped.map((d) => d.verdict)).toEqual(['dead']); });
    await vi.waitFor(() => { expect(second.ended()).toBe('failed'); });
    expect(second.error()).toBeInstanceOf(Error);

    proxy.heal();
    const read = await client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' });
    expect(read.metadata.name).toBe('cm');
  });

  it('a silent cut of the open connections only: the check over the old pool answers (alive), the pool drains, the next request goes over a new pool', async () => {
    const { proxy, api, client, dropped } = await start({ pingTimeoutMs: 2_000 });
    const a = new AbortController();
    const first = consume(client.watch(Resources.ConfigMap, { namespace: 'default', signal: a.signal }));
    await vi.waitFor(() => { expect(first.seen).toEqual(['1']); });
    expect(proxy.blackhole()).toBe(1);
    a.abort(new StaleConnectionError('watch silent for 8000 ms'));
    await vi.waitFor(() => { expect(first.ended()).toBe('done'); });
    await client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' });
    await vi.waitFor(() => { expect(dropped.map((d) => d.verdict)).toEqual(['alive']); });
    expect(api.connections()).toBe(3); // the watch's, the check's (old pool), the read's (new pool)
  });

  it('a slow request on a live connection: the pool answers the check and drains, its watch keeps receiving', async () => {
    const { api, client, dropped } = await start({ requestTimeoutMs: 300, pingTimeoutMs: 5_000 });
    const watch = consume(client.watch(Resources.ConfigMap, { namespace: 'default' }));
    await vi.waitFor(() => { expect(watch.seen).toEqual(['1']); });
    await expect(client.get(Resources.ConfigMap, { name: 'slow', namespace: 'default' })).rejects.toBeInstanceOf(TransportError);
    await vi.waitFor(() => { expect(dropped.map((d) => d.verdict)).toEqual(['alive']); });
    await client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' });
    expect(api.connections()).toBe(4); // the watch's, the slow request's, the check's, the new pool's
    api.push({ type: 'MODIFIED', object: cm('2') });
    await vi.waitFor(() => { expect(watch.seen).toEqual(['1', '2']); });
    expect(watch.ended()).toBe('running');
  });

  it('a request aborted by its caller (not as stale) keeps the pool: no check', async () => {
    const { api, client, dropped } = await start();
    await client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' });
    const caller = new AbortController();
    const slow = client.get(Resources.ConfigMap, { name: 'slow', namespace: 'default' }, { signal: caller.signal });
    caller.abort();
    await expect(slow).rejects.toBeInstanceOf(TransportError);
    await client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' });
    await client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' });
    // The aborted request's socket is gone (HTTP/1.1 ends a request by closing its socket); one new one serves both reads.
    expect([api.connections(), dropped]).toEqual([2, []]);
  });

  it('credentials refreshed (every 10 s) keep the pool while the TLS material is the same; a changed CA file opens a new one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kruise-ts-ca-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const { api, client, dropped } = await start({}, dir);
    const now = Date.now();
    const read = (): Promise<unknown> => client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' });
    await read();
    vi.spyOn(Date, 'now').mockReturnValue(now + 11_000);
    await read();
    expect(api.connections()).toBe(1);
    await writeFile(join(dir, 'ca.crt'), `${api.caPem}\n`); // the same CA, rewritten: other bytes
    vi.spyOn(Date, 'now').mockReturnValue(now + 22_000);
    await read();
    expect([api.connections(), dropped]).toEqual([2, []]);
  });
});
