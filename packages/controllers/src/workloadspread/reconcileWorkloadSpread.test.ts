import { MATCHED_WORKLOADSPREAD_ANNOTATION, POD_DELETION_COST_ANNOTATION, DEFAULT_VERSIONED_STATUS_KINDS, type Pod, type WorkloadSpread } from '@kruise-ts/core';
import { aPod, aWorkloadSpread, aZoneSubset } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createMemoryCluster, type KubeObject, type MemoryCluster, type ObjectStore, type ResourceType } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../runtime/logger.js';
import { reconcileWorkloadSpread } from './reconcileWorkloadSpread.js';
import { REPLICA_SET_TYPE } from './workloadSpreadTarget.js';

let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

// A cache that is what the apiserver holds now (the controller's informers, caught up).
async function storeOf<T extends KubeObject>(c: MemoryCluster, type: ResourceType<T>): Promise<ObjectStore<T>> {
  const items = (await c.client.list(type, { namespace: 'apps' })).items;
  return { get: (key) => items.find((i) => i.metadata.name === key.name), list: () => items, byIndex: () => [], resourceVersion: '' };
}

const template = (image: string, hash?: string) => ({ metadata: { labels: { app: 'web', ...(hash === undefined ? {} : { 'pod-template-hash': hash }) } }, spec: { containers: [{ name: 'app', image }] } });

describe('reconcileWorkloadSpread: the workload’s newest version (memory cluster)', () => {
  it('a Deployment whose new ReplicaSet is not created yet: nothing written, retried in 1 s; once it exists, the old version’s pods are costed in reverse order', async () => {
    cluster = await createMemoryCluster({ nodes: 0 });
    const c = cluster;
    await c.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
    c.registerResource(KruiseResources.WorkloadSpread);
    c.registerResource(REPLICA_SET_TYPE);
    // The template already changed (nginx:2); only the old ReplicaSet (nginx:1) exists.
    const deployment = await c.client.create(Resources.Deployment, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'apps' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: template('nginx:2') } });
    const replicaSet = (hash: string, image: string) =>
      c.client.create(REPLICA_SET_TYPE, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `web-${hash}`, namespace: 'apps', labels: { app: 'web', 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deployment.metadata.uid ?? '', controller: true }] },
        spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: template(image, hash) },
      });
    const old = await replicaSet('aaa', 'nginx:1');
    const base = aPod({ name: 'web-aaa-0', namespace: 'apps', labels: { app: 'web', 'pod-template-hash': 'aaa' }, annotations: { [MATCHED_WORKLOADSPREAD_ANNOTATION]: '{"name":"web-ws","subset":"zone-a"}' } });
    await c.client.create(Resources.Pod, { ...base, metadata: { ...base.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-aaa', uid: old.metadata.uid ?? '', controller: true }] } } as Pod & KubeObject);
    await c.client.create(KruiseResources.WorkloadSpread, aWorkloadSpread({ namespace: 'apps', targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, subsets: [aZoneSubset('zone-a', 2), aZoneSubset('zone-b')] }) as WorkloadSpread & KubeObject);
    const reconcile = async () =>
      reconcileWorkloadSpread(
        { client: c.client, clock: c.clock, events: { emit: () => undefined }, spreads: await storeOf(c, KruiseResources.WorkloadSpread), pods: await storeOf(c, Resources.Pod), versionedKinds: DEFAULT_VERSIONED_STATUS_KINDS },
        'apps/web-ws',
        { signal: new AbortController().signal, attempt: 1, log: createLogger({ level: 'silent' }) },
      );
    const read = () => c.client.get(KruiseResources.WorkloadSpread, { namespace: 'apps', name: 'web-ws' });
    const cost = async () => (await c.client.get(Resources.Pod, { namespace: 'apps', name: 'web-aaa-0' })).metadata.annotations?.[POD_DELETION_COST_ANNOTATION];

    expect(await reconcile()).toEqual({ kind: 'requeue', afterMs: 1000 });
    expect((await read()).status).toBeUndefined();
    expect(await cost()).toBeUndefined();

    await replicaSet('bbb', 'nginx:2');
    expect(await reconcile()).toEqual({ kind: 'done' });
    expect((await read()).status?.versionedSubsetStatuses).toEqual({ aaa: [{ name: 'zone-a', replicas: 1, missingReplicas: 1 }, { name: 'zone-b', replicas: 0, missingReplicas: -1 }] });
    // Not the newest version: zone-a (first of two) costs 100 × (2 − 1), as if it were last.
    expect(await cost()).toBe('100');
  });
});
