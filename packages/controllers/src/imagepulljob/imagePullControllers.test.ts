import { KruiseResources, Resources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { startImagePullWorld, type ImageListPullJobObject, type ImagePullJobObject, type ImagePullWorld } from './imagePullWorld.testkit.js';

function pullJob(name: string, spec: Partial<ImagePullJobObject['spec']> = {}): ImagePullJobObject {
  return { apiVersion: 'apps.kruise.io/v1beta1', kind: 'ImagePullJob', metadata: { name, namespace: 'apps' }, spec: { image: 'registry.local:5000/app:1.0', completionPolicy: {}, ...spec } };
}
const done = (job: ImagePullJobObject | undefined) => job?.status?.completionTime != null;
const tagOwners = (world: ImagePullWorld) => async () => (await world.nodeImages()).flatMap((ni) => Object.values(ni.spec?.images ?? {}).flatMap((i) => i.tags.flatMap((t) => (t.ownerReferences ?? []).map((r) => r.name))));

describe('image pre-pull controllers (memory cluster, fake daemon)', () => {
  let world: ImagePullWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('nodeimage: one NodeImage per node 30 s after it is Ready, with its labels; a relabelled node relabels it; a deleted node takes it along', async () => {
    world = await startImagePullWorld({ nodes: 2 });
    const w = world;
    const start = w.cluster.clock.now();
    await w.until(async () => (await w.nodeImages()).length === 2);
    // OpenKruise's default --nodeimage-creation-delay: 30 s after the node turned Ready.
    expect(w.cluster.clock.now() - start).toBeGreaterThanOrEqual(30_000);
    const [name] = w.cluster.nodes;
    const node = await w.user.get(Resources.Node, { name: name ?? '' });
    await w.until(async () => (await w.nodeImages()).every((ni) => ni.metadata.labels?.['kubernetes.io/hostname'] !== undefined));
    expect((await w.nodeImages()).find((ni) => ni.metadata.name === name)?.metadata.labels).toEqual(node.metadata.labels);
    await w.user.patch(Resources.Node, { name: name ?? '' }, { type: 'merge', body: { metadata: { labels: { pool: 'gpu' } } } });
    await w.until(async () => (await w.nodeImages()).find((ni) => ni.metadata.name === name)?.metadata.labels?.['pool'] === 'gpu');
    await w.user.delete(Resources.Node, { name: name ?? '' });
    await w.until(async () => (await w.nodeImages()).map((ni) => ni.metadata.name).join() === w.cluster.nodes.filter((n) => n !== name).join());
  });

  it('nodeimage: --nodeimage-creation-delay 5s creates the NodeImages 5 s after the nodes are Ready, not 30 s', async () => {
    world = await startImagePullWorld({ nodes: 2, nodeImageCreationDelayMs: 5000 });
    const w = world;
    const start = w.cluster.clock.now();
    await w.until(async () => (await w.nodeImages()).length === 2);
    const elapsed = w.cluster.clock.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(5000);
    expect(elapsed).toBeLessThan(30_000);
  });

  it('imagepulljob: parallelism 1 over two nodes, a daemon pulls one node at a time, Succeeded with the right counts; the tag entry is owned by the job', async () => {
    world = await startImagePullWorld({ nodes: 2 });
    const w = world;
    await w.until(async () => (await w.nodeImages()).length === 2);
    await w.user.create(KruiseResources.ImagePullJob, pullJob('warm', { parallelism: 1 }));
    await w.until(async () => done(await w.job('warm')));
    const job = await w.job('warm');
    expect(job?.status).toMatchObject({ desired: 2, active: 0, succeeded: 2, failed: 0, message: 'job has completed' });
    expect(w.daemon.maxPulling.get('registry.local:5000/app')).toBe(1);
    const entries = (await w.nodeImages()).map((ni) => ni.spec?.images?.['registry.local:5000/app']?.tags[0]);
    const entry: unknown = expect.objectContaining({
      tag: '1.0',
      version: 0,
      imagePullPolicy: 'IfNotPresent',
      ownerReferences: [expect.objectContaining({ kind: 'ImagePullJob', name: 'warm', uid: job?.metadata.uid })],
      pullPolicy: { timeoutSeconds: 600, backoffLimit: 3, ttlSecondsAfterFinished: 2100 },
    });
    expect(entries).toEqual([entry, entry]);
  });

  it('imagepulljob: an image the daemon cannot pull fails on every node, with the nodes and a PullImage message on the NodeImage', async () => {
    world = await startImagePullWorld({ nodes: 2, fails: (image) => image.startsWith('registry.local:5000/missing') });
    const w = world;
    await w.until(async () => (await w.nodeImages()).length === 2);
    await w.user.create(KruiseResources.ImagePullJob, pullJob('missing', { image: 'registry.local:5000/missing:1', parallelism: 2 }));
    await w.until(async () => done(await w.job('missing')));
    expect((await w.job('missing'))?.status).toMatchObject({ desired: 2, succeeded: 0, failed: 2, failedNodes: [...w.cluster.nodes].sort(), message: 'job has completed' });
    const status = (await w.nodeImages())[0]?.status?.imageStatuses?.['registry.local:5000/missing']?.tags[0];
    expect(status).toMatchObject({ phase: 'Failed', message: 'Failed to pull image registry.local:5000/missing:1: not found' });
  });

  it('imagepulljob: names and labels select nodes; a NodeImage patch conflict (409) is retried', async () => {
    world = await startImagePullWorld({ nodes: 3 });
    const w = world;
    await w.until(async () => (await w.nodeImages()).length === 3);
    const [first, , third] = w.cluster.nodes;
    w.cluster.faults.failWrites({ resource: 'nodeimages', verb: 'patch', error: 'conflict', nth: 1 });
    await w.user.create(KruiseResources.ImagePullJob, pullJob('named', { selector: { names: [third ?? '', 'no-such-node'] }, parallelism: 5 }));
    await w.until(async () => done(await w.job('named')));
    expect((await w.job('named'))?.status).toMatchObject({ desired: 1, succeeded: 1 });
    expect(w.cluster.faults.writes({ resource: 'nodeimages', verb: 'patch', fieldManager: 'kruise-ts' }).failed).toBe(1);
    await w.user.patch(Resources.Node, { name: first ?? '' }, { type: 'merge', body: { metadata: { labels: { pool: 'web' } } } });
    await w.until(async () => (await w.nodeImages()).some((ni) => ni.metadata.labels?.['pool'] === 'web'));
    await w.user.create(KruiseResources.ImagePullJob, pullJob('labelled', { image: 'busybox:1.36', selector: { matchLabels: { pool: 'web' } } }));
    await w.until(async () => done(await w.job('labelled')));
    expect((await w.job('labelled'))?.status).toMatchObject({ desired: 1, succeeded: 1 });
    const busy = (await w.nodeImages()).filter((ni) => ni.spec?.images?.['busybox'] !== undefined).map((ni) => ni.metadata.name);
    expect(busy).toEqual([first]);
  });

  it('imagepulljob: a podSelector pulls on the nodes of the matching running pods; a new pod on another node widens it', async () => {
    world = await startImagePullWorld({ nodes: 3 });
    const w = world;
    await w.until(async () => (await w.nodeImages()).length === 3);
    const [n0, n1] = w.cluster.nodes;
    const pod = (name: string, app: string, node: string) => ({ metadata: { name, namespace: 'apps', labels: { app } }, spec: { nodeName: node, containers: [{ name: 'main', image: 'nginx:1' }] } });
    await w.user.create(Resources.Pod, pod('web-0', 'web', n0 ?? ''));
    await w.user.create(Resources.Pod, pod('web-1', 'web', n0 ?? ''));
    await w.user.create(Resources.Pod, pod('db-0', 'db', n1 ?? ''));
    await w.user.create(KruiseResources.ImagePullJob, pullJob('pods', { podSelector: { matchLabels: { app: 'web' } }, parallelism: 3, completionPolicy: { type: 'Never' } }));
    await w.until(async () => (await w.job('pods'))?.status?.succeeded === 1);
    expect((await w.job('pods'))?.status).toMatchObject({ desired: 1, succeeded: 1 });
    await w.user.create(Resources.Pod, pod('web-2', 'web', n1 ?? ''));
    await w.until(async () => (await w.job('pods'))?.status?.succeeded === 2);
    const pulled = (await w.nodeImages()).filter((ni) => ni.spec?.images?.['registry.local:5000/app'] !== undefined).map((ni) => ni.metadata.name).sort();
    expect(pulled).toEqual([n0, n1].sort());
  });

  it('imagepulljob: activeDeadlineSeconds with no daemon answering completes the job with every node failed', async () => {
    world = await startImagePullWorld({ nodes: 2 });
    const w = world;
    await w.until(async () => (await w.nodeImages()).length === 2);
    w.daemon.stopped = true;
    await w.user.create(KruiseResources.ImagePullJob, pullJob('late', { pullPolicy: { timeoutSeconds: 10 }, completionPolicy: { type: 'Always', activeDeadlineSeconds: 20 }, parallelism: 2 }));
    await w.until(async () => done(await w.job('late')));
    expect((await w.job('late'))?.status).toMatchObject({ desired: 2, succeeded: 0, failed: 2, message: 'job exceeds activeDeadlineSeconds' });
  });

  it('imagepulljob: ttlSecondsAfterFinished deletes the job, and the NodeImage controller then drops its tag entries', async () => {
    world = await startImagePullWorld({ nodes: 2 });
    const w = world;
    await w.until(async () => (await w.nodeImages()).length === 2);
    await w.user.create(KruiseResources.ImagePullJob, pullJob('short', { parallelism: 2, completionPolicy: { type: 'Always', ttlSecondsAfterFinished: 5 } }));
    await w.until(async () => (await tagOwners(w)()).length === 2);
    await w.until(async () => (await w.job('short')) === undefined);
    await w.until(async () => (await tagOwners(w)()).length === 0);
    expect((await w.nodeImages()).every((ni) => Object.keys(ni.spec?.images ?? {}).length === 0)).toBe(true);
  });

  it('imagepulljob: pull secrets are copied into kruise-daemon-config for the NodeImages, kept in sync, and the copies deleted once the job completes', async () => {
    world = await startImagePullWorld({ nodes: 2 });
    const w = world;
    await w.user.create(Resources.Namespace, { metadata: { name: 'kruise-daemon-config' } });
    const auth = (password: string) => Buffer.from(JSON.stringify({ auths: { 'registry.local:5000': { username: 'alice', password } } })).toString('base64');
    const source = await w.user.create(Resources.Secret, { metadata: { name: 'registry', namespace: 'apps', labels: { team: 'a' } }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': auth('one') } });
    await w.until(async () => (await w.nodeImages()).length === 2);
    w.daemon.stopped = true;
    await w.user.create(KruiseResources.ImagePullJob, pullJob('private', { parallelism: 2, pullSecrets: ['registry', 'absent'] }));
    const copies = async () => (await w.user.list(Resources.Secret, { namespace: 'kruise-daemon-config' })).items;
    const secretsOnNodes = async () => (await w.nodeImages()).map((ni) => ni.spec?.images?.['registry.local:5000/app']?.pullSecrets);
    await w.until(async () => (await secretsOnNodes()).every((refs) => refs?.length === 1));
    const [copy] = await copies();
    expect(await copies()).toHaveLength(1);
    expect(copy?.metadata.name).toMatch(/^registry-[a-z0-9]{5}$/);
    expect(copy?.metadata.labels).toEqual({ team: 'a', 'imagepulljobs.kruise.io/source-uid': source.metadata.uid });
    expect(copy?.metadata.annotations).toMatchObject({ 'imagepulljobs.kruise.io/source-key': 'apps/registry', 'imagepulljobs.kruise.io/references': 'apps/private' });
    expect(copy?.type).toBe('kubernetes.io/dockerconfigjson');
    expect(await secretsOnNodes()).toEqual([[{ namespace: 'kruise-daemon-config', name: copy?.metadata.name }], [{ namespace: 'kruise-daemon-config', name: copy?.metadata.name }]]);
    expect((await w.job('private'))?.metadata.finalizers).toEqual(['apps.kruise.io/deletion-protection']);
    // The source changes: the copy follows.
    await w.user.patch(Resources.Secret, { namespace: 'apps', name: 'registry' }, { type: 'merge', body: { data: { '.dockerconfigjson': auth('two') } } });
    await w.until(async () => (await copies())[0]?.data?.['.dockerconfigjson'] === auth('two'));
    expect((await copies()).map((c) => c.metadata.name)).toEqual([copy?.metadata.name]);
    // Completed: the copy is deleted and the finalizer removed.
    w.daemon.stopped = false;
    await w.until(async () => done(await w.job('private')));
    await w.until(async () => (await copies()).length === 0 && (await w.job('private'))?.metadata.finalizers === undefined);
  });

  it('imagepulljob: a job deleted while pulling releases its copy (another job keeps using it) and goes; a job without pull secrets gets no finalizer', async () => {
    world = await startImagePullWorld({ nodes: 1 });
    const w = world;
    await w.user.create(Resources.Namespace, { metadata: { name: 'kruise-daemon-config' } });
    await w.user.create(Resources.Secret, { metadata: { name: 'registry', namespace: 'apps' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': 'e30=' } });
    await w.until(async () => (await w.nodeImages()).length === 1);
    w.daemon.stopped = true;
    await w.user.create(KruiseResources.ImagePullJob, pullJob('first', { pullSecrets: ['registry'] }));
    await w.user.create(KruiseResources.ImagePullJob, pullJob('plain', { image: 'registry.local:5000/other:1' }));
    const copies = async () => (await w.user.list(Resources.Secret, { namespace: 'kruise-daemon-config' })).items;
    await w.until(async () => (await copies()).length === 1);
    await w.until(async () => (await w.job('plain'))?.status?.desired === 1);
    expect((await w.job('plain'))?.metadata.finalizers).toBeUndefined();
    await w.user.delete(KruiseResources.ImagePullJob, { namespace: 'apps', name: 'first' });
    await w.until(async () => (await w.job('first')) === undefined && (await copies()).length === 0);
  });

  it('imagelistpulljob: one ImagePullJob per image, aggregated; an image removed from the list loses its job', async () => {
    world = await startImagePullWorld({ nodes: 2 });
    const w = world;
    await w.until(async () => (await w.nodeImages()).length === 2);
    const list: ImageListPullJobObject = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'ImageListPullJob', metadata: { name: 'warm', namespace: 'apps' }, spec: { images: ['nginx:1.25', 'busybox:1.36'], parallelism: 2, completionPolicy: { type: 'Never' } } };
    await w.user.create(KruiseResources.ImageListPullJob, list);
    const get = () => w.user.get(KruiseResources.ImageListPullJob, { namespace: 'apps', name: 'warm' });
    await w.until(async () => (await get()).status?.succeeded === 2);
    const children = (await w.user.list(KruiseResources.ImagePullJob, { namespace: 'apps' })).items;
    expect(children.map((j) => j.spec.image).sort()).toEqual(['busybox:1.36', 'nginx:1.25']);
    expect(children.every((j) => j.metadata.name?.startsWith('warm-') === true && j.metadata.ownerReferences?.[0]?.kind === 'ImageListPullJob')).toBe(true);
    expect((await get()).status).toMatchObject({ desired: 2, active: 0, succeeded: 2 });
    const current = await get();
    await w.user.replace(KruiseResources.ImageListPullJob, { ...current, spec: { ...current.spec, images: ['nginx:1.25'] } });
    await w.until(async () => (await w.user.list(KruiseResources.ImagePullJob, { namespace: 'apps' })).items.map((j) => j.spec.image).join() === 'nginx:1.25');
    await w.until(async () => (await get()).status?.desired === 1);
    expect(w.events.some((e) => e.reason === 'SuccessfulCreate' && e.message === 'Create 2 ImagePullJob')).toBe(true);
  });
});
