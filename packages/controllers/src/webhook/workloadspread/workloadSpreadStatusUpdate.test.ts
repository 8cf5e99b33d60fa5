import { MATCHED_WORKLOADSPREAD_ANNOTATION, type Pod, type WorkloadSpreadSubsetStatus } from '@kruise-ts/core';
import { aPod, aWorkloadSpread } from '@kruise-ts/core/testing';
import { KruiseResources, NotFoundError, Resources, createCachedReader, createMemoryCluster, createSharedInformerFactory, type KubeObject, type KubeReader, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionContext, AdmissionRequest } from '../admissionTypes.js';
import { countRequests } from '../testing/countReads.testkit.js';
import { workloadSpreadPodMutator } from './workloadSpreadPodMutator.js';
import { workloadSpreadPodValidator } from './workloadSpreadPodValidator.js';

// The WorkloadSpread pod webhooks reading the manager's informer cache: what each admission asks
// the apiserver, and that a stale cache never overfills a subset nor leaves a pod unplaced.

const context: AdmissionContext = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
const POD = { group: '', version: 'v1', kind: 'Pod' };
const PODS = { group: '', version: 'v1', resource: 'pods' };
const KEY = { namespace: 'apps', name: 'web-ws' };

let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const podNamed = (name: string): Pod => {
  const base = aPod({ name, namespace: 'apps', phase: 'unscheduled' });
  return { ...base, metadata: { ...base.metadata, ownerReferences: [{ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web', uid: 'cs', controller: true }] } };
};
const create = (pod: Pod): AdmissionRequest => ({ uid: 'u', kind: POD, resource: PODS, namespace: 'apps', operation: 'CREATE', object: pod });
const remove = (pod: Pod): AdmissionRequest => ({ uid: 'u', kind: POD, resource: PODS, name: pod.metadata.name, namespace: 'apps', operation: 'DELETE', oldObject: pod });
const subsetOf = (result: Awaited<ReturnType<ReturnType<typeof workloadSpreadPodMutator>['mutate']>>): string | undefined => {
  const annotation = result.kind === 'mutated' ? result.pod.metadata.annotations?.[MATCHED_WORKLOADSPREAD_ANNOTATION] : undefined;
  return annotation === undefined ? undefined : (JSON.parse(annotation) as { subset: string }).subset;
};

/** Subsets zone-a (cap 2), zone-b (cap 2), zone-c (no cap) with `missing` of zone-a and zone-b. */
const statuses = (a: number, b: number): WorkloadSpreadSubsetStatus[] => [
  { name: 'zone-a', replicas: 2, missingReplicas: a },
  { name: 'zone-b', replicas: 2, missingReplicas: b },
  { name: 'zone-c', replicas: 0, missingReplicas: -1 },
];

async function scene(status: WorkloadSpreadSubsetStatus[]) {
  const c = await createMemoryCluster({ nodes: 0 });
  cluster = c;
  c.registerResource(KruiseResources.WorkloadSpread);
  await c.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
  const ws = await c.client.create(KruiseResources.WorkloadSpread, aWorkloadSpread({ namespace: 'apps' }) as never);
  await c.client.replace(KruiseResources.WorkloadSpread, { ...ws, status: { subsetStatuses: status } }, { subresource: 'status' });
  const { client, requests } = countRequests(c.client);
  const spread = async () => c.client.get(KruiseResources.WorkloadSpread, KEY);
  const setStatus = async (next: WorkloadSpreadSubsetStatus[]) => c.client.replace(KruiseResources.WorkloadSpread, { ...(await spread()), status: { subsetStatuses: next } }, { subresource: 'status' });
  const missing = async () => (await spread()).status?.subsetStatuses?.map((s) => s.missingReplicas);
  return { c, client, requests, spread, setStatus, missing };
}

/** A reader whose cache holds `ws` as it was (or not at all), whatever the apiserver has since: a watch that lags. */
function staleReader(client: KubeReader, ws: KubeObject | undefined): KubeReader {
  const notFound = new NotFoundError({ verb: 'GET', path: 'cache' }, 404, { reason: 'NotFound' });
  const spreads = (plural: string) => plural === 'workloadspreads';
  return {
    get: (type, key, options) => (!spreads(type.plural) ? client.get(type, key, options) : ws === undefined ? Promise.reject(notFound) : Promise.resolve(ws as never)),
    list: (type, options) => (!spreads(type.plural) ? client.list(type, options) : Promise.resolve({ items: ws === undefined ? [] : [ws as never], resourceVersion: '1' })),
  };
}

describe('WorkloadSpread pod webhooks reading the informer cache', () => {
  it('requests per admission: without the cache a creation reads the apiserver twice and a deletion once; with it neither reads; each writes the status once', async () => {
    const { c, client, requests, missing } = await scene(statuses(2, 2));
    const direct = workloadSpreadPodMutator({ client, clock: c.clock });
    expect(subsetOf(await direct.mutate(podNamed('web-0'), create(podNamed('web-0')), context))).toBe('zone-a');
    expect(requests).toEqual(['list workloadspreads apps', 'get workloadspreads/web-ws', 'replace workloadspreads/web-ws/status']);

    const informers = createSharedInformerFactory(client);
    const reader = createCachedReader({ client, informers });
    // Warm the cache as the manager's informers are warm: once synced, reads touch no network.
    await vi.waitFor(async () => {
      requests.length = 0;
      await reader.list(KruiseResources.WorkloadSpread, { namespace: 'apps' });
      await reader.get(KruiseResources.WorkloadSpread, KEY);
      expect(requests).toEqual([]);
    });
    const cached = workloadSpreadPodMutator({ client, reader, clock: c.clock });
    await vi.waitFor(async () => { expect((await reader.get(KruiseResources.WorkloadSpread, KEY)).status?.subsetStatuses?.[0]?.missingReplicas).toBe(1); });
    requests.length = 0;
    expect(subsetOf(await cached.mutate(podNamed('web-1'), create(podNamed('web-1')), context))).toBe('zone-a');
    expect(requests).toEqual(['replace workloadspreads/web-ws/status']);
    expect(await missing()).toEqual([0, 2, -1]);

    // Pods placed earlier (not in creatingPods any more) release their slot.
    const placed = (name: string): Pod => ({ ...podNamed(name), metadata: { ...podNamed(name).metadata, annotations: { [MATCHED_WORKLOADSPREAD_ANNOTATION]: '{"name":"web-ws","subset":"zone-a"}' } }, status: { phase: 'Running' } });
    requests.length = 0;
    expect(await workloadSpreadPodValidator({ client, clock: c.clock }).validate(remove(placed('web-7')), context)).toEqual({ kind: 'allow' });
    expect(requests).toEqual(['get workloadspreads/web-ws', 'replace workloadspreads/web-ws/status']);
    await vi.waitFor(async () => { expect((await reader.get(KruiseResources.WorkloadSpread, KEY)).status?.subsetStatuses?.[0]?.missingReplicas).toBe(1); });
    requests.length = 0;
    expect(await workloadSpreadPodValidator({ client, reader, clock: c.clock }).validate(remove(placed('web-8')), context)).toEqual({ kind: 'allow' });
    expect(requests).toEqual(['replace workloadspreads/web-ws/status']);
    expect(await missing()).toEqual([2, 2, -1]);
    reader.stop();
    informers.stopAll();
  });

  it('stale cache, concurrent creations: each decides on what this process wrote last, not on the cache; no conflict, no read', async () => {
    const { c, client, requests, spread, missing } = await scene(statuses(1, 1));
    const mutator = workloadSpreadPodMutator({ client, reader: staleReader(client, await spread()), clock: c.clock });
    const results = await Promise.all(['web-0', 'web-1', 'web-2'].map(async (name) => subsetOf(await mutator.mutate(podNamed(name), create(podNamed(name)), context))));
    expect(results).toEqual(['zone-a', 'zone-b', 'zone-c']);
    expect(requests).toEqual(['replace workloadspreads/web-ws/status', 'replace workloadspreads/web-ws/status']);
    expect(await missing()).toEqual([0, 0, -1]);
  });

  it('conflict → re-read: the controller changed the status after the cache saw it; the write is refused (409), the apiserver copy decides', async () => {
    const { c, client, requests, spread, setStatus, missing } = await scene(statuses(1, 2));
    const snapshot = await spread();
    await setStatus(statuses(0, 2));
    const mutator = workloadSpreadPodMutator({ client, reader: staleReader(client, snapshot), clock: c.clock });
    expect(subsetOf(await mutator.mutate(podNamed('web-0'), create(podNamed('web-0')), context))).toBe('zone-b');
    expect(requests).toEqual(['replace workloadspreads/web-ws/status', 'get workloadspreads/web-ws', 'replace workloadspreads/web-ws/status']);
    expect(await missing()).toEqual([0, 1, -1]);
  });

  it('"no subset has room" on a cached copy is confirmed on the apiserver copy: a slot the controller freed since is taken', async () => {
    const { c, client, requests, spread, setStatus, missing } = await scene([{ name: 'zone-a', replicas: 2, missingReplicas: 0 }]);
    const snapshot = await spread();
    await setStatus([{ name: 'zone-a', replicas: 1, missingReplicas: 1 }]);
    const mutator = workloadSpreadPodMutator({ client, reader: staleReader(client, snapshot), clock: c.clock });
    expect(subsetOf(await mutator.mutate(podNamed('web-0'), create(podNamed('web-0')), context))).toBe('zone-a');
    expect(requests).toEqual(['get workloadspreads/web-ws', 'replace workloadspreads/web-ws/status']);
    expect(await missing()).toEqual([0]);
    // Full on the apiserver too: admitted unchanged after the one GET, nothing written.
    requests.length = 0;
    expect(await mutator.mutate(podNamed('web-1'), create(podNamed('web-1')), context)).toEqual({ kind: 'unchanged' });
    expect(requests).toEqual(['get workloadspreads/web-ws']);
  });

  it('cache miss: a WorkloadSpread the cache does not hold spreads no pod and releases no slot (OpenKruise’s cached client); no request', async () => {
    const { c, client, requests, missing } = await scene(statuses(2, 2));
    const reader = staleReader(client, undefined);
    expect(await workloadSpreadPodMutator({ client, reader, clock: c.clock }).mutate(podNamed('web-0'), create(podNamed('web-0')), context)).toEqual({ kind: 'unchanged' });
    const placed: Pod = { ...podNamed('web-9'), metadata: { ...podNamed('web-9').metadata, annotations: { [MATCHED_WORKLOADSPREAD_ANNOTATION]: '{"name":"web-ws","subset":"zone-a"}' } }, status: { phase: 'Running' } };
    expect(await workloadSpreadPodValidator({ client, reader, clock: c.clock }).validate(remove(placed), context)).toEqual({ kind: 'allow' });
    expect(requests).toEqual([]);
    expect(await missing()).toEqual([2, 2, -1]);
  });

  it('property: creations at once against any stale cached copy never put more pods in zone-a or zone-b than their cap', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 2 }), async (staleA, staleB, creations, controllerA) => {
        // The cache holds (staleA, staleB); the controller has since set zone-a to controllerA.
        const { c, client, spread, setStatus, missing } = await scene(statuses(staleA, staleB));
        const snapshot = await spread();
        await setStatus(statuses(controllerA, staleB));
        const mutator = workloadSpreadPodMutator({ client, reader: staleReader(client, snapshot), clock: c.clock });
        const results = await Promise.all(Array.from({ length: creations }, async (_, i) => subsetOf(await mutator.mutate(podNamed(`p-${String(i)}`), create(podNamed(`p-${String(i)}`)), context))));
        const [a, b] = (await missing()) ?? [];
        expect(results.filter((s) => s === 'zone-a')).toHaveLength(controllerA - (a ?? 0));
        expect(results.filter((s) => s === 'zone-b')).toHaveLength(staleB - (b ?? 0));
        expect(a).toBeGreaterThanOrEqual(0);
        expect(b).toBeGreaterThanOrEqual(0);
        // Every pod is placed: zone-c takes the rest.
        expect(results.filter((s) => s === undefined)).toEqual([]);
        await c.close();
        cluster = undefined;
      }),
      { numRuns: 25 },
    );
  });
});
