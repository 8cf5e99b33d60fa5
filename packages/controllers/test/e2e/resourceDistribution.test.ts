import { RESOURCE_HASHCODE_ANNOTATION, RESOURCE_SOURCE_ANNOTATION, resourceHash, type ResourceDistribution } from '@kruise-ts/core';
import { aDistributedSecret, aResourceDistribution } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import { useManagerCluster } from './statefulSetHarness.js';

// ResourceDistribution on a real apiserver: the manager process runs as deploy/'s service account
// with the gated ClusterRole of deploy/manager/rbac-resourcedistribution.yaml applied and
// ResourceDistributionGate on; the apiserver calls vresourcedistribution.kb.io.

type RdObject = ResourceDistribution & KubeObject;
type SecretObject = KubeObject & { data?: Record<string, string> };

const distribution = (client: KubeClient) => client.get(KruiseResources.ResourceDistribution, { name: 'rd-creds' });

async function namespace(client: KubeClient, name: string, labels: Record<string, string>): Promise<void> {
  await client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

async function relabel(client: KubeClient, name: string, labels: Record<string, string | null>): Promise<void> {
  await client.patch(Resources.Namespace, { name }, { type: 'merge', body: { metadata: { labels } } });
}

/** The Secret `creds` of each namespace that has one, by namespace. */
async function copies(client: KubeClient): Promise<Record<string, SecretObject>> {
  const items = (await client.list(Resources.Secret)).items.filter((s) => s.metadata.name === 'creds');
  return Object.fromEntries(items.map((s) => [s.metadata.namespace ?? '', s as SecretObject]));
}

const holders = async (client: KubeClient) => Object.keys(await copies(client)).sort();

describe('ResourceDistribution (real apiserver, ResourceDistributionGate on)', () => {
  const env = useManagerCluster({
    controller: 'resourcedistribution',
    resource: KruiseResources.ResourceDistribution,
    startCluster: () => startCloneSetCluster(),
    args: ['--feature-gates=ResourceDistributionGate=true'],
    manifests: ['manager/rbac-resourcedistribution.yaml'],
  });

  it('a Secret to namespaceSelector team=a: exactly the matching namespaces; relabelled ones gain and lose it; a Secret it does not own is a conflict, untouched; an edit updates every copy', async () => {
    const { client } = env;
    await namespace(client, 'rd-a1', { team: 'a' });
    await namespace(client, 'rd-a2', { team: 'a' });
    await namespace(client, 'rd-b1', { team: 'b' });
    await namespace(client, 'rd-mine', { team: 'a' });
    await client.create(Resources.Secret, { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'rd-mine', name: 'creds' }, data: { password: 'bWluZQ==' } });
    const { metadata, ...rest } = aResourceDistribution({ targets: { namespaceSelector: { matchLabels: { team: 'a' } } } });
    const { uid: _uid, ...kept } = metadata ?? {};
    await client.create(KruiseResources.ResourceDistribution, { ...rest, metadata: kept } as RdObject);

    // Exactly the matching namespaces; rd-mine keeps its own Secret and is reported.
    await vi.waitFor(async () => {
      expect(await holders(client)).toEqual(['rd-a1', 'rd-a2', 'rd-mine']);
      const status = (await distribution(client)).status;
      expect(status).toMatchObject({ desired: 3, succeeded: 2, failed: 1 });
      expect(status?.conditions?.find((c) => c.type === 'ConflictOccurred')).toMatchObject({ status: 'True', failedNamespaces: ['rd-mine'] });
    }, LONG_WAIT);
    const all = await copies(client);
    for (const ns of ['rd-a1', 'rd-a2']) {
      expect(all[ns]?.metadata.annotations).toMatchObject({ [RESOURCE_SOURCE_ANNOTATION]: 'rd-creds' });
      expect(all[ns]?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ResourceDistribution', name: 'rd-creds', controller: true });
    }
    expect(all['rd-mine']?.data).toEqual({ password: 'bWluZQ==' });
    expect(all['rd-mine']?.metadata.ownerReferences).toBeUndefined();

    // A namespace labelled later gets it; one unlabelled loses it.
    await relabel(client, 'rd-b1', { team: 'a' });
    await relabel(client, 'rd-a1', { team: null });
    await vi.waitFor(async () => {
      expect(await holders(client)).toEqual(['rd-a2', 'rd-b1', 'rd-mine']);
    }, LONG_WAIT);

    // Editing the source updates every copy; the Secret it does not own stays as it was.
    const edited = aDistributedSecret({ data: { password: 'bmV3' } });
    await client.patch(KruiseResources.ResourceDistribution, { name: 'rd-creds' }, { type: 'merge', body: { spec: { resource: edited } } });
    await vi.waitFor(async () => {
      const now = await copies(client);
      for (const ns of ['rd-a2', 'rd-b1']) {
        expect(now[ns]?.data).toEqual({ password: 'bmV3' });
        expect(now[ns]?.metadata.annotations?.[RESOURCE_HASHCODE_ANNOTATION]).toBe(resourceHash((await distribution(client)).spec.resource));
      }
      expect(now['rd-mine']?.data).toEqual({ password: 'bWluZQ==' });
      expect((await distribution(client)).status?.observedGeneration).toBe(2);
    }, LONG_WAIT);
  });

  it('the webhook refuses a Deployment manifest with the field path', async () => {
    const { client } = env;
    const { metadata, ...rest } = aResourceDistribution({ name: 'rd-bad', resource: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } } });
    const { uid: _uid, ...kept } = metadata ?? {};
    await expect(client.create(KruiseResources.ResourceDistribution, { ...rest, metadata: kept } as RdObject)).rejects.toThrow(/spec\.resource: Invalid value: "apps\/v1, Kind=Deployment": unknown or unsupported resource GroupKind/);
  });
});
