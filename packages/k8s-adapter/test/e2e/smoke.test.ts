import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AlreadyExistsError,
  ConflictError,
  InvalidError,
  KruiseResources,
  NotFoundError,
  Resources,
  defineResource,
  type KubeObject,
  type WatchEvent,
} from '../../src/index.js';
import { startTestCluster, type TestCluster } from '../../src/testing/index.js';

// The registry's CloneSets, read loosely: the smoke test writes whatever it likes into spec and status.
const CloneSets = defineResource<KubeObject & { spec: Record<string, unknown>; status?: Record<string, unknown> }>(KruiseResources.CloneSet);
const crdFile = fileURLToPath(new URL('../../../../deploy/crds/apps.kruise.io_clonesets.yaml', import.meta.url));
const ns = 'default';

function cloneSet(name: string): KubeObject & { spec: Record<string, unknown> } {
  return {
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
    },
  };
}

describe('test cluster smoke (real etcd + kube-apiserver + kwok)', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 2, controllerManager: true, crds: [crdFile] });
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('serves CloneSets: create, get, list, watch, merge patch, server-side apply, status and scale, delete', async () => {
    const { client } = cluster;
    const start = await client.list(CloneSets, { namespace: ns });
    const abort = new AbortController();
    const events: WatchEvent<KubeObject>[] = [];
    const watching = (async () => {
      for await (const event of client.watch(CloneSets, { namespace: ns, resourceVersion: start.resourceVersion, signal: abort.signal })) {
        events.push(event);
      }
    })();

    const created = await client.create(CloneSets, cloneSet('web'));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const got = await client.get(CloneSets, { name: 'web', namespace: ns });
    expect(got.spec.replicas).toBe(1);
    expect(got.metadata.generation).toBe(1);
    await client.create(CloneSets, cloneSet('other'));
    const listed = await client.list(CloneSets, { namespace: ns, labelSelector: 'app=web' });
    expect(listed.items.map((c) => c.metadata.name)).toEqual(['web']);

    const patched = await client.patch(CloneSets, { name: 'web', namespace: ns }, { type: 'merge', body: { spec: { replicas: 3 } } });
    expect(patched.spec.replicas).toBe(3);
    expect(patched.metadata.generation).toBe(2);

    const applied = await client.patch(
      CloneSets,
      { name: 'web', namespace: ns },
      { type: 'apply', body: { metadata: { labels: { tier: 'front' } }, spec: { minReadySeconds: 5 } } as unknown as KubeObject, force: true },
      { fieldManager: 'smoke-apply' },
    );
    expect(applied.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(applied.spec.minReadySeconds).toBe(5);
    expect((applied.metadata.managedFields as { manager: string }[]).map((m) => m.manager)).toContain('smoke-apply');

    await client.patch(CloneSets, { name: 'web', namespace: ns }, { type: 'merge', body: { status: { replicas: 3, labelSelector: 'app=web' } } }, { subresource: 'status' });
    const scale = (await client.get(CloneSets, { name: 'web', namespace: ns }, { subresource: 'scale' })) as unknown as {
      spec: { replicas: number };
      status: { replicas: number; selector: string };
    };
    expect(scale.spec.replicas).toBe(3);
    expect(scale.status).toEqual({ replicas: 3, selector: 'app=web' });

    await client.delete(CloneSets, { name: 'web', namespace: ns });
    await expect(client.get(CloneSets, { name: 'web', namespace: ns })).rejects.toBeInstanceOf(NotFoundError);

    await vi.waitFor(() => {
      expect(events.some((e) => e.type === 'DELETED' && e.object.metadata.name === 'web')).toBe(true);
    });
    abort.abort();
    await watching;
    const forWeb = events.flatMap((e) => (e.type !== 'BOOKMARK' && e.object.metadata.name === 'web' ? [e.type] : []));
    expect(forWeb[0]).toBe('ADDED');
    expect(forWeb.at(-1)).toBe('DELETED');
    expect(forWeb.filter((t) => t === 'MODIFIED').length).toBeGreaterThanOrEqual(3);
  });

  it('maps apiserver failures to tagged errors', async () => {
    const { client } = cluster;
    await client.create(CloneSets, cloneSet('errors'));
    await expect(client.create(CloneSets, cloneSet('errors'))).rejects.toBeInstanceOf(AlreadyExistsError);
    const current = await client.get(CloneSets, { name: 'errors', namespace: ns });
    await client.patch(CloneSets, { name: 'errors', namespace: ns }, { type: 'merge', body: { spec: { replicas: 2 } } });
    await expect(client.replace(CloneSets, current)).rejects.toBeInstanceOf(ConflictError);
    const invalid = await client
      .create(Resources.Pod, { metadata: { name: 'Bad_Name', namespace: ns }, spec: { containers: [] } })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidError);
    expect((invalid as InvalidError).causes.map((c) => c.field)).toEqual(expect.arrayContaining(['metadata.name', 'spec.containers']));
  });

  it('a pod on a kwok node gets Running, and Ready only once every readiness gate is True', async () => {
    const { client } = cluster;
    await client.create(Resources.Pod, {
      metadata: { name: 'gated', namespace: ns },
      spec: { nodeName: cluster.nodes[0], readinessGates: [{ conditionType: 'example.com/gate' }], containers: [{ name: 'app', image: 'nginx:1.25' }] },
    });
    const readyOf = async (): Promise<string | undefined> => {
      const pod = await client.get(Resources.Pod, { name: 'gated', namespace: ns });
      expect(pod.status?.phase).toBe('Running');
      return pod.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    };
    await vi.waitFor(async () => {
      expect(await readyOf()).toBe('False');
    });
    await client.patch(
      Resources.Pod,
      { name: 'gated', namespace: ns },
      { type: 'strategic', body: { status: { conditions: [{ type: 'example.com/gate', status: 'True' }] } } },
      { subresource: 'status' },
    );
    await vi.waitFor(async () => {
      expect(await readyOf()).toBe('True');
    }, { timeout: 10_000 });
  });

  it('an image change on a running pod is reflected in its status as a kubelet would (in-place stage)', async () => {
    const { client } = cluster;
    const pod = await client.create(Resources.Pod, {
      metadata: { name: 'inplace', namespace: ns },
      spec: { nodeName: cluster.nodes[1], containers: [{ name: 'app', image: 'nginx:1.25' }, { name: 'side', image: 'busybox:1.36' }] },
    });
    const statusOf = async (name: string) => (await client.get(Resources.Pod, { name: 'inplace', namespace: ns })).status?.containerStatuses?.find((c) => c.name === name);
    await vi.waitFor(async () => {
      expect((await statusOf('app'))?.imageID).toMatch(/^nginx@sha256:[0-9a-f]{64}$/);
    });
    const before = await client.get(Resources.Pod, { name: 'inplace', namespace: ns });
    const oldImageId = (await statusOf('app'))?.imageID;
    const side = await statusOf('side');
    await client.patch(Resources.Pod, { name: 'inplace', namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.26' }] });
    await vi.waitFor(async () => {
      expect((await statusOf('app'))?.image).toBe('nginx:1.26');
    }, { timeout: 10_000 });
    const after = await client.get(Resources.Pod, { name: 'inplace', namespace: ns });
    const app = after.status?.containerStatuses?.find((c) => c.name === 'app');
    expect(after.metadata.uid).toBe(pod.metadata.uid);
    expect(after.status?.podIP).toBe(before.status?.podIP);
    expect(app?.imageID).not.toBe(oldImageId);
    expect(app?.restartCount).toBe(1);
    expect(await statusOf('side')).toEqual(side);
  });

  it('deleting the owner removes its pod through garbage collection', async () => {
    const { client } = cluster;
    const owner = await client.create(CloneSets, cloneSet('owner'));
    await client.create(Resources.Pod, {
      metadata: {
        name: 'owned',
        namespace: ns,
        ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'owner', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: { nodeName: cluster.nodes[0], containers: [{ name: 'app', image: 'nginx:1.25' }] },
    });
    await client.delete(CloneSets, { name: 'owner', namespace: ns }, { propagationPolicy: 'Background' });
    await vi.waitFor(async () => {
      await expect(client.get(Resources.Pod, { name: 'owned', namespace: ns })).rejects.toBeInstanceOf(NotFoundError);
    }, { timeout: 30_000, interval: 200 });
  });
});
