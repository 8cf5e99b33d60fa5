import { fileURLToPath } from 'node:url';
import type { ImageSpec, ImageTagStatus } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { pollUntil } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, pushImage, type PushedImage } from '../runtime/index.js';
import { recordedEvents, startPullWorld, type PullWorld } from './pullWorld.js';

const NODEIMAGE_CRD = fileURLToPath(new URL('../../../../deploy/crds/apps.kruise.io_nodeimages.yaml', import.meta.url));
const JOB_OWNER = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'ImagePullJob', namespace: 'default', name: 'warm-busybox', uid: '00000000-0000-0000-0000-000000000001' };

// kruise-ts-daemon alone against a real kube-apiserver and a real containerd (CRI) with loopback
// registries: two daemon processes (node-a, node-b) share one containerd. The tests write the
// NodeImage spec as the ImagePullJob controller would (one tag entry per job, owned by the job) and
// read what the daemons report; imagePullJob.test.ts runs the same cases through the manager.
describe('kruise-ts-daemon pulls NodeImage images through CRI', () => {
  let world: PullWorld;
  let client: KubeClient;
  let v1: PushedImage;
  let privateImage: PushedImage;
  let slowImage: PushedImage;

  beforeAll(async () => {
    world = await startPullWorld({ nodes: 0, crds: [NODEIMAGE_CRD] });
    client = world.client;
    [v1, privateImage, slowImage] = await Promise.all([
      buildImage({ name: 'busybox', tag: 'v1' }).then((image) => pushImage(world.open, image)),
      buildImage({ name: 'private/busybox', tag: 'v1' }).then((image) => pushImage(world.secured, image)),
      buildImage({ name: 'slowbox', tag: 'v1', files: { '/etc/slow': 'killed mid-pull\n' } }).then((image) => pushImage(world.open, image)),
    ]);
    for (const node of ['node-a', 'node-b']) await client.create(KruiseResources.NodeImage, { apiVersion: 'apps.kruise.io/v1beta1', kind: 'NodeImage', metadata: { name: node }, spec: {} });
    await Promise.all([world.startNode('node-a'), world.startNode('node-b')].map((d) => d.waitForLog('kruise-ts-daemon starting')));
  });

  afterAll(async () => {
    await world.stop();
  });

  const setImage = async (node: string, name: string, image: ImageSpec): Promise<void> => {
    await client.patch(KruiseResources.NodeImage, { name: node }, { type: 'merge', body: { spec: { images: { [name]: image } } } });
  };
  const tagStatus = (node: string, name: string, tag: string): Promise<ImageTagStatus | undefined> => world.tagStatus(node, `${name}:${tag}`);
  const waitForPhase = (node: string, name: string, tag: string, phase: ImageTagStatus['phase'], timeoutMs = 60_000): Promise<ImageTagStatus> =>
    pollUntil(async () => {
      const status = await tagStatus(node, name, tag);
      return status?.phase === phase ? status : undefined;
    }, { timeoutMs, what: `${node} ${name}:${tag} ${phase}` });
  const nameOf = (image: PushedImage): string => image.reference.slice(0, image.reference.lastIndexOf(':'));

  it('two nodes, one job tag each: the image lands in containerd’s store and both NodeImages report Succeeded with counts', async () => {
    const name = nameOf(v1);
    const tag = { tag: 'v1', createdAt: new Date().toISOString(), ownerReferences: [JOB_OWNER], version: 0 };
    // parallelism 1: the job gives the tag to node-a first, to node-b once node-a finished.
    await setImage('node-a', name, { tags: [tag] });
    const onA = await waitForPhase('node-a', name, 'v1', 'Succeeded');
    expect(await world.containerd.imageRefs()).toContain(v1.reference);
    await setImage('node-b', name, { tags: [tag] });
    const onB = await waitForPhase('node-b', name, 'v1', 'Succeeded');
    for (const status of [onA, onB]) expect(status).toMatchObject({ progress: 100, version: 0, imageID: expect.stringMatching(new RegExp(`^${name.replace(/[.]/g, '\\.')}@sha256:`)) as unknown });
    for (const node of ['node-a', 'node-b']) expect((await client.get(KruiseResources.NodeImage, { name: node })).status).toMatchObject({ desired: 1, succeeded: 1, failed: 0, pulling: 0 });
    expect((await recordedEvents(client, 'default', 'PullImageSucceed', (e) => e.reason === 'PullImageSucceed', 2)).length).toBeGreaterThanOrEqual(2);
  });

  it('a missing image fails after the backoff limit with a message naming the image and the registry’s answer', async () => {
    const name = `${world.open.host}/missing`;
    await setImage('node-a', name, { tags: [{ tag: 'v1', pullPolicy: { backoffLimit: 1, timeoutSeconds: 30 }, ownerReferences: [JOB_OWNER] }] });
    const failed = await waitForPhase('node-a', name, 'v1', 'Failed');
    expect(failed.message).toMatch(new RegExp(`^pulling failed after 2 attempts \\(backoffLimit 1\\): CRI PullImage "${name.replace(/[.]/g, '\\.')}:v1" failed: NOT_FOUND: .*not found`));
    expect(failed.completionTime).toEqual(expect.any(String));
    const onJob = await recordedEvents(client, 'default', 'PullImageFailed on an ImagePullJob', (e) => e.reason === 'PullImageFailed' && e.involvedObject?.kind === 'ImagePullJob');
    expect(onJob[0]?.message).toContain('NOT_FOUND');
  });

  it('a registry with basic auth: the pullSecret’s credentials pull; without them the pull fails clearly', async () => {
    await client.create(Resources.Secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { namespace: 'default', name: 'registry-alice' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [world.secured.host]: { auth: Buffer.from('alice:s3cret').toString('base64') } } })).toString('base64') },
    });
    const name = nameOf(privateImage);
    await setImage('node-b', name, { tags: [{ tag: 'v1', pullPolicy: { backoffLimit: 0 } }] });
    const refused = await waitForPhase('node-b', name, 'v1', 'Failed');
    expect(refused.message).toMatch(/pulling failed after 1 attempt \(backoffLimit 0\): CRI PullImage .* failed: UNKNOWN: .*(401 Unauthorized|authorization failed|unauthorized)/i);
    await setImage('node-a', name, { pullSecrets: [{ namespace: 'default', name: 'registry-alice' }], tags: [{ tag: 'v1', pullPolicy: { backoffLimit: 0 } }] });
    await waitForPhase('node-a', name, 'v1', 'Succeeded');
    expect(await world.containerd.imageRefs()).toContain(privateImage.reference);
  });

  it('SIGKILL mid-pull: the restarted daemon pulls again and completes; nothing stays Pulling', async () => {
    const name = `${world.proxy.host}/slowbox`;
    await setImage('node-a', name, { tags: [{ tag: 'v1', ownerReferences: [JOB_OWNER] }] });
    await waitForPhase('node-a', name, 'v1', 'Pulling');
    const victim = world.processes.find((d) => d.nodeName === 'node-a' && d.process.exitCode === null);
    expect(await victim?.kill('SIGKILL')).toBe('SIGKILL');
    expect(await tagStatus('node-a', name, 'v1')).toMatchObject({ phase: 'Pulling' });
    expect(await world.containerd.imageRefs()).not.toContain(`${name}:v1`);
    world.proxy.setRate(Infinity);
    await world.startNode('node-a').waitForLog('kruise-ts-daemon starting');
    const done = await waitForPhase('node-a', name, 'v1', 'Succeeded');
    expect(done.imageID).toBe(`${name}@${(await world.containerd.cri().imageStatus(`${name}:v1`))?.id ?? ''}`);
    expect(await world.containerd.imageRefs()).toContain(`${name}:v1`);
    for (const node of ['node-a', 'node-b']) {
      const status = (await client.get(KruiseResources.NodeImage, { name: node })).status;
      expect(status?.pulling).toBe(0);
      expect(Object.values(status?.imageStatuses ?? {}).flatMap((i) => i.tags).filter((t) => t.phase === 'Pulling' || t.phase === 'Waiting')).toEqual([]);
    }
    expect(slowImage.reference).toBe(`${world.open.host}/slowbox:v1`);
  });
});
