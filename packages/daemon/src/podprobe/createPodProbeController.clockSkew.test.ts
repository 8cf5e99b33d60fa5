import { parseTime, type ContainerProbeState, type NodePodProbe } from '@kruise-ts/core';
import { KruiseResources, createMemoryCluster, createServerClock, probeServerClock, type Clock, type KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { createFakeContainerRuntime } from '../testing/fakeContainerRuntime.js';
import { createPodProbeController } from './createPodProbeController.js';

// Issue 20, clock skew: probe and transition times go from the NodePodProbe into pod conditions
// (the manager copies them): the apiserver's time, as every time the manager writes. No
// kruise-ts decision reads them against a clock; a condition 2 min in the future is still wrong
// for whoever does. The probe's initialDelaySeconds is counted from the container's start (CRI,
// the host's clock) on the host's clock.

type NppObject = NodePodProbe & KubeObject;

describe('createPodProbeController on a node 2 min ahead of the apiserver (memory cluster, fake clock)', () => {
  it.each([
    { story: 'the server clock (kruise-ts-daemon): probe times are the apiserver time', server: true, offsetMs: 0 },
    { story: 'control, the host clock only (as before): 2 min in the future', server: false, offsetMs: 120_000 },
  ])('$story; the first probe still waits initialDelaySeconds 5 after the container started', async ({ server, offsetMs }) => {
    const cluster = await createMemoryCluster({ nodes: 0, clock: { mode: 'manual', start: Date.UTC(2026, 11, 2, 8, 0, 0, 100) } });
    cluster.registerResource(KruiseResources.NodePodProbe);
    const host: Clock = { now: () => cluster.clock.now() + 120_000, sleep: (ms, signal) => cluster.clock.sleep(ms, signal) };
    const serverClock = createServerClock(host);
    const client = serverClock.track(cluster.client);
    await probeServerClock(client, { component: 'kruise-ts-daemon' });
    const runtime = createFakeContainerRuntime();
    const controller = createPodProbeController({ client, nodeName: 'node-a', runtime, clock: host, ...(server ? { serverClock } : {}), random: () => 0 });
    const abort = new AbortController();
    const running = controller.run(abort.signal);
    try {
      const started = cluster.clock.now();
      runtime.add({ podUid: 'u1', name: 'main', createdAt: host.now() });
      await cluster.client.create(KruiseResources.NodePodProbe, { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'NodePodProbe', metadata: { name: 'node-a' }, spec: { podProbes: [{ name: 'web-0', namespace: 'default', uid: 'u1', IP: '10.0.0.5', probes: [{ name: 'game#ready', containerName: 'main', probe: { exec: { command: ['true'] }, periodSeconds: 1, initialDelaySeconds: 5 } }] }] } });
      let state: ContainerProbeState | undefined;
      for (let t = 0; t <= 60_000 && state?.state !== 'Succeeded'; t += 100) {
        await cluster.settle();
        const npp: NppObject = await cluster.client.get(KruiseResources.NodePodProbe, { name: 'node-a' });
        state = npp.status?.podProbeStatuses?.[0]?.probeStates?.[0];
        if (state?.state !== 'Succeeded') await cluster.clock.advance(100);
      }
      expect(state?.state).toBe('Succeeded');
      expect(runtime.calls.find((c) => c.kind === 'exec')).toBeDefined();
      expect(cluster.clock.now() - started).toBeGreaterThanOrEqual(5000);
      const now = cluster.clock.now();
      for (const time of [state?.lastProbeTime, state?.lastTransitionTime]) {
        expect(parseTime(time)).toBeGreaterThan(now + offsetMs - 2000);
        expect(parseTime(time)).toBeLessThanOrEqual(now + offsetMs);
      }
    } finally {
      abort.abort();
      await running;
      await cluster.close();
    }
  });
});
