import { RUNTIME_CONTAINERS_META_ANNOTATION, SIDECARSET_HASH_ANNOTATION, extractedEnvFromMetadataHash, readRuntimeContainerMetaSet, type Container, type Pod } from '@kruise-ts/core';
import { Resources, createMemoryCluster, type KubeEvent, type KubeObject, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeContainerRuntime, type FakeContainerRuntime } from '../testing/fakeContainerRuntime.js';
import { createContainerMetaController } from './createContainerMetaController.js';

type PodObject = Pod & KubeObject;

let cluster: MemoryCluster | undefined;
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  await cluster?.close();
  cluster = undefined;
  stop = undefined;
});

const app: Container = { name: 'app', image: 'app:v1', env: [{ name: 'CFG', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['cfg']" } } }] };
const side: Container = { name: 'side', image: 'side:v1' };
let events: KubeEvent[] = [];

/** A pod of node-a whose containers run in `runtime`; env of `app` holds CFG=<cfg at start>. */
async function start(runtime: FakeContainerRuntime, options: { kruise?: boolean; envFromMetadata?: boolean } = {}) {
  const c = await createMemoryCluster({ nodes: 0, clock: { mode: 'auto' } });
  cluster = c;
  events = [];
  const pod = await c.client.create(Resources.Pod, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', uid: 'u1', annotations: { cfg: 'v1', ...(options.kruise === false ? {} : { [SIDECARSET_HASH_ANNOTATION]: '{}' }) } },
    spec: { nodeName: 'node-a', terminationGracePeriodSeconds: 5, containers: [app, side] },
  });
  const controller = createContainerMetaController({ client: c.client, nodeName: 'node-a', runtime, clock: c.clock, envFromMetadata: options.envFromMetadata, events: { emit: (e) => events.push(e) } });
  const abort = new AbortController();
  const running = controller.run(abort.signal);
  stop = async () => {
    abort.abort();
    await running;
  };
  return { c, uid: pod.metadata.uid ?? '' };
}

/** What the kubelet reports: both containers running with these ids, InPlaceUpdateReady as given. */
async function report(c: MemoryCluster, ids: { app: string; side: string }, restarts: number, inPlaceUpdateReady?: 'True' | 'False'): Promise<void> {
  const status = (name: string, id: string, restartCount: number) => ({ name, containerID: `containerd://${id}`, restartCount, ready: true, image: `${name}:v1`, imageID: `sha256:${name}`, state: { running: {} } });
  await c.client.patch(Resources.Pod, { namespace: 'default', name: 'web-0' }, { type: 'merge', body: { status: { phase: 'Running', conditions: inPlaceUpdateReady === undefined ? [] : [{ type: 'InPlaceUpdateReady', status: inPlaceUpdateReady }], containerStatuses: [status('app', ids.app, restarts), status('side', ids.side, 0)] } } }, { subresource: 'status' });
}

const get = (c: MemoryCluster): Promise<PodObject> => c.client.get(Resources.Pod, { namespace: 'default', name: 'web-0' });

async function until(condition: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 4000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not reached');
}

/** exec env answers CFG=<value the container was started with>. */
function envAnswers(runtime: FakeContainerRuntime, cfgOf: Map<string, string>): void {
  runtime.setExec((id, cmd) => (cmd[0] === 'env' ? { exitCode: 0, stdout: `PATH=/bin\nCFG=${cfgOf.get(id) ?? ''}\n`, stderr: '' } : { exitCode: 0, stdout: '', stderr: '' }));
}

/** The pod's app (started with CFG=v1) and side containers running; exec env answers from `cfg`. */
async function startedWithV1() {
  const runtime = createFakeContainerRuntime();
  const cfg = new Map<string, string>();
  envAnswers(runtime, cfg);
  const { c, uid } = await start(runtime);
  const a = runtime.add({ podUid: uid, name: 'app', createdAt: 0 });
  const s = runtime.add({ podUid: uid, name: 'side', createdAt: 0 });
  cfg.set(a, 'v1');
  return { runtime, cfg, c, a, s };
}

describe('createContainerMetaController (memory cluster, fake runtime)', () => {
  it('reports runtime-containers-meta with the env hash each container holds, read through exec env', async () => {
    const { runtime, c, a, s } = await startedWithV1();
    await report(c, { app: a, side: s }, 0);
    await until(async () => readRuntimeContainerMetaSet(await get(c)) !== undefined);
    expect(readRuntimeContainerMetaSet(await get(c))).toEqual({
      containers: [
        { name: 'app', containerID: `containerd://${a}`, restartCount: 0, hashes: { extractedEnvFromMetadataHash: extractedEnvFromMetadataHash(app, { annotations: { cfg: 'v1' } }) } },
        { name: 'side', containerID: `containerd://${s}`, restartCount: 0, hashes: { extractedEnvFromMetadataHash: extractedEnvFromMetadataHash(side, {}) } },
      ],
    });
    expect(runtime.calls.filter((call) => call.kind === 'stop')).toEqual([]);
  });

  it('annotation v1→v2 during an in-place update: stops only app (grace 5 s, Killing event); the restarted app is reported with the v2 hash', async () => {
    const { runtime, cfg, c, a, s } = await startedWithV1();
    await report(c, { app: a, side: s }, 0, 'True');
    await until(async () => readRuntimeContainerMetaSet(await get(c)) !== undefined);
    // The CloneSet's in-place update: new annotation, InPlaceUpdateReady False.
    await c.client.patch(Resources.Pod, { namespace: 'default', name: 'web-0' }, { type: 'merge', body: { metadata: { annotations: { cfg: 'v2' } } } });
    await report(c, { app: a, side: s }, 0, 'False');
    await until(() => runtime.calls.some((call) => call.kind === 'stop'));
    expect(runtime.calls.filter((call) => call.kind === 'stop')).toEqual([{ kind: 'stop', id: a, timeoutSeconds: 5 }]);
    expect(events.map((e) => [e.type, e.reason, e.message])).toEqual([['Normal', 'Killing', `Stopping containerID containerd://${a} by container meta restarter`]]);
    // The kubelet starts app again with the new env.
    const a2 = runtime.restart(a, c.clock.now());
    cfg.set(a2, 'v2');
    await report(c, { app: a2, side: s }, 1, 'False');
    const expected = extractedEnvFromMetadataHash(app, { annotations: { cfg: 'v2' } });
    await until(async () => readRuntimeContainerMetaSet(await get(c))?.containers[0]?.containerID === `containerd://${a2}`);
    expect(readRuntimeContainerMetaSet(await get(c))?.containers[0]).toEqual({ name: 'app', containerID: `containerd://${a2}`, restartCount: 1, hashes: { extractedEnvFromMetadataHash: expected } });
    expect(runtime.containers().find((x) => x.id === s)?.state).toBe('CONTAINER_RUNNING');
    expect(runtime.calls.filter((call) => call.kind === 'stop')).toHaveLength(1);
  });

  it('a pod not owned by a Kruise workload nor injected by a SidecarSet is left alone', async () => {
    const runtime = createFakeContainerRuntime();
    const { c, uid } = await start(runtime, { kruise: false });
    const a = runtime.add({ podUid: uid, name: 'app', createdAt: 0 });
    const s = runtime.add({ podUid: uid, name: 'side', createdAt: 0 });
    await report(c, { app: a, side: s }, 0, 'False');
    // A later pod that is Kruise's proves the loop ran past the first one.
    await c.client.create(Resources.Pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'other', namespace: 'default', annotations: { [SIDECARSET_HASH_ANNOTATION]: '{}' } }, spec: { nodeName: 'node-a', containers: [side] } });
    const other = await c.client.get(Resources.Pod, { namespace: 'default', name: 'other' });
    const o = runtime.add({ podUid: other.metadata.uid ?? '', name: 'side', createdAt: 0 });
    await c.client.patch(Resources.Pod, { namespace: 'default', name: 'other' }, { type: 'merge', body: { status: { containerStatuses: [{ name: 'side', containerID: `containerd://${o}`, restartCount: 0, ready: true, image: 'side:v1', imageID: 'x' }] } } }, { subresource: 'status' });
    await until(async () => (await c.client.get(Resources.Pod, { namespace: 'default', name: 'other' })).metadata.annotations?.[RUNTIME_CONTAINERS_META_ANNOTATION] !== undefined);
    expect((await get(c)).metadata.annotations?.[RUNTIME_CONTAINERS_META_ANNOTATION]).toBeUndefined();
  });

  it('with InPlaceUpdateEnvFromMetadata off: meta without hashes, no env read, no restart', async () => {
    const runtime = createFakeContainerRuntime();
    const { c, uid } = await start(runtime, { envFromMetadata: false });
    const a = runtime.add({ podUid: uid, name: 'app', createdAt: 0 });
    const s = runtime.add({ podUid: uid, name: 'side', createdAt: 0 });
    await c.client.patch(Resources.Pod, { namespace: 'default', name: 'web-0' }, { type: 'merge', body: { metadata: { annotations: { cfg: 'v2' } } } });
    await report(c, { app: a, side: s }, 0, 'False');
    await until(async () => readRuntimeContainerMetaSet(await get(c)) !== undefined);
    expect(readRuntimeContainerMetaSet(await get(c))?.containers.map((x) => x.hashes)).toEqual([{}, {}]);
    expect(runtime.calls).toEqual([]);
  });
});
