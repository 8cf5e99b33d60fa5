import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpEndpoint } from './httpEndpoint.js';
import { createMetricsServer } from './metricsServer.js';
import { createRuntimeMetrics, informerMetricSink, recordWatchRestart, setLeaderElectionStatus } from './metrics.js';
import { createProbeServer } from './probeServer.js';

const open: HttpEndpoint[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function get(server: HttpEndpoint, path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const response = await fetch(`${server.url}${path}`, { method });
  return { status: response.status, body: await response.text() };
}

describe('createProbeServer', () => {
  async function probes() {
    let ready = false;
    const server = await createProbeServer({
      host: '127.0.0.1',
      port: 0,
      checks: {
        healthz: { ping: () => true },
        readyz: { ping: () => true, informers: () => Promise.resolve(ready), leader: () => Promise.reject(new Error('no lease')) },
      },
      checkTimeoutMs: 200,
    });
    open.push(server);
    return { server, setReady: (value: boolean) => (ready = value) };
  }

  it.each([
    { path: '/healthz', status: 200, body: 'ok' },
    { path: '/healthz?verbose', status: 200, body: '[+]ping ok\nhealthz check passed\n' },
    { path: '/readyz', status: 500, body: '[+]ping ok\n[-]informers failed: reason withheld\n[-]leader failed: reason withheld\nreadyz check failed\n' },
    { path: '/readyz?exclude=leader&exclude=informers', status: 200, body: 'ok' },
    { path: '/readyz/ping', status: 200, body: 'ok' },
    { path: '/readyz/leader', status: 500, body: '[-]leader failed: reason withheld\nreadyz check failed\n' },
    { path: '/readyz/nope', status: 404, body: 'no check named "nope"\n' },
    { path: '/livez', status: 404, body: 'not found\n' },
  ])('GET $path → $status', async ({ path, status, body }) => {
    const { server } = await probes();
    expect(await get(server, path)).toEqual({ status, body });
  });

  it('turns ready when its checks pass, and answers 405 to a POST', async () => {
    const { server, setReady } = await probes();
    setReady(true);
    expect(await get(server, '/readyz?exclude=leader&verbose')).toEqual({ status: 200, body: '[+]ping ok\n[+]informers ok\nreadyz check passed\n' });
    expect((await get(server, '/healthz', 'POST')).status).toBe(405);
  });

  it('fails a check that hangs past the timeout', async () => {
    const server = await createProbeServer({ host: '127.0.0.1', port: 0, checks: { readyz: { slow: () => new Promise(() => undefined) } }, checkTimeoutMs: 20 });
    open.push(server);
    expect((await get(server, '/readyz')).status).toBe(500);
  });

  it('rejects when the port is taken and closes cleanly', async () => {
    const { server } = await probes();
    await expect(createProbeServer({ host: '127.0.0.1', port: server.port, checks: {} })).rejects.toThrow(/EADDRINUSE/);
    await server.close();
    open.splice(0);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});

describe('metrics', () => {
  it('serves controller-runtime metric names on the given registry only', async () => {
    const registry = new Registry();
    const metrics = createRuntimeMetrics(registry);
    const reconciles = metrics.forController('cloneset', 3);
    reconciles.reconciled('success', 0.02);
    reconciles.failed(true);
    const queue = metrics.forWorkQueue('cloneset');
    queue.added();
    queue.depth(4);
    queue.retried();
    createRuntimeMetrics(registry).forController('sidecarset', 1); // a second controller shares the families
    recordWatchRestart(registry, 'pods', 'gone');
    informerMetricSink(registry)({ kind: 'watch-restart', resource: 'pods', reason: 'gone' });
    informerMetricSink(registry)({ kind: 'relist', resource: 'pods', size: 3 }); // not a restart
    const warnings: [Record<string, unknown>, string][] = [];
    const log = { warn: (fields: Record<string, unknown>, message: string) => void warnings.push([fields, message]) };
    informerMetricSink(registry, log)({ kind: 'watch-restart', resource: 'clonesets.apps.kruise.io', reason: 'watchdog' });
    informerMetricSink(registry, log)({ kind: 'watch-restart', resource: 'pods', reason: 'watch-ended' }); // a rotation: counted, not logged
    expect(warnings).toEqual([[{ resource: 'clonesets.apps.kruise.io' }, 'watch presumed cut: nothing received within the watch idle timeout; restarted on a new connection']]);
    setLeaderElectionStatus(registry, 'kruise-manager', true);
    const server = await createMetricsServer({ host: '127.0.0.1', port: 0, registry });
    open.push(server);
    const { status, body } = await get(server, '/metrics');
    expect(status).toBe(200);
    for (const line of [
      'controller_runtime_reconcile_total{controller="cloneset",result="success"} 1',
      'controller_runtime_reconcile_total{controller="sidecarset",result="error"} 0',
      'controller_runtime_reconcile_errors_total{controller="cloneset"} 1',
      'controller_runtime_terminal_reconcile_errors_total{controller="cloneset"} 1',
      'controller_runtime_reconcile_time_seconds_bucket{le="0.025",controller="cloneset"} 1',
      'controller_runtime_max_concurrent_reconciles{controller="cloneset"} 3',
      'workqueue_depth{name="cloneset",controller="cloneset"} 4',
      'workqueue_adds_total{name="cloneset",controller="cloneset"} 1',
      'workqueue_retries_total{name="cloneset",controller="cloneset"} 1',
      'kruise_ts_watch_restarts_total{resource="pods",reason="gone"} 2',
      'leader_election_master_status{name="kruise-manager"} 1',
    ]) {
      expect(body).toContain(line);
    }
    expect(await get(server, '/other')).toEqual({ status: 404, body: 'not found\n' });
  });
});
