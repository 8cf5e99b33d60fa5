import { planLaunchPriorityInjection, type Pod } from '@kruise-ts/core';
import { aPod } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorkloadWorld, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { createContainerLaunchPriorityController, needsLaunchPriorityPass } from './createContainerLaunchPriorityController.js';

// The controller on the memory cluster with no scheduler and no node, so no simulated kubelet
// touches the pods: the tests play the kubelet, marking containers ready once their key exists.

type ConfigMapObject = KubeObject & { data?: Record<string, string> };
const containers = [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }, { name: 'c', image: 'busybox' }];

/** Pod `name` as the webhook leaves it: containers a, b, c with barriers p_0, p_-1, p_-2 (Ordered). */
function orderedPod(name: string, annotations: Record<string, string> = { 'apps.kruise.io/container-launch-priority': 'Ordered' }): Pod {
  const pod = aPod({ name, namespace: 'apps', containers, annotations });
  const injected = planLaunchPriorityInjection({ ...pod, status: {} }, () => 'zzzzz');
  return injected.kind === 'inject' ? injected.pod : { ...pod, status: {} };
}

describe('container launch priority controller (memory cluster)', () => {
  let world: WorkloadWorld<KubeObject> | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });
  const start = async () => {
    world = await startWorkloadWorld<KubeObject>({ nodes: 0, scheduler: false, resource: KruiseResources.CloneSet, createController: (deps) => createContainerLaunchPriorityController(deps) });
    return world;
  };
  const barrier = async (w: WorkloadWorld<KubeObject>, pod = 'web-0'): Promise<ConfigMapObject | undefined> => (await w.user.list(Resources.ConfigMap, { namespace: 'apps' })).items.find((c) => c.metadata.name === `${pod}-barrier`);
  /** Writes the kubelet's view: `ready` containers ready, ContainersReady True only when all are. */
  const kubelet = async (w: WorkloadWorld<KubeObject>, ready: readonly string[], pod = 'web-0') => {
    const all = ready.length === containers.length;
    await w.patchPod(pod, { status: { phase: 'Pending', conditions: [{ type: 'ContainersReady', status: all ? 'True' : 'False' }], containerStatuses: containers.map((c) => ({ name: c.name, ready: ready.includes(c.name), restartCount: 0, image: 'busybox', imageID: '' })) } }, 'status');
  };

  it('Ordered: creates web-0-barrier owned by the pod, releases p_0, p_-1, p_-2 as a, then b become ready, then marks the pod completed', async () => {
    const w = await start();
    const keys: string[] = [];
    const stop = w.follow(Resources.ConfigMap, (changed: ConfigMapObject) => {
      for (const key of Object.keys(changed.data ?? {})) if (!keys.includes(key)) keys.push(key);
    });
    const created = await w.user.create(Resources.Pod, orderedPod('web-0') as Pod & KubeObject);
    await kubelet(w, []);
    await w.until(async () => (await barrier(w))?.data?.p_0 === 'true');
    expect((await barrier(w))?.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'web-0', uid: created.metadata.uid }]);
    // a starts only now: until it is ready nothing more is released.
    await w.idle(2000);
    expect(Object.keys((await barrier(w))?.data ?? {})).toEqual(['p_0']);
    await kubelet(w, ['a']);
    await w.until(async () => (await barrier(w))?.data?.['p_-1'] === 'true');
    await kubelet(w, ['a', 'b']);
    await w.until(async () => (await w.pod('web-0')).metadata.annotations?.['apps.kruise.io/container-launch-priority-completed'] === 'true');
    stop();
    expect(keys).toEqual(['p_0', 'p_-1', 'p_-2']);
    // Completed: c becoming ready changes nothing.
    await kubelet(w, ['a', 'b', 'c']);
    await w.idle(2000);
    expect(Object.keys((await barrier(w))?.data ?? {})).toEqual(['p_0', 'p_-1', 'p_-2']);
  });

  it('KRUISE_CONTAINER_PRIORITY: two containers at 10 are released together, then the one at 1', async () => {
    const w = await start();
    const envs = [{ name: 'a', image: 'busybox', env: [{ name: 'KRUISE_CONTAINER_PRIORITY', value: '10' }] }, { name: 'b', image: 'busybox', env: [{ name: 'KRUISE_CONTAINER_PRIORITY', value: '10' }] }, { name: 'c', image: 'busybox', env: [{ name: 'KRUISE_CONTAINER_PRIORITY', value: '1' }] }];
    const injected = planLaunchPriorityInjection(aPod({ name: 'web-0', namespace: 'apps', containers: envs }), () => 'zzzzz');
    expect(injected.kind).toBe('inject');
    if (injected.kind !== 'inject') return;
    await w.user.create(Resources.Pod, { ...injected.pod, status: {} } as Pod & KubeObject);
    await kubelet(w, []);
    await w.until(async () => (await barrier(w))?.data?.p_10 === 'true');
    await kubelet(w, ['a']);
    await w.idle(2000);
    expect(Object.keys((await barrier(w))?.data ?? {})).toEqual(['p_10']);
    await kubelet(w, ['a', 'b']);
    await w.until(async () => (await barrier(w))?.data?.p_1 === 'true');
    await w.until(async () => (await w.pod('web-0')).metadata.annotations?.['apps.kruise.io/container-launch-priority-completed'] === 'true');
  });

  it('a pod without barrier env gets no ConfigMap', async () => {
    const w = await start();
    await w.user.create(Resources.Pod, { ...aPod({ name: 'plain', namespace: 'apps', containers }), status: {} } as Pod & KubeObject);
    await kubelet(w, [], 'plain');
    await w.idle(2000);
    expect(await w.user.list(Resources.ConfigMap, { namespace: 'apps' }).then((l) => l.items.map((c) => c.metadata.name))).not.toContain('plain-barrier');
  });

  it('once ContainersReady is True nothing is released (the barrier made at creation stays empty)', async () => {
    const w = await start();
    await w.user.create(Resources.Pod, orderedPod('done') as Pod & KubeObject);
    await kubelet(w, ['a', 'b', 'c'], 'done');
    await w.idle(2000);
    // The creation event (no status yet) made the barrier, as OpenKruise; every later pass skips.
    expect((await barrier(w, 'done'))?.data ?? {}).toEqual({});
    expect((await w.pod('done')).metadata.annotations?.['apps.kruise.io/container-launch-priority-completed']).toBeUndefined();
  });
});

describe('needsLaunchPriorityPass', () => {
  it.each([
    { story: 'barrier env, ContainersReady False', pod: { ...orderedPod('p'), status: { conditions: [{ type: 'ContainersReady', status: 'False' as const }] } }, want: true },
    { story: 'barrier env, no status yet', pod: orderedPod('p'), want: true },
    { story: 'ContainersReady True', pod: { ...orderedPod('p'), status: { conditions: [{ type: 'ContainersReady', status: 'True' as const }] } }, want: false },
    { story: 'annotated completed', pod: orderedPod('p', { 'apps.kruise.io/container-launch-priority': 'Ordered', 'apps.kruise.io/container-launch-priority-completed': 'true' }), want: false },
    { story: 'no barrier env', pod: aPod({ containers }), want: false },
  ])('$story → $want', ({ pod, want }) => {
    expect(needsLaunchPriorityPass(pod)).toBe(want);
  });
});
