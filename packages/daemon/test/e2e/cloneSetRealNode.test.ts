import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPLACE_UPDATE_STATE_ANNOTATION, parseInPlaceUpdateState } from '@kruise-ts/core';
import { KruiseResources, Resources } from '@kruise-ts/k8s-adapter';
import { pollUntil, startTestCluster, type ManagedProcess, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import type { CriClient } from '../../src/cri/createCriClient.js';
import { buildImage, kubeletPath, pushImage, startContainerd, startKubelet, startRegistry, type PushedImage, type TestContainerd, startSourceManager } from '../runtime/index.js';
import { startDaemon, type DaemonProcess } from './daemonProcess.js';

const NODE = 'real-node-1';
const NS = 'default';
// The manager runs as its own process from its sources (the daemon package does not import it).
const crd = (plural: string): string => fileURLToPath(new URL(`../../../../deploy/crds/apps.kruise.io_${plural}.yaml`, import.meta.url));

/** The containers of pod `uid` in containerd, by container name → { id, image }. */
async function containersOf(cri: CriClient, uid: string): Promise<Record<string, { id: string; image: string; state: string }>> {
  const list = await cri.listContainers({ labels: { 'io.kubernetes.pod.uid': uid } });
  return Object.fromEntries(list.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => [c.name, { id: c.id, image: c.image, state: c.state }]));
}

