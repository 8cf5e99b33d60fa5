import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import type { EphemeralJob, Pod } from '@kruise-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorkloadWorld, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { createEphemeralJobController } from './createEphemeralJobController.js';

type EphemeralJobObject = EphemeralJob & KubeObject;
type Injected = Pod & { spec: { ephemeralContainers?: { name: string; env?: { name: string; value?: string }[] }[] } };

function job(name: string, spec: Partial<EphemeralJob['spec']> = {}): EphemeralJobObject {
  return {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'EphemeralJob',
    metadata: { name, namespace: 'apps' },
    spec: { selector: { matchLabels: { app: 'web' } }, parallelism: 3, template: { ephemeralContainers: [{ name: 'debugger', image: 'busybox:1', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'true'] }] }, ...spec },
  };
}

async function startWorld(): Promise<WorkloadWorld<EphemeralJobObject>> {
  const world = await startWorkloadWorld<EphemeralJobObject>({ resource: KruiseResources.EphemeralJob, createController: (deps) => createEphemeralJobController(deps) });
  for (const [i, app] of ['web', 'web', 'web', 'db', 'db'].entries()) {
    await world.user.create(Resources.Pod, { metadata: { name: `${app}-${String(i)}`, namespace: 'apps', labels: { app } }, spec: { containers: [{ name: 'main', image: 'nginx:1' }] } });
  }
  await world.until(async () => (await world.pods()).every((p) => p.status?.phase === 'Running'));
  return world;
}

const injectedInto = async (world: WorkloadWorld<EphemeralJobObject>): Promise<string[]> =>
  (await world.pods()).filter((p) => ((p as Injected).spec.ephemeralContainers ?? []).length > 0).map((p) => p.metadata.name ?? '').sort();

describe('EphemeralJob controller (memory cluster)', () => {
  let world: WorkloadWorld<EphemeralJobObject> | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('adds its ephemeral container to the 3 matching pods through pods/ephemeralcontainers, then Succeeded', async () => {
    world = await startWorld();
    const w = world;
    const created = await w.user.create(KruiseResources.EphemeralJob, job('debug'));
    await w.until(async () => (await w.get('debug')).status?.phase === 'Succeeded');
    expect(await injectedInto(w)).toEqual(['web-0', 'web-1', 'web-2']);
    const pod = (await w.pod('web-0')) as Injected;
    expect(pod.spec.ephemeralContainers?.[0]).toMatchObject({ name: 'debugger', env: [{ name: 'KRUISE_EJOB_ID', value: created.metadata.uid }] });
    expect((await w.get('debug')).status).toMatchObject({ match: 3, succeeded: 3, failed: 0, running: 0, waiting: 0 });
    expect(w.writes({ subresource: 'ephemeralcontainers' }).succeeded).toBe(3);
  });

  it('replicas 2 and parallelism 1: two pods, the oldest, one at a time; paused: nothing', async () => {
    world = await startWorld();
    const w = world;
    await w.user.create(KruiseResources.EphemeralJob, job('paused', { paused: true }));
    await w.until(async () => (await w.get('paused')).status?.phase === 'Paused');
    expect(await injectedInto(w)).toEqual([]);
    await w.user.create(KruiseResources.EphemeralJob, job('two', { replicas: 2, parallelism: 1 }));
    await w.until(async () => (await w.get('two')).status?.phase === 'Succeeded');
    expect(await injectedInto(w)).toEqual(['web-0', 'web-1']);
  });

  it('deletes itself ttlSecondsAfterFinished after finishing', async () => {
    world = await startWorld();
    const w = world;
    await w.user.create(KruiseResources.EphemeralJob, job('short', { ttlSecondsAfterFinished: 5 }));
    await w.until(async () => (await w.get('short')).status?.phase === 'Succeeded');
    await w.until(async () => (await w.user.list(KruiseResources.EphemeralJob, { namespace: 'apps' })).items.every((j) => j.metadata.name !== 'short'));
  });
});
