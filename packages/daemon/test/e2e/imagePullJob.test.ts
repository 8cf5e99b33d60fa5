import { fileURLToPath } from 'node:url';
import type { ImagePullJob, ImageTagStatus } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { pollUntil } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, pushImage, type PushedImage } from '../runtime/index.js';
import { startImagePullManager } from './daemonProcess.js';
import { recordedEvents, startPullWorld, type PullWorld } from './pullWorld.js';

const crd = (plural: string): string => fileURLToPath(new URL(`../../../../deploy/crds/apps.kruise.io_${plural}.yaml`, import.meta.url));
const NODES = ['node-a', 'node-b'];

// The whole image pre-pull path: ImagePullJob → the manager's ImagePullJob and NodeImage
// controllers → NodeImage tags → two kruise-ts-daemon processes (node-a, node-b) sharing one real
// containerd → NodeImage status → job status. The nodes are kwok nodes; the daemons stand for them.
describe('ImagePullJob on two daemon-served nodes (real apiserver, real containerd)', () => {
  let world: PullWorld;
  let client: KubeClient;
  let image: PushedImage;
  let privateImage: PushedImage;
  let privateImage2: PushedImage;

  beforeAll(async () => {
    world = await startPullWorld({ nodes: NODES.map((name) => ({ name })), crds: [crd('nodeimages'), crd('imagepulljobs')] });
    client = world.client;
    [image, privateImage, privateImage2] = await Promise.all([
      buildImage({ name: 'jobbox', tag: 'v1' }).then((built) => pushImage(world.open, built)),
      buildImage({ name: 'private/jobbox', tag: 'v1' }).then((built) => pushImage(world.secured, built)),
      buildImage({ name: 'private/otherbox', tag: 'v1' }).then((built) => pushImage(world.secured, built)),
      buildImage({ name: 'slowjobbox', tag: 'v1', files: { '/etc/slow': 'killed mid-pull\n' } }).then((built) => pushImage(world.open, built)),
    ]);
    // The manager copies pull secrets into kruise-daemon-config, the only namespace the daemons read Secrets in.
    await client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kruise-daemon-config' } });
    await client.create(Resources.Secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { namespace: 'default', name: 'registry-alice' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [world.secured.host]: { username: 'alice', password: 's3cret' } } })).toString('base64') },
    });
    const manager = startImagePullManager(world.cluster.kubeconfigPath);
    world.processes.push(manager);
    await manager.waitForLog('kruise-ts-manager starting');
    // The NodeImage controller creates one NodeImage per node.
    for (const node of NODES) await pollUntil(async () => client.get(KruiseResources.NodeImage, { name: node }).catch(() => undefined), { timeoutMs: 60_000, what: `NodeImage ${node}` });
    await Promise.all(NODES.map((node) => world.startNode(node).waitForLog('kruise-ts-daemon starting')));
  });

  afterAll(async () => {
    await world.stop();
  });

  const createJob = (name: string, ref: string, extra: Partial<ImagePullJob['spec']> = {}): Promise<ImagePullJob> =>
    client.create(KruiseResources.ImagePullJob, {
      apiVersion: 'apps.kruise.io/v1beta1',
      kind: 'ImagePullJob',
      metadata: { namespace: 'default', name },
      spec: { image: ref, selector: { names: NODES }, parallelism: 1, pullPolicy: { timeoutSeconds: 60, backoffLimit: 1 }, completionPolicy: { type: 'Always' }, ...extra },
    });
  const finishedJob = (name: string): Promise<ImagePullJob> =>
    pollUntil(async () => {
      const job = await client.get(KruiseResources.ImagePullJob, { namespace: 'default', name });
      return job.status?.completionTime == null ? undefined : job;
    }, { timeoutMs: 120_000, what: `ImagePullJob ${name} completed` });
  const tagOn = (node: string, ref: string): Promise<ImageTagStatus | undefined> => world.tagStatus(node, ref);

  it('parallelism 1 over two nodes: the image is in containerd’s store, the job Succeeded with desired 2 / succeeded 2, one node at a time', async () => {
    await createJob('warm-jobbox', image.reference);
    const job = await finishedJob('warm-jobbox');
    expect(job.status).toMatchObject({ desired: 2, succeeded: 2, failed: 0, active: 0 });
    expect(await world.containerd.imageRefs()).toContain(image.reference);
    const [a, b] = await Promise.all(NODES.map((node) => tagOn(node, image.reference)));
    for (const tag of [a, b]) expect(tag).toMatchObject({ phase: 'Succeeded', progress: 100 });
    // One node pulls at a time: the second started no earlier than the first finished.
    const [first, second] = [a, b].sort((x, y) => String(x?.startTime).localeCompare(String(y?.startTime)));
    expect(String(second?.startTime) >= String(first?.completionTime)).toBe(true);
  });

  it('a missing image: both nodes fail after the backoff limit; the job Failed on both with the reason on the NodeImages', async () => {
    const ref = `${world.open.host}/missing:v1`;
    await createJob('warm-missing', ref);
    const job = await finishedJob('warm-missing');
    expect(job.status).toMatchObject({ desired: 2, succeeded: 0, failed: 2 });
    expect([...(job.status?.failedNodes ?? [])].sort()).toEqual(NODES);
    for (const node of NODES) expect((await tagOn(node, ref))?.message).toMatch(/^pulling failed after 2 attempts \(backoffLimit 1\): CRI PullImage ".*missing:v1" failed: NOT_FOUND: /);
    // The daemons also record the reason on the job, as kruise-daemon does (PullImageFailed events).
    const onJob = await recordedEvents(client, 'default', 'PullImageFailed on job warm-missing', (e) => e.reason === 'PullImageFailed' && e.involvedObject?.kind === 'ImagePullJob' && e.involvedObject.name === 'warm-missing', 2);
    expect(onJob.length).toBeGreaterThanOrEqual(2);
    expect(onJob[0]?.message).toContain('NOT_FOUND');
  });

  it('a registry with basic auth: the job with pullSecrets succeeds through its copy in kruise-daemon-config, the job without fails with 401', async () => {
    await createJob('warm-private', privateImage.reference, { pullSecrets: ['registry-alice'] });
    expect((await finishedJob('warm-private')).status).toMatchObject({ desired: 2, succeeded: 2, failed: 0 });
    expect(await world.containerd.imageRefs()).toContain(privateImage.reference);
    // The NodeImages named the copy, not the source; the completed job released it (deleted).
    const colon = privateImage.reference.lastIndexOf(':');
    const refs = (await client.get(KruiseResources.NodeImage, { name: 'node-a' })).spec?.images?.[privateImage.reference.slice(0, colon)]?.pullSecrets ?? [];
    expect(refs).toHaveLength(1);
    expect(refs[0]).toMatchObject({ namespace: 'kruise-daemon-config', name: expect.stringMatching(/^registry-alice-[a-z0-9]{5}$/) as unknown });
    await pollUntil(async () => ((await client.list(Resources.Secret, { namespace: 'kruise-daemon-config' })).items.length === 0 ? true : undefined), { timeoutMs: 30_000, what: 'the pull secret copy deleted after the job completed' });
    // Another image: NodeImage keeps pullSecrets per image, so a tag of the first one would get its Secret.
    const other = privateImage2.reference;
    await createJob('warm-private-anonymous', other, { pullPolicy: { timeoutSeconds: 60, backoffLimit: 0 } });
    expect((await finishedJob('warm-private-anonymous')).status).toMatchObject({ desired: 2, failed: 2 });
    expect((await tagOn('node-a', other))?.message).toMatch(/failed: UNKNOWN: .*(401 Unauthorized|unauthorized)/i);
  });

  it('imagePullPolicy Always: an unchanged tag is not pulled again (the registry digest matches), a moved tag is (new image id)', async () => {
    const v1 = await buildImage({ name: 'movingbox', tag: 'v1' }).then((built) => pushImage(world.open, built));
    const ref = v1.reference;
    const always = { imagePullPolicy: 'Always' as const, parallelism: 2 };
    await createJob('always-1', ref, always);
    expect((await finishedJob('always-1')).status).toMatchObject({ desired: 2, succeeded: 2, failed: 0 });
    const cri = world.containerd.cri();
    const firstId = (await cri.imageStatus(ref))?.id;
    expect(firstId).toBeDefined();
    const pulledAgain = () => world.processes.flatMap((p) => p.logs).filter((line) => line.msg === 'pulling image again (imagePullPolicy Always)' && line.image === ref);
    // The same tag again: each daemon asks the registry, gets the digest it has, and does not pull.
    await createJob('always-2', ref, always);
    expect((await finishedJob('always-2')).status).toMatchObject({ desired: 2, succeeded: 2, failed: 0 });
    expect(pulledAgain()).toEqual([]);
    // The tag moves to another image: pulled again, containerd has the new one under the tag.
    const v2 = await buildImage({ name: 'movingbox', tag: 'v2' }).then((built) => pushImage(world.open, built, { tag: 'v1' }));
    expect(v2.digest).not.toBe(v1.digest);
    await createJob('always-3', ref, always);
    expect((await finishedJob('always-3')).status).toMatchObject({ desired: 2, succeeded: 2, failed: 0 });
    // The two daemons share one containerd: the first re-pulls, the second may find the new digest already there.
    expect(pulledAgain().length).toBeGreaterThanOrEqual(1);
    expect(pulledAgain().every((line) => line.reason === 'digest-changed')).toBe(true);
    const after = await cri.imageStatus(ref);
    expect(after?.id).not.toBe(firstId);
    expect(after?.repoDigests).toContain(`${world.open.host}/movingbox@${v2.digest}`);
    expect((await tagOn('node-a', ref))?.imageID).toBe(`${world.open.host}/movingbox@${after?.id ?? ''}`);
  });

  it('SIGKILL of a daemon mid-pull: restarted, it pulls again, the job completes, nothing stays Pulling', async () => {
    const ref = `${world.proxy.host}/slowjobbox:v1`;
    await createJob('warm-slow', ref, { parallelism: 2 });
    const pulling = await pollUntil(async () => {
      for (const node of NODES) if ((await tagOn(node, ref))?.phase === 'Pulling') return node;
      return undefined;
    }, { timeoutMs: 60_000, what: 'a node Pulling slowjobbox' });
    const victim = world.processes.find((p) => p.nodeName === pulling && p.process.exitCode === null && p.process.signalCode === null);
    expect(await victim?.kill('SIGKILL')).toBe('SIGKILL');
    expect(await tagOn(pulling, ref)).toMatchObject({ phase: 'Pulling' });
    world.proxy.setRate(Infinity);
    await world.startNode(pulling).waitForLog('kruise-ts-daemon starting');
    const job = await finishedJob('warm-slow');
    expect(job.status).toMatchObject({ desired: 2, succeeded: 2, failed: 0, active: 0 });
    expect(await world.containerd.imageRefs()).toContain(ref);
    for (const node of NODES) {
      const status = (await client.get(KruiseResources.NodeImage, { name: node })).status;
      expect(Object.values(status?.imageStatuses ?? {}).flatMap((i) => i.tags).filter((t) => t.phase === 'Pulling' || t.phase === 'Waiting')).toEqual([]);
      expect(status?.pulling ?? 0).toBe(0);
    }
  });
});
