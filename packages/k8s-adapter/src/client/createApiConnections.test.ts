import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createSecureServer, type Http2SecureServer, type ServerHttp2Stream } from 'node:http2';
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
 * A loopback HTTP/2 (TLS) apiserver stand-in: `GET …/configmaps?watch=1` answers one ADDED event
 * and stays open (`push` sends more), `…/configmaps/cm` the ConfigMap, `…/configmaps/slow` never
 * answers, `/version` answers. Counts HTTP/2 sessions (connections).
 */
async function startH2Server(): Promise<{ server: Http2SecureServer; port: number; caPem: string; sessions: () => number; push: (event: object) => void }> {
  const ca = createCertificateAuthority('test-ca');
  const serving = issueCertificate(ca, { commonName: 'apiserver', ipAddresses: ['127.0.0.1'], usages: ['server'] });
  const server = createSecureServer({ key: serving.keyPem, cert: serving.certPem });
  let sessions = 0;
  const watches: ServerHttp2Stream[] = [];
  server.on('session', () => sessions++);
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    const url = new URL(String(headers[':path']), 'https://127.0.0.1');
    if (url.pathname === CM_PATH && url.searchParams.get('watch') === '1') {
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      stream.write(`${JSON.stringify({ type: 'ADDED', object: cm('1') })}\n`);
      watches.push(stream);
    } else if (url.pathname === `${CM_PATH}/cm` || url.pathname === '/version') {
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      stream.end(JSON.stringify(url.pathname === '/version' ? { gitVersion: 'v1.33.0' } : cm('1')));
    } else if (url.pathname !== `${CM_PATH}/slow`) {
      stream.respond({ ':status': 404 });
      stream.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const push = (event: object): void => {
    for (const stream of watches) if (!stream.closed) stream.write(`${JSON.stringify(event)}\n`);
  };
  return { server, port: (server.address() as AddressInfo).port, caPem: ca.certPem, sessions: () => sessions, push };
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

describe('createKubeClient drops a connection presumed dead (HTTP/2 through a fault proxy)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  /** The server behind a fault proxy and a client of it; with `caDir`, the kubeconfig trusts the server's CA from `<caDir>/ca.crt`. */
  const start = async (options: KubeClientOptions = {}, caDir?: string): Promise<{ proxy: FaultProxy; h2: Awaited<ReturnType<typeof startH2Server>>; client: ReturnType<typeof createKubeClient>; dropped: DroppedConnection[] }> => {
    const h2 = await startH2Server();
    cleanup.push(() => new Promise<void>((resolve) => h2.server.close(() => { resolve(); })));
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: h2.port });
    cleanup.push(() => proxy.close());
    const dropped: DroppedConnection[] = [];
    const caFile = caDir === undefined ? undefined : join(caDir, 'ca.crt');
    if (caFile !== undefined) await writeFile(caFile, h2.caPem);
    const client = createKubeClient(kubeConfigFor(proxy.port, caFile), { ...options, onConnectionDropped: (outcome) => dropped.push(outcome) });
    return { proxy, h2, client, dropped };
  };

  it('a watch aborted as stale (watchdog) on a cut connection: the next request opens a new connection; the mute one is destroyed and a second watch on it fails at once', async () => {
    const { proxy, h2, client, dropped } = await start({ pingTimeoutMs: 200 });
    const a = new AbortController();
    const first = consume(client.watch(Resources.ConfigMap, { namespace: 'default', signal: a.signal }));
    const second = consume(client.watch(Resources.ConfigMap, { namespace: 'default' }));
    await vi.waitFor(() => { expect([first.seen, second.seen]).toEqual([['1'], ['1']]); });
    expect(h2.sessions()).toBe(1); // HTTP/2: both watches share one connection

    expect(proxy.blackhole()).toBe(1);
    a.abort(new StaleConnectionError('watch silent for 8000 ms'));
    await vi.waitFor(() => { expect(first.ended()).toBe('done'); });
    const read = await client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' });
    expect(read.metadata.name).toBe('cm');
    expect(h2.sessions()).toBe(2);

    await vi.waitFor(() => { expect(dropped.map((d) => d.verdict)).toEqual(['dead']); });
    await vi.waitFor(() => { expect(second.ended()).toBe('failed'); });
    expect(second.error()).toBeInstanceOf(Error);
  });

  it('a request that times out on a cut connection presumes it dead: the retry goes over a new connection', async () => {
    const { proxy, h2, client, dropped } = await start({ requestTimeoutMs: 300, pingTimeoutMs: 200 });
    await client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' });
    proxy.blackhole();
    await expect(client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' })).rejects.toBeInstanceOf(TransportError);
    await expect(client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' })).resolves.toMatchObject({ metadata: { name: 'cm' } });
    expect(h2.sessions()).toBe(2);
    await vi.waitFor(() => { expect(dropped.map((d) => d.verdict)).toEqual(['dead']); });
  });

  it('a slow request on a live connection: the connection answers the check and drains, its watch keeps receiving', async () => {
    const { h2, client, dropped } = await start({ requestTimeoutMs: 300, pingTimeoutMs: 5_000 });
    const watch = consume(client.watch(Resources.ConfigMap, { namespace: 'default' }));
    await vi.waitFor(() => { expect(watch.seen).toEqual(['1']); });
    await expect(client.get(Resources.ConfigMap, { name: 'slow', namespace: 'default' })).rejects.toBeInstanceOf(TransportError);
    await vi.waitFor(() => { expect(dropped.map((d) => d.verdict)).toEqual(['alive']); });
    await client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' });
    expect(h2.sessions()).toBe(2); // the next request took a new connection
    h2.push({ type: 'MODIFIED', object: cm('2') });
    await vi.waitFor(() => { expect(watch.seen).toEqual(['1', '2']); });
    expect(watch.ended()).toBe('running');
  });

  it('a request aborted by its caller (not as stale) keeps the connection', async () => {
    const { h2, client, dropped } = await start();
    await client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' });
    const caller = new AbortController();
    const slow = client.get(Resources.ConfigMap, { name: 'slow', namespace: 'default' }, { signal: caller.signal });
    caller.abort();
    await expect(slow).rejects.toBeInstanceOf(TransportError);
    await client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' });
    expect([h2.sessions(), dropped]).toEqual([1, []]);
  });

  it('credentials refreshed (every 10 s) keep the connection while the TLS material is the same; a changed CA file opens a new one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kruise-ts-ca-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const { h2, client, dropped } = await start({}, dir);
    const now = Date.now();
    const read = (): Promise<unknown> => client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' });
    await read();
    vi.spyOn(Date, 'now').mockReturnValue(now + 11_000);
    await read();
    expect(h2.sessions()).toBe(1);
    await writeFile(join(dir, 'ca.crt'), `${h2.caPem}\n`); // the same CA, rewritten: other bytes
    vi.spyOn(Date, 'now').mockReturnValue(now + 22_000);
    await read();
    expect([h2.sessions(), dropped]).toEqual([2, []]);
  });
});
