import { createMemoryCluster, KruiseResources, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { guardedMergePatch } from './guardedPatch.js';

let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const probe = (name: string) => ({ name, namespace: 'default', uid: `uid-${name}`, IP: '10.0.0.5', probes: [{ name: `game#${name}`, containerName: 'main', probe: { exec: { command: ['true'] } } }] });

describe('guardedMergePatch (memory cluster)', () => {
  it('re-reads and re-plans after a 409: a writer that got in between keeps its change', async () => {
    cluster = await createMemoryCluster({ nodes: 0 });
    cluster.registerResource(KruiseResources.NodePodProbe);
    const c = cluster;
    await c.client.create(KruiseResources.NodePodProbe, { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'NodePodProbe', metadata: { name: 'node-a' }, spec: { podProbes: [] } });
    let calls = 0;
    await guardedMergePatch(c.client, KruiseResources.NodePodProbe, { name: 'node-a' }, (npp) => {
      calls += 1;
      // The first time, another marker's controller writes between our read and our patch.
      if (calls === 1) void c.client.patch(KruiseResources.NodePodProbe, { name: 'node-a' }, { type: 'merge', body: { spec: { podProbes: [probe('other')] } } });
      return { spec: { podProbes: [...(npp.spec?.podProbes ?? []), probe('ours')] } };
    }, new AbortController().signal);
    const npp = await c.client.get(KruiseResources.NodePodProbe, { name: 'node-a' });
    expect(calls).toBe(2);
    expect(npp.spec?.podProbes?.map((p) => p.name)).toEqual(['other', 'ours']);
  });

  it('leaves a missing object alone and writes nothing when the change is undefined', async () => {
    cluster = await createMemoryCluster({ nodes: 0 });
    cluster.registerResource(KruiseResources.NodePodProbe);
    let called = false;
    await guardedMergePatch(cluster.client, KruiseResources.NodePodProbe, { name: 'gone' }, () => {
      called = true;
      return {};
    }, new AbortController().signal);
    expect(called).toBe(false);
  });
});
