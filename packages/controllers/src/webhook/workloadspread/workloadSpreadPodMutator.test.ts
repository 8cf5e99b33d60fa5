import { MATCHED_WORKLOADSPREAD_ANNOTATION, type Pod, type WorkloadSpreadSubsetStatus } from '@kruise-ts/core';
import { aCloneSet, aPod, aWorkloadSpread, aZoneSubset } from '@kruise-ts/core/testing';
import { KruiseResources, NotFoundError, Resources, createMemoryCluster, defineResource, type KubeReader, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionContext, AdmissionRequest } from '../admissionTypes.js';
import { admitAsWebhooks } from '../../testing/admitAsWebhooks.js';
import { createBuiltinWebhooks } from '../createBuiltinWebhooks.js';
import { workloadSpreadPodMutator } from './workloadSpreadPodMutator.js';

const context: AdmissionContext = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const pod = ((): Pod => {
  const base = aPod({ name: 'web-x', namespace: 'apps', phase: 'unscheduled' });
  return { ...base, metadata: { ...base.metadata, ownerReferences: [{ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web', uid: 'cs', controller: true }] } };
})();
const create = (extra: Partial<AdmissionRequest> = {}): AdmissionRequest => ({ uid: 'u', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, namespace: 'apps', operation: 'CREATE', object: pod, ...extra });
const full: WorkloadSpreadSubsetStatus[] = [{ name: 'zone-a', replicas: 2, missingReplicas: 0 }, { name: 'zone-b', replicas: 2, missingReplicas: 0 }];

async function scene(options: { crd?: boolean; statuses?: WorkloadSpreadSubsetStatus[] } = {}) {
  cluster = await createMemoryCluster({ nodes: 0 });
  await cluster.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
  if (options.crd !== false) {
    cluster.registerResource(KruiseResources.WorkloadSpread);
    const ws = await cluster.client.create(KruiseResources.WorkloadSpread, aWorkloadSpread({ namespace: 'apps' }) as never);
    await cluster.client.replace(KruiseResources.WorkloadSpread, { ...ws, status: { subsetStatuses: options.statuses ?? [{ name: 'zone-a', replicas: 0, missingReplicas: 2 }] } }, { subresource: 'status' });
  }
  const read = async () => (await (cluster as MemoryCluster).client.get(KruiseResources.WorkloadSpread, { namespace: 'apps', name: 'web-ws' })).status?.subsetStatuses;
  return { mutator: workloadSpreadPodMutator({ client: cluster.client, clock: cluster.clock }), read };
}

describe('workloadSpreadPodMutator', () => {
  it('a dry run gets the subset injected and writes no status', async () => {
    const { mutator, read } = await scene();
    const result = await mutator.mutate(pod, create({ dryRun: true }), context);
    expect(result.kind === 'mutated' && result.pod.metadata.annotations?.[MATCHED_WORKLOADSPREAD_ANNOTATION]).toBe('{"name":"web-ws","subset":"zone-a"}');
    expect(await read()).toEqual([{ name: 'zone-a', replicas: 0, missingReplicas: 2 }]);
  });

  it('no status yet (the controller has not run): starts from the caps against the CloneSet’s replicas and writes every subset', async () => {
    cluster = await createMemoryCluster({ nodes: 0 });
    const c = cluster;
    await c.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
    c.registerResource(KruiseResources.WorkloadSpread);
    c.registerResource(Resources.CloneSet);
    await c.client.create(Resources.CloneSet, aCloneSet({ namespace: 'apps', replicas: 4 }) as never);
    await c.client.create(KruiseResources.WorkloadSpread, aWorkloadSpread({ namespace: 'apps', subsets: [aZoneSubset('zone-a', '25%'), aZoneSubset('zone-b', '75%')] }) as never);
    const result = await workloadSpreadPodMutator({ client: c.client, clock: c.clock }).mutate(pod, create(), context);
    expect(result.kind === 'mutated' && result.pod.metadata.annotations?.[MATCHED_WORKLOADSPREAD_ANNOTATION]).toBe('{"name":"web-ws","subset":"zone-a"}');
    const statuses = (await c.client.get(KruiseResources.WorkloadSpread, { namespace: 'apps', name: 'web-ws' })).status?.subsetStatuses;
    // 25% and 75% of 4: 1 and 3; zone-a's one slot taken by web-x.
    expect(statuses?.map((s) => [s.name, s.missingReplicas, Object.keys(s.creatingPods ?? {})])).toEqual([
      ['zone-a', 0, ['web-x']],
      ['zone-b', 3, []],
    ]);
  });

  it.each<[string, { crd?: boolean; statuses?: WorkloadSpreadSubsetStatus[] }, Partial<AdmissionRequest>]>([
    ['no WorkloadSpread CRD served (fail open)', { crd: false }, {}],
    ['every subset full', { statuses: full }, {}],
    ['not a CREATE', {}, { operation: 'UPDATE' }],
  ])('%s: the pod is admitted unchanged', async (_story, options, extra) => {
    const { mutator } = await scene(options);
    expect(await mutator.mutate(pod, create(extra), context)).toEqual({ kind: 'unchanged' });
  });

  it('is in the manager’s /mutate-pod chain only while the WorkloadSpread gate is on', async () => {
    await scene();
    const client = (cluster as MemoryCluster).client;
    const admitted = async (gate: boolean) => (await admitAsWebhooks(createBuiltinWebhooks({ client, managerNamespace: 'kruise-system', featureGates: { WorkloadSpread: gate } }), Resources.Pod, 'CREATE', pod as never)).metadata.annotations?.[MATCHED_WORKLOADSPREAD_ANNOTATION];
    expect(await admitted(false)).toBeUndefined();
    expect(await admitted(true)).toBe('{"name":"web-ws","subset":"zone-a"}');
  });

  it.each<[string, ReadonlySet<string> | undefined, string | undefined, string | undefined]>([
    ['CloneSet pods counted per version: a new revision starts from the caps (zone-a)', new Set(['cloneset']), 'zone-a', '2'],
    ['CloneSet pods not versioned (the default): the whole count is full, the pod is left unchanged', undefined, undefined, 'versionIgnored'],
  ])('%s', async (_story, versionedKinds, subset, writtenVersion) => {
    const { mutator } = await scene({ statuses: full });
    const c = cluster as MemoryCluster;
    const ws = await c.client.get(KruiseResources.WorkloadSpread, { namespace: 'apps', name: 'web-ws' });
    await c.client.replace(KruiseResources.WorkloadSpread, { ...ws, status: { subsetStatuses: full, versionedSubsetStatuses: { '1': full } } }, { subresource: 'status' });
    const revised = { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, 'controller-revision-hash': 'web-2' } } };
    const versioned = versionedKinds === undefined ? mutator : workloadSpreadPodMutator({ client: c.client, clock: c.clock, versionedKinds });
    const result = await versioned.mutate(revised, create({ object: revised }), context);
    const annotation = result.kind === 'mutated' ? result.pod.metadata.annotations?.[MATCHED_WORKLOADSPREAD_ANNOTATION] : undefined;
    expect(annotation === undefined ? undefined : (JSON.parse(annotation) as { subset: string }).subset).toBe(subset);
    const status = (await c.client.get(KruiseResources.WorkloadSpread, { namespace: 'apps', name: 'web-ws' })).status;
    expect(Object.keys(status?.versionedSubsetStatuses ?? {}).sort()).toEqual(writtenVersion === '2' ? ['1', '2'] : ['1']);
    if (writtenVersion === '2') expect(status?.versionedSubsetStatuses?.['2']?.map((s) => [s.name, s.missingReplicas, Object.keys(s.creatingPods ?? {})])).toEqual([['zone-a', 1, ['web-x']], ['zone-b', 2, []], ['zone-c', -1, []]]);
  });

  it.each<[string, boolean, string | undefined]>([
    ['a Deployment’s new ReplicaSet not in the cache yet: read from the apiserver, its first pod spread', true, 'zone-a'],
    ['a ReplicaSet neither the cache nor the apiserver has: the pod is admitted unchanged', false, undefined],
  ])('%s', async (_story, replicaSetExists, subset) => {
    cluster = await createMemoryCluster({ nodes: 0 });
    const c = cluster;
    await c.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
    c.registerResource(KruiseResources.WorkloadSpread);
    const replicaSets = defineResource({ group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true });
    c.registerResource(replicaSets);
    const ws = await c.client.create(KruiseResources.WorkloadSpread, aWorkloadSpread({ namespace: 'apps', targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } }) as never);
    await c.client.replace(KruiseResources.WorkloadSpread, { ...ws, status: { subsetStatuses: [{ name: 'zone-a', replicas: 0, missingReplicas: 2 }] } }, { subresource: 'status' });
    if (replicaSetExists) await c.client.create(replicaSets, { metadata: { name: 'web-6b7f9c', namespace: 'apps', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd', controller: true }] } });
    // The informer cache lagging behind the ReplicaSet's creation.
    const lagging: KubeReader = {
      get: (type, key, options) => (type.plural === 'replicasets' ? Promise.reject(new NotFoundError({ verb: 'GET', path: 'cache' }, 404, { reason: 'NotFound' })) : c.client.get(type, key, options)),
      list: (type, options) => c.client.list(type, options),
    };
    const rsPod: Pod = { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, 'pod-template-hash': '6b7f9c' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-6b7f9c', uid: 'rs', controller: true }] } };
    const result = await workloadSpreadPodMutator({ client: c.client, reader: lagging, clock: c.clock }).mutate(rsPod, create({ object: rsPod }), context);
    const annotation = result.kind === 'mutated' ? result.pod.metadata.annotations?.[MATCHED_WORKLOADSPREAD_ANNOTATION] : undefined;
    expect(annotation === undefined ? undefined : (JSON.parse(annotation) as { subset: string }).subset).toBe(subset);
  });
});
