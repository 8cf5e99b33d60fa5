import { POD_PROBE_MARKER_FINALIZER, type NodePodProbe, type Pod, type PodProbeMarker } from '@kruise-ts/core';
import { aPodProbeMarker } from '@kruise-ts/core/testing';
import { createMemoryCluster, createSharedInformerFactory, KruiseResources, Resources, type KubeClient, type KubeObject, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../runtime/logger.js';
import { createNodePodProbeController } from './createNodePodProbeController.js';
import { createPodProbeMarkerController } from './createPodProbeMarkerController.js';

type NppObject = NodePodProbe & KubeObject;

interface World {
  readonly cluster: MemoryCluster;
  readonly user: KubeClient;
  readonly node: string;
  until(condition: () => Promise<boolean>, steps?: number): Promise<void>;
  npp(): Promise<NppObject | undefined>;
  ppm(): Promise<(PodProbeMarker & KubeObject) | undefined>;
  pod(name?: string): Promise<Pod & KubeObject>;
  close(): Promise<void>;
}

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function startWorld(options: { readonly onlyMarkers?: boolean } = {}): Promise<World> {
  const cluster = await createMemoryCluster({ nodes: 1, kubelet: { startDelayMs: 0 } });
  cluster.registerResource(KruiseResources.PodProbeMarker);
  cluster.registerResource(KruiseResources.NodePodProbe);
  const user = cluster.clientFor('kubectl');
  const node = cluster.nodes[0] ?? '';
  for (const name of ['web-0', 'db-0']) {
    await user.create(Resources.Pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: name.slice(0, -2) } }, spec: { nodeName: node, containers: [{ name: 'main', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] } });
  }
  await cluster.clock.advance(1000);
  await cluster.settle();
  const deps = { client: cluster.client, clock: cluster.clock, informers: createSharedInformerFactory(cluster.client, { clock: cluster.clock }), events: { emit: () => undefined }, logger: createLogger({ level: 'silent' }) };
  const controllers = options.onlyMarkers === true ? [createPodProbeMarkerController(deps)] : [createPodProbeMarkerController(deps), createNodePodProbeController(deps)];
  const abort = new AbortController();
  const running = controllers.map((c) => c.controller.start(abort.signal));
  return {
    cluster,
    user,
    node,
    async until(condition, steps = 600) {
      for (let i = 0; i < steps; i++) {
        await cluster.settle();
        if (await condition()) return;
        await cluster.clock.advance(100);
      }
      throw new Error(`condition not reached in ${String(steps)} steps of 100 ms`);
    },
    npp: async () => (await user.list(KruiseResources.NodePodProbe)).items.find((n) => n.metadata.name === node),
    ppm: async () => (await user.list(KruiseResources.PodProbeMarker, { namespace: 'default' })).items[0],
    pod: async (name = 'web-0') => user.get(Resources.Pod, { namespace: 'default', name }),
    async close() {
      abort.abort();
      await Promise.all(running.map((r) => r.catch(() => undefined)));
      for (const c of controllers) await c.stop();
      await cluster.close();
    },
  };
}

async function createMarker(w: World): Promise<void> {
  const ppm = aPodProbeMarker({
    finalizer: false,
    probes: [
      { name: 'ready', containerName: 'main', probe: { exec: { command: ['cat', '/tmp/ready'] } }, podConditionType: 'game.kruise.io/ready', markerPolicy: [{ state: 'Succeeded', labels: { ready: 'true' } }, { state: 'Failed', annotations: { 'controller.kubernetes.io/pod-deletion-cost': '-10' } }] },
      { name: 'http', containerName: 'main', probe: { httpGet: { path: '/', port: 'http', scheme: 'HTTP' } }, markerPolicy: [{ state: 'Succeeded', labels: { serving: 'true' } }] },
    ],
  });
  const { metadata: _m, status: _s, ...rest } = ppm;
  await w.user.create(KruiseResources.PodProbeMarker, { ...rest, apiVersion: 'apps.kruise.io/v1alpha1', kind: 'PodProbeMarker', metadata: { name: 'game', namespace: 'default' } });
}

/** What the daemon writes: one state of probe `game#ready` for web-0. */
async function daemonReports(w: World, state: 'Succeeded' | 'Failed'): Promise<void> {
  const pod = await w.pod();
  const podProbeStatuses = [{ name: 'web-0', namespace: 'default', uid: pod.metadata.uid ?? '', probeStates: [{ name: 'game#ready', state, lastProbeTime: '2025-01-01T00:00:10Z', lastTransitionTime: '2025-01-01T00:00:10Z', message: state === 'Succeeded' ? 'ready' : 'cat: /tmp/ready: No such file or directory' }] }];
  await w.user.patch(KruiseResources.NodePodProbe, { name: w.node }, { type: 'merge', body: { status: { podProbeStatuses } } }, { subresource: 'status' });
}

