import type { NodePodProbe } from '@kruise-ts/core';
import { createMemoryCluster, KruiseResources, type KubeEvent, type KubeObject, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeContainerRuntime, type FakeContainerRuntime } from '../testing/fakeContainerRuntime.js';
import { createPodProbeController, type PodProbeController } from './createPodProbeController.js';

type NppObject = NodePodProbe & KubeObject;

let cluster: MemoryCluster | undefined;
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  await cluster?.close();
  cluster = undefined;
  stop = undefined;
});

const probes = (periodSeconds = 1, extra: Record<string, number> = {}) => [{ name: 'game#ready', containerName: 'main', probe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds, ...extra } }];

async function start(runtime: FakeContainerRuntime, events: KubeEvent[]): Promise<{ c: MemoryCluster; controller: PodProbeController; get: () => Promise<NppObject>; until: (check: () => Promise<boolean> | boolean, ms?: number) => Promise<void> }> {
  const c = await createMemoryCluster({ nodes: 0, clock: { mode: 'manual' } });
  cluster = c;
  c.registerResource(KruiseResources.NodePodProbe);
  const controller = createPodProbeController({ client: c.client, nodeName: 'node-a', runtime, clock: c.clock, random: () => 0, events: { emit: (e) => events.push(e) } });
  const abort = new AbortController();
  const running = controller.run(abort.signal);
  stop = async () => {
    abort.abort();
    await running;
  };
  const get = () => c.client.get(KruiseResources.NodePodProbe, { name: 'node-a' });
  // Fake time in 100 ms steps until the check holds (no sleeps: the clock is advanced).
  const until = async (check: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> => {
    for (let t = 0; t <= ms; t += 100) {
      await c.settle();
      if (await check()) return;
      await c.clock.advance(100);
    }
    throw new Error(`condition not reached in ${String(ms)} ms of fake time`);
  };
  return { c, controller, get, until };
}

const stateOf = (npp: NppObject): string | undefined => npp.status?.podProbeStatuses?.[0]?.probeStates?.[0]?.state;

describe('createPodProbeController (memory cluster, fake runtime, fake clock)', () => {
  it('probes the container of its NodePodProbe every period and writes Failed, then Succeeded once the file exists (successThreshold 2), with a KruiseProbe event on each change', async () => {
    const runtime = createFakeContainerRuntime();
    let ready = false;
    runtime.setExec(() => (ready ? { exitCode: 0, stdout: 'ok', stderr: '' } : { exitCode: 1, stdout: '', stderr: 'cat: /tmp/ready: No such file or directory' }));
    const events: KubeEvent[] = [];
    const { c, controller, get, until } = await start(runtime, events);
    runtime.add({ podUid: 'u1', name: 'main', createdAt: c.clock.now() - 10_000 });
    await c.client.create(KruiseResources.NodePodProbe, { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'NodePodProbe', metadata: { name: 'node-a' }, spec: { podProbes: [{ name: 'web-0', namespace: 'default', uid: 'u1', IP: '10.0.0.5', probes: probes(1, { successThreshold: 2 }) }] } });
    await until(async () => stateOf(await get()) === 'Failed');
    expect(controller.workers()).toBe(1);
    expect((await get()).status?.podProbeStatuses?.[0]).toMatchObject({ name: 'web-0', namespace: 'default', uid: 'u1', probeStates: [{ name: 'game#ready', state: 'Failed', message: 'cat: /tmp/ready: No such file or directory' }] });
    const execsBefore = runtime.calls.length;
    ready = true;
    await until(async () => stateOf(await get()) === 'Succeeded');
    // Two successes in a row were needed: at least two more execs since the file appeared.
    expect(runtime.calls.length - execsBefore).toBeGreaterThanOrEqual(2);
    expect(events.map((e) => [e.reason, e.subject.name])).toEqual([['KruiseProbeFailed', 'web-0'], ['KruiseProbeSucceeded', 'web-0']]);
  });

  it('waits initialDelaySeconds after the container started before the first probe', async () => {
    const runtime = createFakeContainerRuntime();
    const events: KubeEvent[] = [];
    const { c, get, until } = await start(runtime, events);
    const createdAt = c.clock.now();
    runtime.add({ podUid: 'u1', name: 'main', createdAt });
    await c.client.create(KruiseResources.NodePodProbe, { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'NodePodProbe', metadata: { name: 'node-a' }, spec: { podProbes: [{ name: 'web-0', namespace: 'default', uid: 'u1', IP: '10.0.0.5', probes: probes(1, { initialDelaySeconds: 5 }) }] } });
    await until(async () => stateOf(await get()) === 'Succeeded');
    const firstExec = runtime.calls.find((call) => call.kind === 'exec');
    expect(firstExec).toBeDefined();
    expect(c.clock.now() - createdAt).toBeGreaterThanOrEqual(5_000);
  });

  it('stops the worker of a probe removed from the spec and drops its state from the status', async () => {
    const runtime = createFakeContainerRuntime();
    const { c, controller, get, until } = await start(runtime, []);
    runtime.add({ podUid: 'u1', name: 'main', createdAt: c.clock.now() - 10_000 });
    await c.client.create(KruiseResources.NodePodProbe, { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'NodePodProbe', metadata: { name: 'node-a' }, spec: { podProbes: [{ name: 'web-0', namespace: 'default', uid: 'u1', IP: '10.0.0.5', probes: probes() }] } });
    await until(async () => stateOf(await get()) === 'Succeeded');
    await c.client.patch(KruiseResources.NodePodProbe, { name: 'node-a' }, { type: 'merge', body: { spec: { podProbes: [] } } });
    await until(async () => controller.workers() === 0 && (await get()).status?.podProbeStatuses === undefined);
    const execs = runtime.calls.length;
    await c.clock.advance(5_000);
    await c.settle();
    expect(runtime.calls.length).toBe(execs);
  });

  it('a re-created container starts over from Unknown (until its initial delay passed), then is probed again', async () => {
    const runtime = createFakeContainerRuntime();
    const { c, get, until } = await start(runtime, []);
    const first = runtime.add({ podUid: 'u1', name: 'main', createdAt: c.clock.now() - 10_000 });
    await c.client.create(KruiseResources.NodePodProbe, { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'NodePodProbe', metadata: { name: 'node-a' }, spec: { podProbes: [{ name: 'web-0', namespace: 'default', uid: 'u1', IP: '10.0.0.5', probes: probes(1, { initialDelaySeconds: 3 }) }] } });
    await until(async () => stateOf(await get()) === 'Succeeded');
    await runtime.stopContainer(first, 0);
    const second = runtime.restart(first, c.clock.now());
    await until(async () => stateOf(await get()) === 'Unknown');
    await until(async () => stateOf(await get()) === 'Succeeded');
    expect(runtime.calls.filter((call) => call.kind === 'exec').at(-1)).toMatchObject({ id: second });
  });
});
