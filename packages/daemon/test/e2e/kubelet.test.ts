import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Resources } from '@kruise-ts/k8s-adapter';
import { pollUntil, startTestCluster, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import type { CriClient } from '../../src/cri/createCriClient.js';
import { buildImage, kubeletPath, KUBELET_SYSCTLS, pushImage, startContainerd, startKubelet, startRegistry, type TestContainerd, type TestKubelet, type TestRegistry } from '../runtime/index.js';

const NODE = 'real-node-1';
const readSysctls = (): string[] => KUBELET_SYSCTLS.map((key) => readFileSync(`/proc/sys/${key}`, 'utf8').trim());

// A real kubelet (built from the same Kubernetes module as the test apiserver) registered with the
// test cluster, running its pods on the harness's containerd through CRI.
describe('a real node: kubelet + containerd', () => {
  let cluster: TestCluster;
  let containerd: TestContainerd;
  let registry: TestRegistry;
  let kubelet: TestKubelet;
  let cri: CriClient;
  const sysctlsBefore = readSysctls();
  const started: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    // One kwok node next to the real one: kwok manages only the nodes annotated as its own.
    [cluster, containerd, registry] = await Promise.all([startTestCluster({ nodes: 1 }), startContainerd(), startRegistry({ auth: { user: 'robot', password: 'pw' } })]);
    started.push(cluster, containerd, registry);
    containerd.allowPlainHttp(registry.host);
    cri = containerd.cri();
    kubelet = await startKubelet({ binary: kubeletPath(), kubeconfigPath: cluster.kubeconfigPath, containerd, nodeName: NODE, labels: { 'kruise.io/real-node': 'true' } });
    started.unshift(kubelet);
  });
  afterAll(async () => {
    for (const piece of started) await piece.stop();
  });

  it('registers the node, Ready, with containerd as its runtime', async () => {
    const node = await pollUntil(
      async () => {
        const n = await cluster.client.get(Resources.Node, { name: NODE });
        return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? n : undefined;
      },
      { timeoutMs: 60_000, what: `node ${NODE} Ready` },
    );
    expect(node.metadata.labels?.['kruise.io/real-node']).toBe('true');
    const nodeInfo = node.status?.nodeInfo as { containerRuntimeVersion?: string; kubeletVersion?: string } | undefined;
    expect(nodeInfo?.containerRuntimeVersion).toMatch(/^containerd:\/\/1\.6\./);
    expect(node.metadata.annotations?.['kwok.x-k8s.io/node']).toBeUndefined();
  });

  it('leaves the kwok node to kwok: a pod there runs without containerd containers', async () => {
    const kwokNode = cluster.nodes[0] ?? '';
    await cluster.client.create(Resources.Pod, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'simulated', namespace: 'default' },
      spec: { nodeName: kwokNode, containers: [{ name: 'c', image: 'not-pulled:1' }] },
    });
    const pod = await pollUntil(
      async () => {
        const p = await cluster.client.get(Resources.Pod, { namespace: 'default', name: 'simulated' });
        return p.status?.phase === 'Running' ? p : undefined;
      },
      { timeoutMs: 30_000, what: 'the pod on the kwok node Running' },
    );
    expect(pod.spec.nodeName).toBe(kwokNode);
    expect((await cri.listContainers({ labels: { 'io.kubernetes.pod.name': 'simulated' } })).length).toBe(0);
  });

  it('runs a pod from the private registry with an imagePullSecret as real containers, and removes them with the pod', async () => {
    const image = await pushImage(registry, await buildImage({ name: 'app', tag: 'kubelet' }));
    const dockerconfig = { auths: { [registry.host]: { auth: Buffer.from('robot:pw').toString('base64') } } };
    await cluster.client.create(Resources.Secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'pull', namespace: 'default' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify(dockerconfig)).toString('base64') },
    });
    await cluster.client.create(Resources.Pod, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        nodeName: NODE,
        imagePullSecrets: [{ name: 'pull' }],
        terminationGracePeriodSeconds: 0,
        containers: [
          { name: 'main', image: image.reference, command: ['/bin/sh', '-c', 'cat /etc/kruise-ts-image; exec sleep 3600'] },
          { name: 'sidecar', image: image.reference },
        ],
      },
    });
    const pod = await pollUntil(
      async () => {
        const p = await cluster.client.get(Resources.Pod, { namespace: 'default', name: 'web' });
        return p.status?.phase === 'Running' && p.status.containerStatuses?.every((c) => c.ready) === true ? p : undefined;
      },
      { timeoutMs: 90_000, what: 'pod web Running with both containers ready' },
    );
    const uid = pod.metadata.uid ?? '';
    const inStatus = (pod.status?.containerStatuses ?? []).map((c) => [c.name, c.containerID?.replace('containerd://', '')]).sort();
    const inRuntime = (await cri.listContainers({ labels: { 'io.kubernetes.pod.uid': uid } })).map((c) => [c.name, c.id]).sort();
    expect(inRuntime).toEqual(inStatus);
    expect((await cri.imageStatus(image.reference))?.repoDigests).toContain(`${registry.host}/app@${image.digest}`);

    await cluster.client.delete(Resources.Pod, { namespace: 'default', name: 'web' });
    await pollUntil(async () => ((await cri.listContainers({ labels: { 'io.kubernetes.pod.uid': uid } })).length === 0 ? true : undefined), {
      timeoutMs: 60_000,
      what: "the pod's containers removed from containerd",
    });
  });

  it('stop gives the host back the kernel settings the kubelet rewrote', async () => {
    await kubelet.stop();
    expect(readSysctls()).toEqual(sysctlsBefore);
  });
});
