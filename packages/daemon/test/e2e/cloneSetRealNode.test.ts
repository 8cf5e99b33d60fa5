import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Resources } from '@kruise-ts/k8s-adapter';
import { pollUntil, startProcess, startTestCluster, type ManagedProcess, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import type { CriClient } from '../../src/cri/createCriClient.js';
import { buildImage, kubeletPath, pushImage, startContainerd, startKubelet, startRegistry, type PushedImage, type TestContainerd } from '../runtime/index.js';

const NODE = 'real-node-1';
const NS = 'default';
// The manager runs as its own process from its sources (the daemon package does not import it).
const MANAGER_MAIN = fileURLToPath(new URL('../../../controllers/src/main.ts', import.meta.url));
const CLONESET_CRD = fileURLToPath(new URL('../../../../deploy/crds/apps.kruise.io_clonesets.yaml', import.meta.url));

/** The containers of pod `uid` in containerd, by container name → { id, image }. */
async function containersOf(cri: CriClient, uid: string): Promise<Record<string, { id: string; image: string; state: string }>> {
  const list = await cri.listContainers({ labels: { 'io.kubernetes.pod.uid': uid } });
  return Object.fromEntries(list.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => [c.name, { id: c.id, image: c.image, state: c.state }]));
}

// OpenKruise's in-place update on a real node: the CloneSet controller (kruise-ts-manager) patches
// the pod's image, the kubelet restarts only that container in containerd.
describe('CloneSet in-place image update on a real node (kubelet + containerd)', () => {
  let cluster: TestCluster;
  let containerd: TestContainerd;
  let cri: CriClient;
  let manager: ManagedProcess;
  let images: { v1: PushedImage; v2: PushedImage; side: PushedImage };
  const started: { stop(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    const [c, runtime, registry] = await Promise.all([startTestCluster({ nodes: 0, crds: [CLONESET_CRD] }), startContainerd(), startRegistry()]);
    [cluster, containerd] = [c, runtime];
    started.push(cluster, containerd, registry);
    containerd.allowPlainHttp(registry.host);
    cri = containerd.cri();
    const [v1, v2, side] = await Promise.all([
      buildImage({ name: 'app', tag: 'v1' }).then((image) => pushImage(registry, image)),
      buildImage({ name: 'app', tag: 'v2' }).then((image) => pushImage(registry, image)),
      buildImage({ name: 'sidecar', tag: 'v1' }).then((image) => pushImage(registry, image)),
    ]);
    images = { v1, v2, side };
    const kubelet = await startKubelet({ binary: kubeletPath(), kubeconfigPath: cluster.kubeconfigPath, containerd, nodeName: NODE });
    started.unshift(kubelet);
    manager = startProcess({
      name: 'kruise-ts-manager',
      command: process.execPath,
      args: ['--conditions=@kruise-ts/source', '--import', 'tsx', MANAGER_MAIN, `--kubeconfig=${cluster.kubeconfigPath}`, '--metrics-addr=127.0.0.1:0', '--health-probe-addr=127.0.0.1:0', '--no-enable-webhooks', '--no-enable-leader-election', '--controllers=cloneset'],
      logFile: `${cluster.dir}/manager.log`,
    });
    started.unshift(manager);
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
});
