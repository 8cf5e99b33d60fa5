import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock, flushEventLoop, type FakeClock } from '../memory/fakeClock.js';
import { Resources } from '../resourceType.js';
import { createKubeClient } from './createKubeClient.js';

const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: { a: '1' } };

/** Starts a server on 127.0.0.1 that throttles the first `throttled` requests (429, Retry-After 5), then answers the ConfigMap. */
async function startThrottlingServer(throttled: number): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((_request, response) => {
    requests++;
    if (requests <= throttled) {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '5' });
      response.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'TooManyRequests', message: 'Too many requests, please try again later.', details: { retryAfterSeconds: 5 }, code: 429 }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(configMap));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`, requests: () => requests };
}

function kubeConfigFor(server: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({ clusters: [{ name: 'local', server, skipTLSVerify: true }], users: [{ name: 'anonymous' }], contexts: [{ name: 'local', cluster: 'local', user: 'anonymous' }], currentContext: 'local' });
  return kubeConfig;
}

/** Resolves once `clock` has a sleeper (the client waits out the Retry-After), within a real second. */
async function sleeperOn(clock: FakeClock): Promise<void> {
  for (let i = 0; i < 200 && clock.pending === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  await flushEventLoop();
}

describe('createKubeClient retry of a throttled request', () => {
  let server: Server | undefined;
  afterEach(async () => {
    const closing = server;
    if (closing !== undefined) await new Promise((resolve) => closing.close(resolve));
    server = undefined;
  });

  it('waits the Retry-After (5 s) on the injected clock, then retries', async () => {
    const local = await startThrottlingServer(1);
    server = local.server;
    const clock = createFakeClock({ start: 0 });
    const client = createKubeClient(kubeConfigFor(local.url), { clock });
    let settled = false;
    const read = client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' }).finally(() => (settled = true));
    await sleeperOn(clock);
    expect(clock.nextWakeUp).toBe(5000);
    expect([local.requests(), settled]).toEqual([1, false]);
    await clock.advance(4999);
    expect([local.requests(), settled]).toEqual([1, false]);
    await clock.advance(1);
    expect((await read).data).toEqual({ a: '1' });
    expect(local.requests()).toBe(2);
    clock.dispose();
  });

  it('rejects with the signal reason at once when aborted during the wait', async () => {
    const local = await startThrottlingServer(Infinity);
    server = local.server;
    const clock = createFakeClock({ start: 0 });
    const client = createKubeClient(kubeConfigFor(local.url), { clock });
    const controller = new AbortController();
    const read = client.get(Resources.ConfigMap, { name: 'cm', namespace: 'default' }, { signal: controller.signal });
    await sleeperOn(clock);
    const reason = new Error('reconcile cancelled');
    controller.abort(reason);
    await expect(read).rejects.toBe(reason);
    expect([clock.pending, local.requests()]).toEqual([0, 1]);
    clock.dispose();
  });
});
