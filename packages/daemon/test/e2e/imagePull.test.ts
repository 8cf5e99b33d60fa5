import { fileURLToPath } from 'node:url';
import type { ImageSpec, ImageTagStatus } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { pollUntil, startTestCluster, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, pushImage, startContainerd, startRegistry, type PushedImage, type TestContainerd, type TestRegistry } from '../runtime/index.js';
import { startDaemon, type DaemonProcess } from './daemonProcess.js';
import { startThrottlingProxy, type ThrottlingProxy } from './throttlingProxy.js';

const NODEIMAGE_CRD = fileURLToPath(new URL('../../../../deploy/crds/apps.kruise.io_nodeimages.yaml', import.meta.url));
const JOB_OWNER = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'ImagePullJob', namespace: 'default', name: 'warm-busybox', uid: '00000000-0000-0000-0000-000000000001' };

// kruise-ts-daemon against a real kube-apiserver and a real containerd (CRI) with loopback
// registries: two daemon processes (node-a, node-b) share one containerd, as the issue allows.
// The ImagePullJob controller is not in this tree yet, so the tests write the NodeImage spec as it
// would (one tag entry per job, owned by the job) and read what the daemons report.
describe('kruise-ts-daemon pulls NodeImage images through CRI', () => {
  let cluster: TestCluster;
  let client: KubeClient;
  let containerd: TestContainerd;
  let open: TestRegistry;
  let secured: TestRegistry;
  let proxy: ThrottlingProxy;
  let v1: PushedImage;
  let privateImage: PushedImage;
  let slowImage: PushedImage;
  const daemons: DaemonProcess[] = [];
  const start = (node: string): DaemonProcess => {
    const daemon = startDaemon(node, { kubeconfig: cluster.kubeconfigPath, runtimeEndpoint: containerd.endpoint });
    daemons.push(daemon);
    return daemon;
  };

  beforeAll(async () => {
    [cluster, containerd, open, secured] = await Promise.all([
      startTestCluster({ nodes: 0, crds: [NODEIMAGE_CRD] }),
      startContainerd(),
      startRegistry(),
      startRegistry({ auth: { user: 'alice', password: 's3cret' } }),
    ]);
    client = cluster.client;
    proxy = await startThrottlingProxy(open.host, 64 * 1024);
    for (const host of [open.host, secured.host, proxy.host]) containerd.allowPlainHttp(host);
    [v1, privateImage, slowImage] = await Promise.all([
      buildImage({ name: 'busybox', tag: 'v1' }).then((image) => pushImage(open, image)),
      buildImage({ name: 'private/busybox', tag: 'v1' }).then((image) => pushImage(secured, image)),
      buildImage({ name: 'slowbox', tag: 'v1', files: { '/etc/slow': 'killed mid-pull\n' } }).then((image) => pushImage(open, image)),
    ]);
    for (const node of ['node-a', 'node-b']) await client.create(KruiseResources.NodeImage, { apiVersion: 'apps.kruise.io/v1beta1', kind: 'NodeImage', metadata: { name: node }, spec: {} });
    await Promise.all([start('node-a'), start('node-b')].map((d) => d.waitForLog('kruise-ts-daemon starting')));
  });

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.kill('SIGTERM')));
    await proxy.close();
    await Promise.all([containerd.stop(), open.stop(), secured.stop(), cluster.stop()]);
  });

  const setImage = async (node: string, name: string, image: ImageSpec): Promise<void> => {
    await client.patch(KruiseResources.NodeImage, { name: node }, { type: 'merge', body: { spec: { images: { [name]: image } } } });
  };
  const tagStatus = async (node: string, name: string, tag: string): Promise<ImageTagStatus | undefined> =>
    (await client.get(KruiseResources.NodeImage, { name: node })).status?.imageStatuses?.[name]?.tags.find((t) => t.tag === tag);
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
    expect(await containerd.imageRefs()).toContain(v1.reference);
    await setImage('node-b', name, { tags: [tag] });
    const onB = await waitForPhase('node-b', name, 'v1', 'Succeeded');
    for (const status of [onA, onB]) expect(status).toMatchObject({ progress: 100, version: 0, imageID: expect.stringMatching(new RegExp(`^${name.replace(/[.]/g, '\\.')}@sha256:`)) as unknown });
    for (const node of ['node-a', 'node-b']) expect((await client.get(KruiseResources.NodeImage, { name: node })).status).toMatchObject({ desired: 1, succeeded: 1, failed: 0, pulling: 0 });
    const events = await client.list(Resources.Event, { namespace: 'default' });
    expect(events.items.filter((e) => (e as unknown as { reason?: string }).reason === 'PullImageSucceed').length).toBeGreaterThanOrEqual(2);
  });

  it('a missing image fails after the backoff limit with a message naming the image and the registry’s answer', async () => {
    const name = `${open.host}/missing`;
    await setImage('node-a', name, { tags: [{ tag: 'v1', pullPolicy: { backoffLimit: 1, timeoutSeconds: 30 }, ownerReferences: [JOB_OWNER] }] });
    const failed = await waitForPhase('node-a', name, 'v1', 'Failed');
    expect(failed.message).toMatch(new RegExp(`^pulling failed after 2 attempts \\(backoffLimit 1\\): CRI PullImage "${name.replace(/[.]/g, '\\.')}:v1" failed: NOT_FOUND: .*not found`));
    expect(failed.completionTime).toEqual(expect.any(String));
    const events = await client.list(Resources.Event, { namespace: 'default' });
    expect(events.items.some((e) => { const ev = e as unknown as { reason?: string; involvedObject?: { kind?: string } }; return ev.reason === 'PullImageFailed' && ev.involvedObject?.kind === 'ImagePullJob'; })).toBe(true);
  });

  it('a registry with basic auth: the pullSecret’s credentials pull; without them the pull fails clearly', async () => {
    await client.create(Resources.Secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { namespace: 'default', name: 'registry-alice' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [secured.host]: { auth: Buffer.from('alice:s3cret').toString('base64') } } })).toString('base64') },
    });
    const name = nameOf(privateImage);
    await setImage('node-b', name, { tags: [{ tag: 'v1', pullPolicy: { backoffLimit: 0 } }] });
    const refused = await waitForPhase('node-b', name, 'v1', 'Failed');
    expect(refused.message).toMatch(/pulling failed after 1 attempt \(backoffLimit 0\): CRI PullImage .* failed: UNKNOWN: .*(401 Unauthorized|authorization failed|unauthorized)/i);
    await setImage('node-a', name, { pullSecrets: [{ namespace: 'default', name: 'registry-alice' }], tags: [{ tag: 'v1', pullPolicy: { backoffLimit: 0 } }] });
    await waitForPhase('node-a', name, 'v1', 'Succeeded');
    expect(await containerd.imageRefs()).toContain(privateImage.reference);
  });

  it('SIGKILL mid-pull: the restarted daemon pulls again and completes; nothing stays Pulling', async () => {
    const name = `${proxy.host}/slowbox`;
    await setImage('node-a', name, { tags: [{ tag: 'v1', ownerReferences: [JOB_OWNER] }] });
    await waitForPhase('node-a', name, 'v1', 'Pulling');
    const victim = daemons.find((d) => d.nodeName === 'node-a' && d.process.exitCode === null);
    expect(await victim?.kill('SIGKILL')).toBe('SIGKILL');
    expect(await tagStatus('node-a', name, 'v1')).toMatchObject({ phase: 'Pulling' });
    expect(await containerd.imageRefs()).not.toContain(`${name}:v1`);
    proxy.setRate(Infinity);
    await start('node-a').waitForLog('kruise-ts-daemon starting');
    const done = await waitForPhase('node-a', name, 'v1', 'Succeeded');
    expect(done.imageID).toBe(`${name}@${(await containerd.cri().imageStatus(`${name}:v1`))?.id ?? ''}`);
    expect(await containerd.imageRefs()).toContain(`${name}:v1`);
    for (const node of ['node-a', 'node-b']) {
      const status = (await client.get(KruiseResources.NodeImage, { name: node })).status;
      expect(status?.pulling).toBe(0);
      expect(Object.values(status?.imageStatuses ?? {}).flatMap((i) => i.tags).filter((t) => t.phase === 'Pulling' || t.phase === 'Waiting')).toEqual([]);
    }
    expect(slowImage.reference).toBe(`${open.host}/slowbox:v1`);
  });
});