describe('PodProbeMarker and NodePodProbe controllers (memory cluster)', () => {
  it('creates the NodePodProbe of the node, adds the finalizer, merges the probes of the matched pod (named port resolved, IP filled) and counts it', async () => {
    world = await startWorld();
    const w = world;
    await w.until(async () => (await w.npp()) !== undefined);
    await createMarker(w);
    await w.until(async () => ((await w.npp())?.spec?.podProbes ?? []).length === 1 && (await w.ppm())?.status?.matchedPods === 1);
    const ppm = await w.ppm();
    expect(ppm?.metadata.finalizers).toEqual([POD_PROBE_MARKER_FINALIZER]);
    expect(ppm?.status).toEqual({ observedGeneration: 1, matchedPods: 1 });
    const [podProbe] = (await w.npp())?.spec?.podProbes ?? [];
    const pod = await w.pod();
    expect(podProbe).toMatchObject({ name: 'web-0', namespace: 'default', uid: pod.metadata.uid, IP: pod.status?.podIP });
    expect(podProbe?.IP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(podProbe?.probes?.map((p) => [p.name, p.probe.httpGet?.port ?? 'exec'])).toEqual([['game#ready', 'exec'], ['game#http', 8080]]);
  });

  it("writes the daemon's results on the pod: condition True and the Succeeded label; on Failed the condition False, the label removed, the Failed annotation set", async () => {
    world = await startWorld();
    const w = world;
    await w.until(async () => (await w.npp()) !== undefined);
    await createMarker(w);
    await w.until(async () => ((await w.npp())?.spec?.podProbes ?? []).length === 1);
    await daemonReports(w, 'Succeeded');
    await w.until(async () => (await w.pod()).metadata.labels?.['ready'] === 'true');
    expect((await w.pod()).status?.conditions?.find((c) => c.type === 'game.kruise.io/ready')).toMatchObject({ status: 'True', message: 'ready' });
    await daemonReports(w, 'Failed');
    await w.until(async () => (await w.pod()).metadata.labels?.['ready'] === undefined);
    const pod = await w.pod();
    expect(pod.status?.conditions?.find((c) => c.type === 'game.kruise.io/ready')).toMatchObject({ status: 'False', message: 'cat: /tmp/ready: No such file or directory' });
    expect(pod.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost']).toBe('-10');
    expect((await w.pod('db-0')).metadata.labels?.['ready']).toBeUndefined();
  });

  it('on deletion of the marker removes its probes from the NodePodProbe, then its finalizer, and it goes', async () => {
    world = await startWorld();
    const w = world;
    await w.until(async () => (await w.npp()) !== undefined);
    await createMarker(w);
    await w.until(async () => ((await w.npp())?.spec?.podProbes ?? []).length === 1 && ((await w.ppm())?.metadata.finalizers ?? []).length === 1);
    await w.user.delete(KruiseResources.PodProbeMarker, { namespace: 'default', name: 'game' });
    await w.until(async () => (await w.ppm()) === undefined);
    expect((await w.npp())?.spec?.podProbes ?? []).toEqual([]);
  });

  it('drops a deleted pod from the NodePodProbe, and deletes the NodePodProbe with its node', async () => {
    world = await startWorld();
    const w = world;
    await w.until(async () => (await w.npp()) !== undefined);
    await createMarker(w);
    await w.until(async () => ((await w.npp())?.spec?.podProbes ?? []).length === 1);
    await w.user.delete(Resources.Pod, { namespace: 'default', name: 'web-0' }, { gracePeriodSeconds: 0 });
    await w.until(async () => ((await w.npp())?.spec?.podProbes ?? []).length === 0);
    await w.user.delete(Resources.Node, { name: w.node });
    await w.until(async () => (await w.npp()) === undefined);
  });

  it('a marker whose node has no NodePodProbe yet is counted and finalized without error; once the object exists, the next pod change merges the probes', async () => {
    world = await startWorld({ onlyMarkers: true });
    const w = world;
    await createMarker(w);
    await w.until(async () => (await w.ppm())?.status?.matchedPods === 1 && ((await w.ppm())?.metadata.finalizers ?? []).length === 1);
    expect(await w.npp()).toBeUndefined();
    await w.user.create(KruiseResources.NodePodProbe, { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'NodePodProbe', metadata: { name: w.node } });
    await w.user.patch(Resources.Pod, { namespace: 'default', name: 'web-0' }, { type: 'merge', body: { metadata: { labels: { touched: 'yes' } } } });
    await w.until(async () => ((await w.npp())?.spec?.podProbes ?? []).length === 1);
    expect((await w.npp())?.spec?.podProbes?.[0]?.probes?.map((p) => p.name)).toEqual(['game#ready', 'game#http']);
  });
});
