import { admitContainerRecreateRequest, formatTime, notReadyKeys, type ContainerRecreateRequest, type Pod } from '@kruise-ts/core';
import { aContainerRecreateRequest } from '@kruise-ts/core/testing';
import { createMemoryCluster, createSharedInformerFactory, KruiseResources, Resources, type KubeClient, type KubeObject, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningController } from '../runtime/controllerDeps.js';
import { createLogger } from '../runtime/logger.js';
import { createContainerRecreateRequestController } from './createContainerRecreateRequestController.js';

type CrrObject = ContainerRecreateRequest & KubeObject;

interface World {
  readonly cluster: MemoryCluster;
  readonly user: KubeClient;
  /** Runs cluster and controller 100 ms of fake time a step until `condition` holds. */
  until(condition: () => Promise<boolean>, steps?: number): Promise<void>;
  crr(name?: string): Promise<CrrObject | undefined>;
  pod(): Promise<Pod & KubeObject>;
  /** Creates the CRR as the mutating webhook would admit it for the current pod. */
  create(options: Parameters<typeof aContainerRecreateRequest>[0]): Promise<CrrObject>;
  /** What a daemon writes: the phase (and states). */
  daemonWrites(name: string, status: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function startWorld(options: { readonly gate?: boolean } = {}): Promise<World> {
  const cluster = await createMemoryCluster({ nodes: 1, kubelet: { startDelayMs: 0 } });
  cluster.registerResource(KruiseResources.ContainerRecreateRequest);
  const user = cluster.clientFor('kubectl');
  await user.create(Resources.Pod, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default' },
    spec: { nodeName: cluster.nodes[0] ?? '', containers: [{ name: 'app', image: 'nginx' }], ...(options.gate === true ? { readinessGates: [{ conditionType: 'KruisePodReady' }] } : {}) },
  });
  if (options.gate === true) {
    // What a workload's pod webhook/controller does: the KruisePodReady condition starts True.
    const pod = await user.get(Resources.Pod, { namespace: 'default', name: 'web-0' });
    await user.patch(Resources.Pod, { namespace: 'default', name: 'web-0' }, { type: 'strategic', body: { metadata: { uid: pod.metadata.uid }, status: { conditions: [{ type: 'KruisePodReady', status: 'True' }] } } }, { subresource: 'status' });
  }
  await cluster.clock.advance(1000);
  await cluster.settle();
  const controller: RunningController = createContainerRecreateRequestController({
    client: cluster.client,
    clock: cluster.clock,
    informers: createSharedInformerFactory(cluster.client, { clock: cluster.clock }),
    events: { emit: () => undefined },
    logger: createLogger({ level: 'silent' }),
  });
  const abort = new AbortController();
  const running = controller.controller.start(abort.signal);
  const key = (name: string) => ({ namespace: 'default', name });
  const getPod = () => user.get(Resources.Pod, key('web-0'));
  return {
    cluster,
    user,
    async until(condition, steps = 1200) {
      for (let i = 0; i < steps; i++) {
        await cluster.settle();
        if (await condition()) return;
        await cluster.clock.advance(100);
      }
      throw new Error(`condition not reached in ${String(steps)} steps of 100 ms`);
    },
    crr: async (name = 'crr-web-0') => (await user.list(KruiseResources.ContainerRecreateRequest, { namespace: 'default' })).items.find((c) => c.metadata.name === name),
    pod: getPod,
    async create(crrOptions) {
      const admitted = admitContainerRecreateRequest(aContainerRecreateRequest(crrOptions), { kind: 'found', pod: await getPod() });
      if (admitted.kind !== 'admitted') throw new Error(admitted.problem.message);
      const { metadata, ...rest } = admitted.crr;
      return user.create(KruiseResources.ContainerRecreateRequest, { ...rest, apiVersion: 'apps.kruise.io/v1alpha1', kind: 'ContainerRecreateRequest', metadata: { name: metadata?.name ?? '', namespace: 'default', labels: metadata?.labels ?? {} } });
    },
    async daemonWrites(name, status) {
      await user.patch(KruiseResources.ContainerRecreateRequest, key(name), { type: 'merge', body: { status } }, { subresource: 'status' });
    },
    async close() {
      abort.abort();
      await running.catch(() => undefined);
      await controller.stop();
      await cluster.close();
    },
  };
}

const completed = (crr: CrrObject | undefined): boolean => crr?.status?.phase === 'Completed';

describe('ContainerRecreateRequest controller (memory cluster)', () => {
  it('completes a CRR whose pod is deleted ("pod has gone") and then drops its active label', async () => {
    world = await startWorld();
    await world.create({});
    await world.user.delete(Resources.Pod, { namespace: 'default', name: 'web-0' }, { gracePeriodSeconds: 0 });
    await world.until(async () => (await world!.crr())?.metadata.labels?.['crr.apps.kruise.io/active'] === undefined);
    const crr = await world.crr();
    expect(crr?.status).toMatchObject({ phase: 'Completed', message: 'pod has gone' });
    expect(crr?.status?.completionTime).toEqual(expect.any(String));
  });

  it('completes a CRR no daemon took within a minute', async () => {
    world = await startWorld();
    const created = world.cluster.clock.now();
    await world.create({});
    await world.until(async () => completed(await world!.crr()));
    expect((await world.crr())?.status?.message).toBe('daemon has not responded for a long time');
    expect(world.cluster.clock.now() - created).toBeGreaterThanOrEqual(60_000);
  });

  it('fails the unfinished containers past activeDeadlineSeconds, and syncs the pod’s container statuses while Recreating', async () => {
    world = await startWorld();
    await world.create({ activeDeadlineSeconds: 5 });
    await world.daemonWrites('crr-web-0', { phase: 'Recreating', containerRecreateStates: [{ name: 'app', phase: 'Recreating' }] });
    await world.until(async () => (await world!.crr())?.metadata.annotations?.['crr.apps.kruise.io/sync-container-statuses'] !== undefined);
    // The app container started before the CRR: nothing to report yet.
    expect((await world.crr())?.metadata.annotations?.['crr.apps.kruise.io/sync-container-statuses']).toBe('[]');
    await world.until(async () => completed(await world!.crr()));
    expect((await world.crr())?.status).toMatchObject({
      phase: 'Completed',
      message: 'recreating has exceeded the activeDeadlineSeconds',
      containerRecreateStates: [{ name: 'app', phase: 'Failed', message: 'recreating has exceeded the activeDeadlineSeconds' }],
    });
  });

  it('holds a gated pod not ready for unreadyGracePeriodSeconds (finalizer, KruisePodReady key, annotation) and releases it once the CRR finishes', async () => {
    world = await startWorld({ gate: true });
    await world.create({ strategy: { unreadyGracePeriodSeconds: 3 } });
    await world.daemonWrites('crr-web-0', { phase: 'Recreating' });
    await world.until(async () => (await world!.crr())?.metadata.annotations?.['crr.apps.kruise.io/unready-acquired'] !== undefined);
    const held = await world.crr();
    expect(held?.metadata.finalizers).toEqual(['crr.apps.kruise.io/unready-acquired']);
    const pod = await world.pod();
    expect(pod.status?.conditions?.find((c) => c.type === 'KruisePodReady')?.status).toBe('False');
    expect(notReadyKeys(pod)).toEqual([{ userAgent: 'ContainerRecreateRequest', key: 'default/crr-web-0' }]);
    // The daemon finishes the CRR.
    await world.daemonWrites('crr-web-0', { phase: 'Completed', completionTime: formatTime(world.cluster.clock.now()) });
    await world.until(async () => (await world!.crr())?.metadata.finalizers === undefined || (await world!.crr())?.metadata.finalizers?.length === 0);
    const released = await world.pod();
    expect(released.status?.conditions?.find((c) => c.type === 'KruisePodReady')?.status).toBe('True');
    expect(notReadyKeys(released)).toEqual([]);
  });

  it('deletes a finished CRR ttlSecondsAfterFinished after its completion', async () => {
    world = await startWorld();
    await world.create({ ttlSecondsAfterFinished: 10 });
    await world.user.delete(Resources.Pod, { namespace: 'default', name: 'web-0' }, { gracePeriodSeconds: 0 });
    await world.until(async () => completed(await world!.crr()));
    const completedAt = world.cluster.clock.now();
    await world.until(async () => (await world!.crr()) === undefined);
    expect(world.cluster.clock.now() - completedAt).toBeGreaterThanOrEqual(9_000);
  });
});