// OpenKruise's in-place update on a real node: the CloneSet controller (kruise-ts-manager) patches
// the pod's image, the kubelet restarts only that container in containerd. The manager runs with
// PreDownloadImageForInPlaceUpdate and the image pre-pull controllers, and a kruise-ts-daemon serves
// the node on the kubelet's containerd, so the pre-download gate is shown on the same node.
describe('CloneSet in-place image update on a real node (kubelet + containerd)', () => {
  let cluster: TestCluster;
  let containerd: TestContainerd;
  let cri: CriClient;
  let manager: ManagedProcess;
  let daemon: DaemonProcess;
  let images: { v1: PushedImage; v2: PushedImage; side: PushedImage; warmV1: PushedImage; warmV2: PushedImage };
  const started: { stop(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    const [c, runtime, registry] = await Promise.all([startTestCluster({ nodes: 0, crds: [crd('clonesets'), crd('nodeimages'), crd('imagepulljobs')] }), startContainerd(), startRegistry()]);
    [cluster, containerd] = [c, runtime];
    started.push(cluster, containerd, registry);
    containerd.allowPlainHttp(registry.host);
    cri = containerd.cri();
    const [v1, v2, side, warmV1, warmV2] = await Promise.all([
      buildImage({ name: 'app', tag: 'v1' }).then((image) => pushImage(registry, image)),
      buildImage({ name: 'app', tag: 'v2' }).then((image) => pushImage(registry, image)),
      buildImage({ name: 'sidecar', tag: 'v1' }).then((image) => pushImage(registry, image)),
      buildImage({ name: 'warm', tag: 'v1' }).then((image) => pushImage(registry, image)),
      buildImage({ name: 'warm', tag: 'v2' }).then((image) => pushImage(registry, image)),
    ]);
    images = { v1, v2, side, warmV1, warmV2 };
    const kubelet = await startKubelet({ binary: kubeletPath(), kubeconfigPath: cluster.kubeconfigPath, containerd, nodeName: NODE });
    started.unshift(kubelet);
    manager = startSourceManager({ kubeconfigPath: cluster.kubeconfigPath, logDir: cluster.dir, args: ['--no-enable-webhooks', '--controllers=cloneset,nodeimage,imagepulljob', '--feature-gates=PreDownloadImageForInPlaceUpdate=true'] });
    started.unshift(manager);
    daemon = startDaemon(NODE, { kubeconfig: cluster.kubeconfigPath, runtimeEndpoint: containerd.endpoint });
    started.unshift({ stop: () => daemon.kill('SIGTERM') });
    await daemon.waitForLog('kruise-ts-daemon starting');
  });
  afterAll(async () => {
    for (const piece of started) await piece.stop();
  });

  it('restarts only the container whose image changed; the pod and the other container stay', async () => {
    const shell = ['/bin/sh', '-c', 'trap "exit 0" TERM; cat /etc/kruise-ts-image; while true; do sleep 1 & wait $!; done'];
    await cluster.client.create(Resources.CloneSet, {
      apiVersion: 'apps.kruise.io/v1beta1',
      kind: 'CloneSet',
      metadata: { name: 'web', namespace: NS },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            nodeName: NODE,
            terminationGracePeriodSeconds: 2,
            containers: [
              { name: 'main', image: images.v1.reference, command: shell },
              { name: 'sidecar', image: images.side.reference, command: shell },
            ],
          },
        },
      },
    } as never);
    const running = async (): Promise<{ uid: string; containers: Record<string, { id: string; image: string; state: string }> } | undefined> => {
      const pods = (await cluster.client.list(Resources.Pod, { namespace: NS, labelSelector: 'app=web' })).items;
      const pod = pods[0];
      if (pods.length !== 1 || pod?.status?.phase !== 'Running' || pod.status.containerStatuses?.every((s) => s.ready) !== true) return undefined;
      const uid = pod.metadata.uid ?? '';
      return { uid, containers: await containersOf(cri, uid) };
    };
    const before = await pollUntil(running, { timeoutMs: 120_000, intervalMs: 250, what: 'the CloneSet pod running on the real node', abort: manager.exited.then(async () => `the manager exited: ${await manager.logTail()}`) });
    // The kubelet creates containers from the image id it resolved.
    const imageId = async (image: PushedImage): Promise<string | undefined> => (await cri.imageStatus(image.reference))?.id;
    expect(before.containers.main?.image).toBe(await imageId(images.v1));

    await cluster.client.patch(Resources.CloneSet, { namespace: NS, name: 'web' }, {
      type: 'merge',
      body: { spec: { template: { spec: { containers: [{ name: 'main', image: images.v2.reference, command: shell }, { name: 'sidecar', image: images.side.reference, command: shell }] } } } },
    });
    const after = await pollUntil(
      async () => {
        const now = await running();
        return now !== undefined && now.containers.main !== undefined && now.containers.main.id !== before.containers.main?.id ? now : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: 'main restarted in place with app:v2', abort: manager.exited.then(async () => `the manager exited: ${await manager.logTail()}`) },
    );
    expect(after.uid).toBe(before.uid);
    expect(after.containers.main?.image).toBe(await imageId(images.v2));
    expect(after.containers.sidecar?.id).toBe(before.containers.sidecar?.id);
    const pod = await cluster.client.get(Resources.Pod, { namespace: NS, name: (await cluster.client.list(Resources.Pod, { namespace: NS, labelSelector: 'app=web' })).items[0]?.metadata.name ?? '' });
    const restarts = Object.fromEntries((pod.status?.containerStatuses ?? []).map((s) => [s.name, s.restartCount]));
    expect(restarts).toEqual({ main: 1, sidecar: 0 });
    await pollUntil(
      async () => {
        const cs = await cluster.client.get(Resources.CloneSet, { namespace: NS, name: 'web' });
        const status = cs.status as { updatedReplicas?: number; updatedReadyReplicas?: number } | undefined;
        return status?.updatedReplicas === 1 && status.updatedReadyReplicas === 1 ? true : undefined;
      },
      { timeoutMs: 60_000, what: 'the CloneSet status: 1 updated and ready' },
    );
  });

  // PreDownloadImageForInPlaceUpdate as OpenKruise's createImagePullJobsForInPlaceUpdate: more than 3
  // replicas, not all in one batch (here partition 4 holds every pod back, as a canary would), an
  // in-place-able change → an ImagePullJob <revision>-main pulls the new image on the pods' node. The
  // gate does not hold the update itself (OpenKruise neither): the partition does, until the image is
  // on the node; then the rollout runs in place and the kubelet finds the image already there.
  it('pre-download gate: the ImagePullJob pulls the new image onto the node before the in-place update starts', async () => {
    const REPLICAS = 4;
    const shell = ['/bin/sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1 & wait $!; done'];
    const container = (image: PushedImage) => ({ name: 'main', image: image.reference, command: shell });
    await cluster.client.create(Resources.CloneSet, {
      apiVersion: 'apps.kruise.io/v1beta1',
      kind: 'CloneSet',
      metadata: { name: 'warm', namespace: NS },
      spec: {
        replicas: REPLICAS,
        selector: { matchLabels: { app: 'warm' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', partition: REPLICAS, maxUnavailable: 1 } },
        template: { metadata: { labels: { app: 'warm' } }, spec: { nodeName: NODE, terminationGracePeriodSeconds: 2, containers: [container(images.warmV1)] } },
      },
    } as never);
    const abort = manager.exited.then(async () => `the manager exited: ${await manager.logTail()}`);
    const warmPods = async () => (await cluster.client.list(Resources.Pod, { namespace: NS, labelSelector: 'app=warm' })).items;
    const ready = (pod: Awaited<ReturnType<typeof warmPods>>[number]) => pod.status?.phase === 'Running' && pod.status.containerStatuses?.every((s) => s.ready) === true;
    const before = await pollUntil(async () => {
      const pods = await warmPods();
      return pods.length === REPLICAS && pods.every(ready) ? pods : undefined;
    }, { timeoutMs: 180_000, intervalMs: 250, what: `${String(REPLICAS)} warm pods running on the real node`, abort });
    const uids = before.map((p) => p.metadata.uid).sort();
    expect(await containerd.imageRefs()).not.toContain(images.warmV2.reference);
    // The node's NodeImage exists (created 30 s after the node turned Ready, OpenKruise's default
    // --nodeimage-creation-delay): a job created before it would find no node to pull on.
    await pollUntil(async () => cluster.client.get(KruiseResources.NodeImage, { name: NODE }).catch(() => undefined), { timeoutMs: 60_000, what: `NodeImage ${NODE}`, abort });

    await cluster.client.patch(Resources.CloneSet, { namespace: NS, name: 'warm' }, { type: 'merge', body: { spec: { template: { spec: { containers: [container(images.warmV2)] } } } } });
    // The image appears in containerd's k8s.io store (`ctr -n k8s.io images ls`) through the daemon.
    const imageSeenAt = await pollUntil(async () => ((await containerd.imageRefs()).includes(images.warmV2.reference) ? Date.now() : undefined), {
      timeoutMs: 120_000,
      intervalMs: 100,
      what: 'warm:v2 in containerd (pre-downloaded)',
      abort,
    }).catch(async (error: unknown) => {
      const jobs = (await cluster.client.list(KruiseResources.ImagePullJob, { namespace: NS })).items;
      const nodeImages = (await cluster.client.list(KruiseResources.NodeImage, {})).items;
      throw new Error(`${String(error)}; jobs ${JSON.stringify(jobs)}; nodeimages ${JSON.stringify(nodeImages)}; manager: ${await manager.logTail()}; daemon: ${JSON.stringify(daemon.logs.slice(-30))} ${daemon.stderr().slice(-2000)}`);
    });
    const cloneSet = await cluster.client.get(Resources.CloneSet, { namespace: NS, name: 'warm' });
    const updateRevision = cloneSet.status?.updateRevision ?? '';
    const job = await pollUntil(async () => {
      const found = await cluster.client.get(KruiseResources.ImagePullJob, { namespace: NS, name: `${updateRevision}-main` }).catch(() => undefined);
      return found?.status?.completionTime == null ? undefined : found;
    }, { timeoutMs: 60_000, what: `ImagePullJob ${updateRevision}-main completed` });
    expect(job.spec.image).toBe(images.warmV2.reference);
    expect(job.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CloneSet', name: 'warm', uid: cloneSet.metadata.uid, controller: true });
    expect(job.status).toMatchObject({ desired: 1, succeeded: 1, failed: 0 });
    const nodeImage = await cluster.client.get(KruiseResources.NodeImage, { name: NODE });
    const colon = images.warmV2.reference.lastIndexOf(':');
    expect(nodeImage.status?.imageStatuses?.[images.warmV2.reference.slice(0, colon)]?.tags.find((t) => t.tag === 'v2')).toMatchObject({ phase: 'Succeeded' });
    // Nothing was updated while the partition held every pod back.
    for (const pod of await warmPods()) {
      expect(pod.metadata.annotations?.[INPLACE_UPDATE_STATE_ANNOTATION]).toBeUndefined();
      expect(pod.spec.containers[0]?.image).toBe(images.warmV1.reference);
    }

    const releasedAt = Date.now();
    await cluster.client.patch(Resources.CloneSet, { namespace: NS, name: 'warm' }, { type: 'merge', body: { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } } });
    // The first pod's in-place update: the first time a pod carries the in-place-update-state annotation.
    const firstUpdateSeenAt = await pollUntil(async () => ((await warmPods()).some((p) => p.metadata.annotations?.[INPLACE_UPDATE_STATE_ANNOTATION] !== undefined) ? Date.now() : undefined), {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the first warm pod updating in place',
      abort,
    });
    const after = await pollUntil(async () => {
      const pods = await warmPods();
      return pods.length === REPLICAS && pods.every((p) => ready(p) && p.spec.containers[0]?.image === images.warmV2.reference && p.status?.containerStatuses?.[0]?.restartCount === 1) ? pods : undefined;
    }, { timeoutMs: 180_000, intervalMs: 250, what: 'every warm pod running warm:v2 in place', abort });
    const updateStarts = after.map((p) => {
      const read = parseInPlaceUpdateState(p.metadata.annotations?.[INPLACE_UPDATE_STATE_ANNOTATION] ?? '');
      return read.kind === 'parsed' ? Date.parse(read.state.updateTimestamp ?? '') : Number.NaN;
    });
    const firstUpdateAt = Math.min(...updateStarts);
    console.info(`pre-download: warm:v2 seen in containerd at +0 ms; partition released at +${String(releasedAt - imageSeenAt)} ms; first update seen at +${String(firstUpdateSeenAt - imageSeenAt)} ms; updateTimestamps ${updateStarts.map((t) => new Date(t).toISOString()).join(', ')}`);
    // The order: image on the node, then the first pod's update (its updateTimestamp is whole seconds).
    expect(imageSeenAt).toBeLessThan(firstUpdateSeenAt);
    expect(Number.isFinite(firstUpdateAt)).toBe(true);
    expect(firstUpdateAt).toBeGreaterThanOrEqual(Math.floor(releasedAt / 1000) * 1000);
    expect(imageSeenAt).toBeLessThanOrEqual(releasedAt);
    // In place: the same pods.
    expect(after.map((p) => p.metadata.uid).sort()).toEqual(uids);
    // The kubelet did not pull warm:v2 itself: it found the image already on the node for every pod.
    const pulled = await pollUntil(async () => {
      const events = (await cluster.client.list(Resources.Event, { namespace: NS })).items as unknown as { reason?: string; message?: string; involvedObject?: { name?: string } }[];
      const found = events.filter((e) => e.reason === 'Pulled' && e.message?.includes(images.warmV2.reference) === true);
      return found.length >= REPLICAS ? found : undefined;
    }, { timeoutMs: 30_000, what: 'the kubelet Pulled events for warm:v2' });
    for (const event of pulled) expect(event.message).toMatch(/already present on machine/);
    await pollUntil(async () => {
      const cs = await cluster.client.get(Resources.CloneSet, { namespace: NS, name: 'warm' });
      const status = cs.status as { updatedReplicas?: number; updatedReadyReplicas?: number; currentRevision?: string } | undefined;
      return status?.updatedReplicas === REPLICAS && status.updatedReadyReplicas === REPLICAS && status.currentRevision === updateRevision ? true : undefined;
    }, { timeoutMs: 60_000, what: `the warm CloneSet status: ${String(REPLICAS)} updated and ready` });
    // Revisions consistent again: the CloneSet deletes its pre-download jobs (OpenKruise does too).
    await pollUntil(async () => ((await cluster.client.list(KruiseResources.ImagePullJob, { namespace: NS })).items.length === 0 ? true : undefined), { timeoutMs: 60_000, what: 'the pre-download ImagePullJob deleted' });
  });
});
