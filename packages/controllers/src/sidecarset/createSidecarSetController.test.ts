import { injectSidecars, withSidecarSetDefaults, withSidecarSetHashAnnotations, type Pod, type SidecarSet } from '@kruise-ts/core';
import { KruiseResources, Resources, createMemoryCluster, createSharedInformerFactory, type KubeEvent, type KubeObject, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSidecarSetController, type SidecarSetController } from './createSidecarSetController.js';

type PodObject = Pod & KubeObject;
const OLD = 'fluentd:1';
const NEW = 'fluentd:2';

// The SidecarSet as the mutating webhook stores it: defaulted, with its hash annotations.
const stored = (spec: Partial<SidecarSet['spec']>, name = 'log'): SidecarSet & KubeObject =>
  withSidecarSetHashAnnotations(withSidecarSetDefaults({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'SidecarSet', metadata: { name }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } })) as SidecarSet & KubeObject;

const imageOf = (pod: Pod, where: 'spec' | 'status') =>
  where === 'spec' ? pod.spec.containers.find((c) => c.name === 'log')?.image : pod.status?.containerStatuses?.find((s) => s.name === 'log')?.image;

describe('SidecarSet controller on the memory cluster (kubelet paused to hold upgrades in flight)', () => {
  let cluster: MemoryCluster;
  let controller: SidecarSetController;
  let running: Promise<void>;
  let abort: AbortController;
  let events: KubeEvent[];
  let maxInFlight: number;

  const pods = async (): Promise<PodObject[]> => (await cluster.client.list(Resources.Pod, { namespace: 'apps' })).items;
  // Lets the controller, the kubelet and the watches run; moves the fake clock for requeues.
  async function until(condition: () => Promise<boolean>, steps = 200): Promise<void> {
    for (let i = 0; i < steps; i++) {
      await cluster.settle();
      if (await condition()) return;
      await cluster.clock.advance(50);
    }
    throw new Error('condition not reached');
  }
  // A spec change as the mutating webhook stores it: defaults and new hash annotations.
  const updateSidecarSet = async (spec: Partial<SidecarSet['spec']>, name = 'log') => {
    const current = await cluster.client.get(KruiseResources.SidecarSet, { name });
    const next = stored({ ...current.spec, ...spec }, name);
    await cluster.client.replace(KruiseResources.SidecarSet, { ...current, metadata: { ...current.metadata, annotations: next.metadata.annotations }, spec: next.spec });
  };

  beforeEach(async () => {
    abort = new AbortController();
    events = [];
    maxInFlight = 0;
    cluster = await createMemoryCluster({ nodes: 2 });
    cluster.registerResource(KruiseResources.SidecarSet);
    for (const name of ['apps', 'kruise-system']) await cluster.client.create(Resources.Namespace, { metadata: { name } });
    const ss = await cluster.client.create(KruiseResources.SidecarSet, stored({ containers: [{ name: 'log', image: OLD }], updateStrategy: { type: 'RollingUpdate', maxUnavailable: 2, partition: 3 } }));
    for (let i = 0; i < 10; i++) {
      const pod: PodObject = { metadata: { name: `web-${String(i)}`, namespace: 'apps', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } };
      const injected = injectSidecars(pod, [ss], {}, { now: cluster.clock.now() });
      await cluster.client.create(Resources.Pod, injected.kind === 'injected' ? (injected.pod as PodObject) : pod);
    }
    await cluster.clock.advance(1_000);
    const informers = createSharedInformerFactory(cluster.client, { clock: cluster.clock });
    controller = createSidecarSetController({ client: cluster.client, clock: cluster.clock, informers, events: { emit: (e) => events.push(e) }, revisionNamespace: 'kruise-system' });
    running = controller.controller.start(abort.signal);
    await until(async () => (await cluster.client.get(KruiseResources.SidecarSet, { name: 'log' })).status?.readyPods === 10);
  });
  afterEach(async () => {
    abort.abort();
    await running.catch(() => undefined);
    await controller.stop();
    await cluster.close();
  });

  it('image change, maxUnavailable 2, partition 3: exactly 2 in flight while the kubelet lags, 7 upgraded in the end, 3 kept', async () => {
    cluster.kubelet.pause();
    await updateSidecarSet({ containers: [{ name: 'log', image: NEW }] });
    await until(async () => (await pods()).filter((p) => imageOf(p, 'spec') === NEW).length === 2);
    // However long the kubelet takes, the controller waits: the two upgraded pods are unavailable.
    for (let i = 0; i < 10; i++) {
      await cluster.clock.advance(1_000);
      await cluster.settle();
    }
    expect((await pods()).filter((p) => imageOf(p, 'spec') === NEW)).toHaveLength(2);
    // One batch at a time: each time the kubelet catches up, at most 2 more.
    cluster.kubelet.resume();
    const track = async () => {
      const now = await pods();
      maxInFlight = Math.max(maxInFlight, now.filter((p) => imageOf(p, 'spec') === NEW && imageOf(p, 'status') !== NEW).length);
      return now;
    };
    await until(async () => (await track()).filter((p) => imageOf(p, 'status') === NEW).length === 7);
    for (let i = 0; i < 5; i++) await cluster.clock.advance(1_000);
    const final = await pods();
    expect(final.filter((p) => imageOf(p, 'spec') === NEW)).toHaveLength(7);
    expect(final.filter((p) => imageOf(p, 'spec') === OLD)).toHaveLength(3);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    for (const pod of final) {
      expect(pod.status?.containerStatuses?.find((s) => s.name === 'app')?.restartCount).toBe(0);
      expect(pod.status?.containerStatuses?.find((s) => s.name === 'log')?.restartCount).toBe(imageOf(pod, 'spec') === NEW ? 1 : 0);
    }
    const ss = await cluster.client.get(KruiseResources.SidecarSet, { name: 'log' });
    expect(ss.status).toMatchObject({ matchedPods: 10, updatedPods: 7, updatedReadyPods: 7, readyPods: 10, observedGeneration: ss.metadata.generation });
    const revisions = await cluster.client.list(Resources.ControllerRevision, { namespace: 'kruise-system' });
    expect(revisions.items.map((r) => [r.revision, r.metadata.labels?.['kruise.io/sidecarset-name']]).sort()).toEqual([[1, 'log'], [2, 'log']]);
  });

  it('hot upgrade: the new image goes to the idle twin, which takes over; then the old one goes back to the empty image', async () => {
    const envoy = { name: 'envoy', image: 'envoy:v1', upgradeStrategy: { upgradeType: 'HotUpgrade' as const, hotUpgradeEmptyImage: 'envoy:empty' } };
    const mesh = await cluster.client.create(KruiseResources.SidecarSet, stored({ selector: { matchLabels: { app: 'mesh' } }, containers: [envoy] }, 'mesh'));
    const pod: PodObject = { metadata: { name: 'mesh-0', namespace: 'apps', labels: { app: 'mesh' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } };
    const injected = injectSidecars(pod, [mesh], {}, { now: cluster.clock.now() });
    await cluster.client.create(Resources.Pod, (injected.kind === 'injected' ? injected.pod : pod) as PodObject);
    const meshPod = async () => cluster.client.get(Resources.Pod, { namespace: 'apps', name: 'mesh-0' });
    const images = async () => Object.fromEntries((await meshPod()).spec.containers.map((c) => [c.name, c.image]));
    const working = async () => (await meshPod()).metadata.annotations?.['kruise.io/sidecarset-working-hotupgrade-container'];
    await until(async () => (await meshPod()).status?.phase === 'Running');
    expect(await images()).toEqual({ 'envoy-1': 'envoy:v1', 'envoy-2': 'envoy:empty', app: 'nginx:1' });
    await updateSidecarSet({ containers: [{ ...envoy, image: 'envoy:v2' }] }, 'mesh');
    await until(async () => (await images())['envoy-1'] === 'envoy:empty' && (await images())['envoy-2'] === 'envoy:v2');
    expect(await working()).toBe('{"envoy":"envoy-2"}');
    const statuses = Object.fromEntries(((await meshPod()).status?.containerStatuses ?? []).map((c) => [c.name, c.restartCount]));
    expect(statuses).toEqual({ app: 0, 'envoy-1': 1, 'envoy-2': 1 });
  });

  it('updateStrategy.paused stops upgrades; a change beyond images marks the pods not upgradable, with one event', async () => {
    await updateSidecarSet({ containers: [{ name: 'log', image: NEW }], updateStrategy: { type: 'RollingUpdate', maxUnavailable: 2, paused: true } });
    for (let i = 0; i < 5; i++) await cluster.clock.advance(1_000);
    await cluster.settle();
    expect((await pods()).filter((p) => imageOf(p, 'spec') === NEW)).toEqual([]);
    await updateSidecarSet({ containers: [{ name: 'log', image: NEW, env: [{ name: 'FLUSH', value: '5' }] }], updateStrategy: { type: 'RollingUpdate', maxUnavailable: 2 } });
    const condition = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'SidecarSetUpgradable');
    await until(async () => (await pods()).every((p) => condition(p)?.status === 'False'));
    expect(condition((await pods())[0] as Pod)).toMatchObject({ reason: 'UpdateImmutableField', message: '{"log":false}' });
    expect((await pods()).filter((p) => imageOf(p, 'spec') === NEW)).toEqual([]);
    expect(events.filter((e) => e.reason === 'NotUpgradablePods').map((e) => [e.type, e.message])).toEqual([['Normal', 'SidecarSet in-place update detected 10 not upgradable pod(s) in this round, will skip them.']]);
  });
});
