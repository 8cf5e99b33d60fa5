import type { NodeImage } from '@kruise-ts/core';
import { KruiseResources, Resources, createMemoryCluster, type KubeEvent, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeImageRuntime } from '../testing/fakeImageRuntime.js';
import { createImagePullController, type ImagePullController } from './createImagePullController.js';

const REG = '127.0.0.1:5000';
let cluster: MemoryCluster;
let abort: AbortController;
let running: Promise<void> | undefined;

afterEach(async () => {
  abort.abort();
  await running;
  await cluster.close();
});

async function start(nodeImage: NodeImage, runtime = createFakeImageRuntime()): Promise<{ controller: ImagePullController; events: KubeEvent[] }> {
  cluster = await createMemoryCluster({ nodes: 0, clock: { mode: 'auto' } });
  cluster.registerResource(KruiseResources.NodeImage);
  await cluster.client.create(KruiseResources.NodeImage, { ...nodeImage, apiVersion: 'apps.kruise.io/v1beta1', kind: 'NodeImage', metadata: { ...nodeImage.metadata, name: 'node-a' } });
  await cluster.client.create(KruiseResources.NodeImage, { apiVersion: 'apps.kruise.io/v1beta1', kind: 'NodeImage', metadata: { name: 'node-b' }, spec: nodeImage.spec });
  const events: KubeEvent[] = [];
  const controller = createImagePullController({ client: cluster.client, nodeName: 'node-a', runtime, clock: cluster.clock, events: { emit: (e) => events.push(e) } });
  abort = new AbortController();
  running = controller.run(abort.signal);
  return { controller, events };
}

const readStatus = async (name = 'node-a') => (await cluster.client.get(KruiseResources.NodeImage, { name })).status;

describe('createImagePullController (in-memory cluster)', () => {
  it('pulls the tags of its own NodeImage only and writes the status through /status', async () => {
    const runtime = createFakeImageRuntime();
    runtime.setImage(`${REG}/app:1`, { kind: 'available', steps: 5 });
    runtime.setImage(`${REG}/app:2`, { kind: 'available' });
    const { controller, events } = await start({ spec: { images: { [`${REG}/app`]: { tags: [{ tag: '1' }, { tag: '2' }] } } } }, runtime);
    const started = cluster.clock.now();
    await vi.waitFor(async () => { expect(await readStatus()).toMatchObject({ desired: 2, succeeded: 2, failed: 0, pulling: 0 }); });
    expect(controller.isSynced()).toBe(true);
    expect(runtime.pulls.map((p) => p.image).sort()).toEqual([`${REG}/app:1`, `${REG}/app:2`]);
    expect(await readStatus('node-b')).toBeUndefined();
    expect(events.filter((e) => e.reason === 'PullImageSucceed' && e.subject.kind === 'NodeImage' && e.subject.name === 'node-a')).toHaveLength(2);
    // Throttled as OpenKruise's daemon: a burst of 5, then one more per 2 s of the cluster's clock
    // (the clock runs in real time here, so a loaded machine may allow a 6th write).
    expect(controller.writer.writes()).toBeLessThanOrEqual(5 + Math.floor((cluster.clock.now() - started) / 2000));
  });

  it('a missing image fails with its message on the NodeImage, and an event on the owning job', async () => {
    const owner = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'ImagePullJob', namespace: 'ns', name: 'job', uid: 'u1' };
    const { events } = await start({ spec: { images: { [`${REG}/missing`]: { tags: [{ tag: '1', pullPolicy: { backoffLimit: 1 }, ownerReferences: [owner] }] } } } });
    await vi.waitFor(async () => { expect(await readStatus()).toMatchObject({ desired: 1, failed: 1 }); });
    const tag = (await readStatus())?.imageStatuses?.[`${REG}/missing`]?.tags[0];
    expect(tag).toMatchObject({ phase: 'Failed', message: expect.stringContaining('NOT_FOUND') as unknown });
    expect(events).toContainEqual(expect.objectContaining({ reason: 'PullImageFailed', type: 'Warning', subject: expect.objectContaining({ kind: 'ImagePullJob', name: 'job' }) as unknown }));
  });

  it('reads the pull Secret from the API; a missing Secret is left out (as OpenKruise) and the registry refuses the anonymous pull', async () => {
    const runtime = createFakeImageRuntime();
    runtime.setImage(`${REG}/private:1`, { kind: 'available', auth: { username: 'u', password: 'p' } });
    runtime.setImage(`${REG}/private:2`, { kind: 'available', auth: { username: 'u', password: 'p' } });
    const images = { [`${REG}/private`]: { pullSecrets: [{ namespace: 'ns', name: 'pull' }], tags: [{ tag: '1', pullPolicy: { backoffLimit: 0 } }] } };
    await start({ spec: { images } }, runtime);
    await vi.waitFor(async () => { expect(await readStatus()).toMatchObject({ failed: 1 }); });
    expect((await readStatus())?.imageStatuses?.[`${REG}/private`]?.tags[0]?.message).toContain('401 Unauthorized');
    expect(runtime.pulls[0]).toEqual({ image: `${REG}/private:1`, auth: undefined });
    await cluster.client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } });
    await cluster.client.create(Resources.Secret, { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'ns', name: 'pull' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [REG]: { auth: Buffer.from('u:p').toString('base64') } } })).toString('base64') } });
    await cluster.client.patch(KruiseResources.NodeImage, { name: 'node-a' }, { type: 'merge', body: { spec: { images: { [`${REG}/private`]: { ...images[`${REG}/private`], tags: [{ tag: '1', pullPolicy: { backoffLimit: 0 } }, { tag: '2' }] } } } } });
    await vi.waitFor(async () => { expect(await readStatus()).toMatchObject({ desired: 2, succeeded: 1, failed: 1 }); });
    expect(runtime.pulls.at(-1)).toEqual({ image: `${REG}/private:2`, auth: { username: 'u', password: 'p' } });
  });

  it('keeps firstSyncStatus written by the manager, and a bumped version pulls again', async () => {
    const runtime = createFakeImageRuntime();
    runtime.setImage(`${REG}/app:1`, { kind: 'available' });
    await start({ spec: { images: { [`${REG}/app`]: { tags: [{ tag: '1' }] } } } }, runtime);
    await vi.waitFor(async () => { expect(await readStatus()).toMatchObject({ succeeded: 1 }); });
    await cluster.client.patch(KruiseResources.NodeImage, { name: 'node-a' }, { type: 'merge', body: { status: { firstSyncStatus: { status: 'Succeeded', message: 'x' } } } }, { subresource: 'status' });
    await cluster.client.patch(KruiseResources.NodeImage, { name: 'node-a' }, { type: 'merge', body: { spec: { images: { [`${REG}/app`]: { tags: [{ tag: '1', version: 1, imagePullPolicy: 'Always' }] } } } } });
    await vi.waitFor(async () => { expect((await readStatus())?.imageStatuses?.[`${REG}/app`]?.tags[0]).toMatchObject({ version: 1, phase: 'Succeeded' }); });
    expect(runtime.pulls).toHaveLength(2);
    expect((await readStatus())?.firstSyncStatus).toEqual({ status: 'Succeeded', message: 'x' });
  });
});
