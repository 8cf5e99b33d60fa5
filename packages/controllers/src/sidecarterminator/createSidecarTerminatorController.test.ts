import { KRUISE_TERMINATE_SIDECAR_ENV, KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE_ENV, KRUISE_TERMINATE_SIDECAR_WITH_IMAGE_ENV, type Container, type ContainerRecreateRequest } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorkloadWorld, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { createSidecarTerminatorController, isSidecarTerminationCandidate } from './createSidecarTerminatorController.js';

// The controller on the memory cluster with no scheduler and no simulated kubelet: the tests play
// the kubelet, writing the container states.

type CrrObject = ContainerRecreateRequest & KubeObject;
type State = 'running' | number;
const main: Container = { name: 'main', image: 'job:v1' };
const log: Container = { name: 'log', image: 'log:v1', env: [{ name: KRUISE_TERMINATE_SIDECAR_ENV, value: 'true' }] };
const proxy: Container = { name: 'proxy', image: 'proxy:v1', env: [{ name: KRUISE_TERMINATE_SIDECAR_ENV, value: 'true' }, { name: KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE_ENV, value: 'true' }] };
const vk: Container = { name: 'vk', image: 'vk:v1', env: [{ name: KRUISE_TERMINATE_SIDECAR_WITH_IMAGE_ENV, value: 'pause:3.9' }] };

describe('SidecarTerminator controller (memory cluster)', () => {
  let world: WorkloadWorld<KubeObject> | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });
  const start = async () => {
    world = await startWorkloadWorld<KubeObject>({ nodes: 0, scheduler: false, resource: KruiseResources.ContainerRecreateRequest, createController: (deps) => createSidecarTerminatorController(deps) });
    return world;
  };
  /** Creates Job pod `name` on `node` and writes the container states as the kubelet would. */
  const jobPod = async (w: WorkloadWorld<KubeObject>, containers: readonly Container[], states: Readonly<Record<string, State>>, options: { name?: string; node?: string; restartPolicy?: string } = {}) => {
    const name = options.name ?? 'job-0';
    const created = await w.user.create(Resources.Pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'apps' }, spec: { nodeName: options.node ?? 'node-a', restartPolicy: options.restartPolicy ?? 'Never', containers: [...containers] } });
    await kubelet(w, containers, states, name);
    return created;
  };
  const kubelet = (w: WorkloadWorld<KubeObject>, containers: readonly Container[], states: Readonly<Record<string, State>>, name = 'job-0') =>
    w.patchPod(name, { status: { phase: 'Running', containerStatuses: containers.map((c) => ({ name: c.name, image: c.image, imageID: 'x', restartCount: 0, ready: states[c.name] === 'running', state: states[c.name] === 'running' ? { running: {} } : { terminated: { exitCode: states[c.name] } } })) } }, 'status');
  const crrs = async (w: WorkloadWorld<KubeObject>): Promise<CrrObject[]> => (await w.user.list(KruiseResources.ContainerRecreateRequest, { namespace: 'apps' })).items;

  it('main exited 0 with restartPolicy Never: creates the CRR sidecar-termination-<uid> stopping the running sidecar, with an event', async () => {
    const w = await start();
    await jobPod(w, [main, log], { main: 'running', log: 'running' });
    await w.idle(1000);
    expect(await crrs(w)).toEqual([]);
    await kubelet(w, [main, log], { main: 0, log: 'running' });
    await w.until(async () => (await crrs(w)).length === 1);
    const [crr] = await crrs(w);
    const pod = await w.pod('job-0');
    expect(crr?.metadata.name).toBe(`sidecar-termination-${pod.metadata.uid ?? ''}`);
    expect(crr?.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'job-0', uid: pod.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(crr?.spec).toMatchObject({ podName: 'job-0', containers: [{ name: 'log' }], strategy: { forceRecreate: true, failurePolicy: 'Ignore' } });
    await w.until(() => w.events.some((e) => e.reason === 'SidecarTerminator'));
    expect(w.events.filter((e) => e.reason === 'SidecarTerminator').map((e) => [e.type, e.message])).toEqual([['Normal', 'Kruise SidecarTerminator is trying to terminate sidecar [log] using crr']]);
    // Another pass (the pod changes) does not create a second CRR; the phase is left to the kubelet.
    await w.patchPod('job-0', { metadata: { labels: { touched: 'yes' } } });
    await w.idle(1000);
    expect(await crrs(w)).toHaveLength(1);
    expect((await w.pod('job-0')).status?.phase).toBe('Running');
  });

  it('OnFailure with main exited 1 (it will restart): nothing; main exited 0: the CRR', async () => {
    const w = await start();
    await jobPod(w, [main, log], { main: 1, log: 'running' }, { restartPolicy: 'OnFailure' });
    await w.idle(1000);
    expect(await crrs(w)).toEqual([]);
    await kubelet(w, [main, log], { main: 0, log: 'running' });
    await w.until(async () => (await crrs(w)).length === 1);
  });

  it('ignore-exit-code sidecar: the pod is set Succeeded with SidecarTerminated, then the CRR stops the sidecar', async () => {
    const w = await start();
    await jobPod(w, [main, proxy], { main: 0, proxy: 'running' });
    await w.until(async () => (await crrs(w)).length === 1);
    const pod = await w.pod('job-0');
    expect(pod.status?.phase).toBe('Succeeded');
    expect(pod.status?.conditions).toEqual([expect.objectContaining({ type: 'SidecarTerminated', status: 'True', message: 'Terminated by Sidecar Terminator' })]);
    expect((await crrs(w))[0]?.spec.containers).toEqual([{ name: 'proxy' }]);
  });

  it('ignore-exit-code sidecar, main failed: the pod is set Failed', async () => {
    const w = await start();
    await jobPod(w, [main, proxy], { main: 3, proxy: 'running' });
    await w.until(async () => (await w.pod('job-0')).status?.phase === 'Failed');
  });

  it('on a virtual-kubelet node: the image sidecar is replaced in place, no CRR', async () => {
    const w = await start();
    await w.user.create(Resources.Node, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'vk-1', labels: { type: 'virtual-kubelet' } } });
    await jobPod(w, [main, vk], { main: 0, vk: 'running' }, { node: 'vk-1' });
    await w.until(async () => (await w.pod('job-0')).spec.containers.find((c) => c.name === 'vk')?.image === 'pause:3.9');
    expect(w.events.filter((e) => e.reason === 'SidecarTerminator').map((e) => e.message)).toEqual(['Kruise SidecarTerminator is trying to terminate sidecar [vk] using in-place update']);
    expect(await crrs(w)).toEqual([]);
  });

  it('pods that are not candidates are never reconciled: Always, no sidecar, sidecar exited', async () => {
    const w = await start();
    await jobPod(w, [main, log], { main: 0, log: 'running' }, { name: 'always', restartPolicy: 'Always' });
    await jobPod(w, [main], { main: 0 }, { name: 'plain' });
    await jobPod(w, [main, log], { main: 0, log: 137 }, { name: 'done' });
    await w.idle(1000);
    expect(await crrs(w)).toEqual([]);
    expect(isSidecarTerminationCandidate(await w.pod('done'))).toBe(false);
  });
});
