import { CRR_SYNC_CONTAINER_STATUSES_ANNOTATION } from '@kruise-ts/core';
import { KruiseResources, createMemoryCluster, type KubeEvent, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeContainerRuntime, type FakeContainerRuntime } from '../testing/fakeContainerRuntime.js';
import { createContainerRecreateController } from './createContainerRecreateController.js';
import { createCrr, getCrr } from './crr.testkit.js';

let cluster: MemoryCluster | undefined;
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  await cluster?.close();
  cluster = undefined;
  stop = undefined;
});

let events: KubeEvent[] = [];

async function start(runtime: FakeContainerRuntime) {
  cluster = await createMemoryCluster({ nodes: 0, clock: { mode: 'auto' } });
  cluster.registerResource(KruiseResources.ContainerRecreateRequest);
  events = [];
  const controller = createContainerRecreateController({ client: cluster.client, nodeName: 'node-a', runtime, clock: cluster.clock, events: { emit: (e) => events.push(e) } });
  const abort = new AbortController();
  const running = controller.run(abort.signal);
  stop = async () => {
    abort.abort();
    await running;
  };
  return cluster;
}

const get = getCrr;

async function until(condition: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not reached');
}

describe('createContainerRecreateController (memory cluster, fake runtime)', () => {
  it('stops only the named container with the grace period, and completes with it Succeeded once the new one is reported ready', async () => {
    const runtime = createFakeContainerRuntime();
    const app = runtime.add({ podUid: 'u1', name: 'app', createdAt: 0 });
    const log = runtime.add({ podUid: 'u1', name: 'log', createdAt: 0 });
    const c = await start(runtime);
    await createCrr(c, app);
    await until(() => runtime.calls.some((call) => call.kind === 'stop'));
    expect(runtime.calls).toEqual([{ kind: 'stop', id: app, timeoutSeconds: 20 }]);
    await until(async () => (await get(c)).status?.containerRecreateStates?.[0]?.isKilled === true);
    expect((await get(c)).status).toMatchObject({ phase: 'Recreating', containerRecreateStates: [{ name: 'app', phase: 'Recreating', isKilled: true }] });
    // The kubelet starts a new app container; the manager's controller reports it ready.
    const app2 = runtime.restart(app, c.clock.now());
    await c.client.patch(KruiseResources.ContainerRecreateRequest, { namespace: 'default', name: 'crr-web-0' }, { type: 'merge', body: { metadata: { annotations: { [CRR_SYNC_CONTAINER_STATUSES_ANNOTATION]: JSON.stringify([{ name: 'app', ready: true, restartCount: 1, containerID: `containerd://${app2}` }]) } } } });
    await until(async () => (await get(c)).status?.phase === 'Completed');
    expect((await get(c)).status).toMatchObject({ phase: 'Completed', message: '', containerRecreateStates: [{ name: 'app', phase: 'Succeeded' }] });
    expect(runtime.containers().find((x) => x.id === log)?.state).toBe('CONTAINER_RUNNING');
  });

  it('with failurePolicy Fail and a failing preStop, records FailedPreStopHook and still stops the container (OpenKruise: the kubelet runtime only records the hook failure)', async () => {
    const runtime = createFakeContainerRuntime();
    const app = runtime.add({ podUid: 'u1', name: 'app', createdAt: 0 });
    runtime.setExec(() => ({ exitCode: 3, stdout: '', stderr: 'cannot drain\n' }));
    const c = await start(runtime);
    await createCrr(c, app, { containers: [{ name: 'app', preStop: { exec: { command: ['/bin/drain'] } }, statusContext: { containerID: `containerd://${app}`, restartCount: 0 } }] });
    await until(async () => (await get(c)).status?.containerRecreateStates?.[0]?.isKilled === true);
    expect((await get(c)).status?.containerRecreateStates).toEqual([{ name: 'app', phase: 'Recreating', isKilled: true }]);
    expect(runtime.calls).toEqual([{ kind: 'exec', id: app, cmd: ['/bin/drain'] }, { kind: 'stop', id: app, timeoutSeconds: 20 }]);
    expect(events.filter((e) => e.type === 'Warning').map((e) => [e.reason, e.message])).toEqual([['FailedPreStopHook', 'preStop hook failed: command [/bin/drain] exited with 3: cannot drain']]);
  });
});
