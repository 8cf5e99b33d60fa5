import type { ImagePullJob, ImageTagStatus, NodeImage } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import type { TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, createNamespace } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import type { ManagerProcess } from './managerProcess.js';
import { startControllerManager } from './statefulSetHarness.js';
import { applyDeployManifests } from './webhookHarness.js';

// The image pre-pull controllers on a real kube-apiserver (kwok nodes, deploy/'s CRDs and RBAC)
// with the kruise-ts-manager process: one NodeImage per node, an ImagePullJob handing its tag to
// one node at a time, and a stand-in for kruise-daemon (this test) answering on the NodeImages'
// status subresource.

const NS = 'prepull';
const IMAGE = 'registry.local:5000/app';

/** One step of a stand-in daemon: tags it has not answered become Succeeded. */
async function daemonStep(client: KubeClient): Promise<void> {
  for (const ni of (await client.list(KruiseResources.NodeImage)).items) {
    const answered = (name: string, tag: { tag: string; version?: number | undefined }): ImageTagStatus | undefined =>
      ni.status?.imageStatuses?.[name]?.tags.find((t) => t.tag === tag.tag && t.version === (tag.version ?? 0));
    const images = Object.entries(ni.spec?.images ?? {});
    if (images.every(([name, image]) => image.tags.every((tag) => answered(name, tag) !== undefined))) continue;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const imageStatuses = Object.fromEntries(
      images.map(([name, image]) => [name, { tags: image.tags.map((tag) => answered(name, tag) ?? { tag: tag.tag, phase: 'Succeeded' as const, version: tag.version ?? 0, progress: 100, completionTime: now }) }]),
    );
    const tags = Object.values(imageStatuses).flatMap((s) => s.tags);
    const body = { metadata: { resourceVersion: ni.metadata.resourceVersion }, status: { desired: tags.length, succeeded: tags.length, failed: 0, pulling: 0, imageStatuses } };
    await client.patch(KruiseResources.NodeImage, { name: ni.metadata.name ?? '' }, { type: 'merge', body }, { subresource: 'status' }).catch(() => undefined);
  }
}

describe('image pre-pull on a real kube-apiserver with kruise-ts-manager', () => {
  let cluster: TestCluster | undefined;
  let manager: ManagerProcess | undefined;
  beforeAll(async () => {
    cluster = await startCloneSetCluster();
    await applyDeployManifests(cluster.client, 'manager/namespace.yaml');
    await applyDeployManifests(cluster.client, 'manager/rbac.yaml');
    // The ImagePullJob controller's rules (with its Secret read) come with ImagePullJobGate, apart from the default install.
    await applyDeployManifests(cluster.client, 'manager/rbac-imagepulljob.yaml');
    const kubeconfig = await cluster.kubeconfigFor('system:serviceaccount:kruise-system:kruise-ts-manager', ['system:serviceaccounts', 'system:serviceaccounts:kruise-system']);
    manager = await startControllerManager(kubeconfig, 'nodeimage,imagepulljob', ['--feature-gates=ImagePullJobGate=true']);
  }, 180_000);
  afterAll(async () => {
    await manager?.kill('SIGKILL');
    await cluster?.stop();
  });

  it('NodeImages follow the nodes; an ImagePullJob with parallelism 1 over two named nodes succeeds as the daemon answers', { timeout: 240_000 }, async () => {
    const client = cluster!.client;
    const nodes = (await client.list(Resources.Node)).items.map((n) => n.metadata.name ?? '').sort();
    await vi.waitFor(async () => {
      const images = (await client.list(KruiseResources.NodeImage)).items;
      expect(images.map((ni) => ni.metadata.name).sort()).toEqual(nodes);
      expect(images.every((ni) => ni.metadata.labels?.['kubernetes.io/hostname'] === ni.metadata.name)).toBe(true);
    }, LONG_WAIT);
    await createNamespace(client, NS);
    const targets = nodes.slice(0, 2);
    const job: ImagePullJob & KubeObject = {
      apiVersion: 'apps.kruise.io/v1beta1',
      kind: 'ImagePullJob',
      metadata: { name: 'warm', namespace: NS },
      spec: { image: `${IMAGE}:1.0`, selector: { names: targets }, parallelism: 1, completionPolicy: { type: 'Always' } },
    };
    await client.create(KruiseResources.ImagePullJob, job);
    let inFlight = 0;
    await vi.waitFor(async () => {
      const pending = (await client.list(KruiseResources.NodeImage)).items.filter((ni: NodeImage) => {
        const tag = ni.spec?.images?.[IMAGE]?.tags[0];
        return tag !== undefined && ni.status?.imageStatuses?.[IMAGE]?.tags[0]?.version !== tag.version;
      });
      inFlight = Math.max(inFlight, pending.length);
      await daemonStep(client);
      const status = (await client.get(KruiseResources.ImagePullJob, { namespace: NS, name: 'warm' })).status;
      expect(status).toMatchObject({ desired: 2, succeeded: 2, failed: 0, message: 'job has completed' });
    }, LONG_WAIT);
    expect(inFlight).toBe(1);
    const withTag = (await client.list(KruiseResources.NodeImage)).items.filter((ni) => ni.spec?.images?.[IMAGE] !== undefined).map((ni) => ni.metadata.name).sort();
    expect(withTag).toEqual(targets);
  });
});
