import { parseTime } from '@kruise-ts/core';
import { KruiseResources, createMemoryCluster, createServerClock, probeServerClock, type Clock } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { createFakeImageRuntime } from '../testing/fakeImageRuntime.js';
import { createImagePullController } from './createImagePullController.js';

// Issue 20, clock skew: the manager's NodeImage controller drops a tag ttlSecondsAfterFinished
// after the completionTime the daemon wrote, by the apiserver's clock. A node 2 min behind
// stamping its host time would have every such tag dropped 2 min early.

const REG = '127.0.0.1:5000';

describe('createImagePullController on a node 2 min behind the apiserver (memory cluster)', () => {
  it.each([
    { story: 'the server clock (kruise-ts-daemon): startTime and completionTime are the apiserver time', server: true, offsetMs: 0 },
    { story: 'control, the host clock only (as before): 2 min early', server: false, offsetMs: -120_000 },
  ])('$story', async ({ server, offsetMs }) => {
    const cluster = await createMemoryCluster({ nodes: 0, clock: { mode: 'auto', start: Date.UTC(2026, 11, 2, 8, 0, 0, 700) } });
    cluster.registerResource(KruiseResources.NodeImage);
    await cluster.client.create(KruiseResources.NodeImage, { apiVersion: 'apps.kruise.io/v1beta1', kind: 'NodeImage', metadata: { name: 'node-a' }, spec: { images: {} } });
    const host: Clock = { now: () => cluster.clock.now() - 120_000, sleep: (ms, signal) => cluster.clock.sleep(ms, signal) };
    const serverClock = createServerClock(host);
    const client = serverClock.track(cluster.client);
    await probeServerClock(client, { component: 'kruise-ts-daemon' });
    const runtime = createFakeImageRuntime();
    runtime.setImage(`${REG}/app:1`, { kind: 'available', steps: 3 });
    const controller = createImagePullController({ client, nodeName: 'node-a', runtime, clock: host, ...(server ? { serverClock } : {}) });
    const abort = new AbortController();
    const running = controller.run(abort.signal);
    try {
      const asked = cluster.clock.now();
      await client.patch(KruiseResources.NodeImage, { name: 'node-a' }, { type: 'merge', body: { spec: { images: { [`${REG}/app`]: { tags: [{ tag: '1' }] } } } } });
      await vi.waitFor(async () => { expect((await cluster.client.get(KruiseResources.NodeImage, { name: 'node-a' })).status).toMatchObject({ succeeded: 1 }); });
      const done = cluster.clock.now();
      const tag = (await cluster.client.get(KruiseResources.NodeImage, { name: 'node-a' })).status?.imageStatuses?.[`${REG}/app`]?.tags[0];
      // RFC 3339 seconds: within the second of the pull, shifted by what the node's stamps miss.
      expect(parseTime(tag?.startTime)).toBeGreaterThan(asked + offsetMs - 1000);
      expect(parseTime(tag?.completionTime)).toBeLessThanOrEqual(done + offsetMs);
      expect(parseTime(tag?.completionTime)).toBeGreaterThanOrEqual(parseTime(tag?.startTime) ?? Infinity);
    } finally {
      abort.abort();
      await running;
      await cluster.close();
    }
  });
});
