import { CRR_SYNC_CONTAINER_STATUSES_ANNOTATION, CRR_UNREADY_ACQUIRED_KEY, formatTime, parseTime } from '@kruise-ts/core';
import { KruiseResources, createMemoryCluster, createServerClock, probeServerClock, type Clock, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeContainerRuntime, type FakeContainerRuntime } from '../testing/fakeContainerRuntime.js';
import { createContainerRecreateController } from './createContainerRecreateController.js';
import { createCrr, getCrr } from './crr.testkit.js';

// Issue 20, clock skew: the node's clock (the daemon's and the container runtime's) off the
// apiserver's. The daemon compares the runtime's container times with the CRR's creationTimestamp
// (apiserver) and the unready grace period with the time the manager acquired it (apiserver
// time, the manager's ServerClock); it writes completionTime, which the manager's TTL reads.
// kruise-ts-daemon gives it a ServerClock over the host clock (serverClock), sampled at start.

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

/** A cluster on an `auto` fake clock and a daemon for node-a whose host clock is `skewMs` off it; `server`: wired as kruise-ts-daemon (false: the host clock only, as before). */
async function startSkewed(runtime: FakeContainerRuntime, skewMs: number, server: boolean): Promise<{ cluster: MemoryCluster; host: Clock; stops: number[] }> {
  const cluster = await createMemoryCluster({ nodes: 0, clock: { mode: 'auto', start: Date.UTC(2026, 11, 2, 8, 0, 0, 600) } });
  cluster.registerResource(KruiseResources.ContainerRecreateRequest);
  const host: Clock = { now: () => cluster.clock.now() + skewMs, sleep: (ms, signal) => cluster.clock.sleep(ms, signal) };
  const serverClock = createServerClock(host);
  const client = serverClock.track(cluster.client);
  if (server) await probeServerClock(client, { component: 'kruise-ts-daemon' });
  // When (cluster time) the daemon stopped a container.
  const stops: number[] = [];
  const stopContainer = runtime.stopContainer.bind(runtime);
  runtime.stopContainer = async (...args) => {
    stops.push(cluster.clock.now());
    return stopContainer(...args);
  };
  const controller = createContainerRecreateController({ client, nodeName: 'node-a', runtime, clock: host, ...(server ? { serverClock } : {}) });
  const abort = new AbortController();
  const running = controller.run(abort.signal);
  stop = async () => {
    abort.abort();
    await running;
    await cluster.close();
  };
  return { cluster, host, stops };
}

const get = getCrr;

async function until(c: MemoryCluster, condition: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await condition()) return;
    await c.clock.sleep(50);
  }
  throw new Error('condition not reached');
}

describe('createContainerRecreateController on a node whose clock is off the apiserver clock (memory cluster, fake runtime)', () => {
  it.each([
    { story: '2 min ahead', skewMs: 120_000 },
    { story: '2 min behind', skewMs: -120_000 },
    { story: 'in sync', skewMs: 0 },
  ])('$story: the container is stopped 10 s after the manager acquired unready (apiserver time), and completionTime is the apiserver time', async ({ skewMs }) => {
    const runtime = createFakeContainerRuntime();
    const { cluster, host, stops } = await startSkewed(runtime, skewMs, true);
    const app = runtime.add({ podUid: 'u1', name: 'app', createdAt: host.now() - 60_000 });
    const acquired = formatTime(cluster.clock.now());
    await createCrr(cluster, app, { strategy: { failurePolicy: 'Fail', terminationGracePeriodSeconds: 20, unreadyGracePeriodSeconds: 10 } }, { [CRR_UNREADY_ACQUIRED_KEY]: acquired });
    await until(cluster, () => stops.length > 0);
    expect(stops[0]).toBeGreaterThanOrEqual((parseTime(acquired) ?? 0) + 10_000);
    expect(stops[0]).toBeLessThan((parseTime(acquired) ?? 0) + 12_000);
    // The kubelet starts a new container (on the host's clock); the manager reports it ready.
    const app2 = runtime.restart(app, host.now());
    await cluster.client.patch(KruiseResources.ContainerRecreateRequest, { namespace: 'default', name: 'crr-web-0' }, { type: 'merge', body: { metadata: { annotations: { [CRR_SYNC_CONTAINER_STATUSES_ANNOTATION]: JSON.stringify([{ name: 'app', ready: true, restartCount: 1, containerID: `containerd://${app2}` }]) } } } });
    await until(cluster, async () => (await get(cluster)).status?.phase === 'Completed');
    const completed = parseTime((await get(cluster)).status?.completionTime) ?? 0;
    expect(completed).toBeGreaterThan(cluster.clock.now() - 2000);
    expect(completed).toBeLessThanOrEqual(cluster.clock.now());
    expect((await get(cluster)).status?.containerRecreateStates).toEqual([{ name: 'app', phase: 'Succeeded', isKilled: true }]);
  });

  it('2 min ahead: a container started 1 min before the CRR (host time) is stopped, not taken for its recreation', async () => {
    const runtime = createFakeContainerRuntime();
    const { cluster, host, stops } = await startSkewed(runtime, 120_000, true);
    const app = runtime.add({ podUid: 'u1', name: 'app', createdAt: host.now() - 60_000 });
    await createCrr(cluster, app);
    await until(cluster, () => stops.length > 0);
    expect(runtime.calls).toEqual([{ kind: 'stop', id: app, timeoutSeconds: 20 }]);
  });

  it('control, the host clock only (as before), 2 min ahead: the grace period skipped, stopped at once (the pod maybe still in endpoints)', async () => {
    const runtime = createFakeContainerRuntime();
    const { cluster, host, stops } = await startSkewed(runtime, 120_000, false);
    const app = runtime.add({ podUid: 'u1', name: 'app', createdAt: host.now() - 180_000 });
    const acquired = formatTime(cluster.clock.now());
    await createCrr(cluster, app, { strategy: { failurePolicy: 'Fail', terminationGracePeriodSeconds: 20, unreadyGracePeriodSeconds: 10 } }, { [CRR_UNREADY_ACQUIRED_KEY]: acquired });
    await until(cluster, () => stops.length > 0);
    expect(stops[0]).toBeLessThan((parseTime(acquired) ?? 0) + 10_000);
  });

  it('control, the host clock only (as before), 2 min ahead: a container started 1 min before the CRR is taken for its recreation and never stopped', async () => {
    const runtime = createFakeContainerRuntime();
    const { cluster, host } = await startSkewed(runtime, 120_000, false);
    const app = runtime.add({ podUid: 'u1', name: 'app', createdAt: host.now() - 60_000 });
    await createCrr(cluster, app);
    await until(cluster, async () => (await get(cluster)).status?.containerRecreateStates !== undefined);
    await cluster.clock.sleep(30_000);
    expect((await get(cluster)).status?.containerRecreateStates).toEqual([{ name: 'app', phase: 'Recreating' }]);
    expect(runtime.calls).toEqual([]);
  });
});
