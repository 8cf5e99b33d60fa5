import { Resources } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { cloneSetManifest, createNamespace, getCloneSet, isReady, podsOf } from './cloneSetManifest.js';
import { useCloneSetCluster } from './useCloneSetCluster.js';

// Each test works in a namespace of its own, on a CloneSet of its own.
describe('CloneSet controller (in process) on a real apiserver', () => {
  const env = useCloneSetCluster();

  it('creates 3 ready pods, then updates their image in place', async () => {
    const { client } = env.cluster;
    const ns = 'smoke-update';
    await createNamespace(client, ns);
    await client.create(Resources.CloneSet, cloneSetManifest('smoke', ns, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } } }));
    await vi.waitFor(async () => {
      const pods = await podsOf(client, ns, 'smoke');
      expect(pods.filter(isReady)).toHaveLength(3);
      const cs = await getCloneSet(client, ns, 'smoke');
      expect(cs.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3 });
    }, { timeout: 30_000, interval: 250 });
    const before = await podsOf(client, ns, 'smoke');
    const oldRevision = (await getCloneSet(client, ns, 'smoke')).status?.updateRevision;
    await client.patch(Resources.CloneSet, { name: 'smoke', namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
    await vi.waitFor(async () => {
      const cs = await getCloneSet(client, ns, 'smoke');
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status?.updateRevision).not.toBe(oldRevision);
      expect(cs.status).toMatchObject({ replicas: 3, updatedReplicas: 3, updatedReadyReplicas: 3 });
      expect(cs.status?.currentRevision).toBe(cs.status?.updateRevision);
    }, { timeout: 60_000, interval: 250 });
    const after = await podsOf(client, ns, 'smoke');
    expect(after.map((p) => p.metadata.uid).sort()).toEqual(before.map((p) => p.metadata.uid).sort());
    expect(after.every((p) => p.spec.containers[0]?.image === 'nginx:1.26')).toBe(true);
  });

  it('scales through the scale subresource, as kubectl scale and an HPA do', async () => {
    const { client } = env.cluster;
    const ns = 'smoke-scale';
    await createNamespace(client, ns);
    await client.create(Resources.CloneSet, cloneSetManifest('smoke', ns));
    const key = { name: 'smoke', namespace: ns };
    type Scale = { spec: { replicas: number }; status: { replicas: number; selector: string } };
    const readScale = async (): Promise<Scale> => (await client.get(Resources.CloneSet, key, { subresource: 'scale' })) as unknown as Scale;
    await vi.waitFor(async () => {
      expect((await podsOf(client, ns, 'smoke')).filter(isReady)).toHaveLength(3);
      expect(await readScale()).toMatchObject({ spec: { replicas: 3 }, status: { replicas: 3, selector: 'app=smoke' } });
    }, { timeout: 60_000, interval: 250 });
    expect((await readScale()).status).toEqual({ replicas: 3, selector: 'app=smoke' });
    await client.patch(Resources.CloneSet, key, { type: 'merge', body: { spec: { replicas: 5 } } }, { subresource: 'scale' });
    await vi.waitFor(async () => {
      expect((await podsOf(client, ns, 'smoke')).filter(isReady)).toHaveLength(5);
      expect((await readScale()).status.replicas).toBe(5);
    }, { timeout: 60_000, interval: 250 });
  });
});
