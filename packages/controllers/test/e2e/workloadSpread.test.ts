import { MATCHED_WORKLOADSPREAD_ANNOTATION, POD_DELETION_COST_ANNOTATION, type Pod, type WorkloadSpread } from '@kruise-ts/core';
import { aWorkloadSpread, aZoneSubset, type WorkloadSpreadOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, cloneSetManifest, createNamespace, podsOf } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import { useManagerCluster } from './statefulSetHarness.js';

// WorkloadSpread on a real apiserver with three kwok nodes (zone-a, zone-b, zone-c): the manager
// process (as deploy/'s service account) runs the WorkloadSpread and CloneSet controllers, and the
// apiserver calls its pod webhooks on every pod the CloneSet controller creates and deletes.

const ZONE = 'topology.kubernetes.io/zone';
const TARGET = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web' };

const subsetOf = (pod: Pod): string => (JSON.parse(pod.metadata.annotations?.[MATCHED_WORKLOADSPREAD_ANNOTATION] ?? '{}') as { subset?: string }).subset ?? 'none';
const bySubset = (pods: readonly Pod[]): Record<string, number> =>
  pods.reduce<Record<string, number>>((counts, pod) => ({ ...counts, [subsetOf(pod)]: (counts[subsetOf(pod)] ?? 0) + 1 }), {});
const live = async (client: KubeClient, ns: string) => (await podsOf(client, ns, 'web')).filter((p) => p.metadata.deletionTimestamp === undefined);

// Creates the WorkloadSpread and waits for its first status: the webhook picks subsets from it.
async function spread(client: KubeClient, ns: string, options: WorkloadSpreadOptions = {}): Promise<void> {
  const ws = aWorkloadSpread({ namespace: ns, targetRef: TARGET, ...options });
  await client.create(KruiseResources.WorkloadSpread, ws as WorkloadSpread & KubeObject);
  await vi.waitFor(async () => {
    expect((await client.get(KruiseResources.WorkloadSpread, { namespace: ns, name: 'web-ws' })).status?.subsetStatuses).toHaveLength(ws.spec.subsets.length);
  }, LONG_WAIT);
}

describe('WorkloadSpread (real apiserver + kwok, pod webhooks called by it)', () => {
  const env = useManagerCluster({ controller: 'workloadspread,cloneset', resource: KruiseResources.CloneSet, startCluster: () => startCloneSetCluster() });

  it('a CloneSet of 6 over zone-a (max 2), zone-b (max 2), zone-c: 2/2/2 on the zones’ nodes; scale to 4 removes the zone-c pods, even with a zone-a pod newest', async () => {
    const { client } = env;
    const ns = 'ws-spread';
    await createNamespace(client, ns);
    await spread(client, ns);
    await client.create(Resources.CloneSet, cloneSetManifest('web', ns, { replicas: 6 }));
    const zones = new Map((await client.list(Resources.Node)).items.map((n) => [n.metadata.name ?? '', n.metadata.labels?.[ZONE]]));
    await vi.waitFor(async () => {
      const pods = await live(client, ns);
      expect(pods.filter((p) => (p.spec.nodeName ?? '') !== '' && p.metadata.annotations?.[POD_DELETION_COST_ANNOTATION] !== undefined)).toHaveLength(6);
    }, LONG_WAIT);
    const pods = await live(client, ns);
    expect(bySubset(pods)).toEqual({ 'zone-a': 2, 'zone-b': 2, 'zone-c': 2 });
    for (const pod of pods) {
      expect(zones.get(pod.spec.nodeName ?? '')).toBe(subsetOf(pod));
      expect(pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION]).toBe({ 'zone-a': '300', 'zone-b': '200', 'zone-c': '100' }[subsetOf(pod)]);
    }
    // A zone-a pod deleted (the pod webhook gives zone-a its slot back) and re-created there is the
    // newest pod: only its deletion cost keeps the scale-in off it.
    const first = pods.find((p) => subsetOf(p) === 'zone-a')?.metadata.name ?? '';
    await client.delete(Resources.Pod, { namespace: ns, name: first });
    await vi.waitFor(async () => {
      const now = await podsOf(client, ns, 'web');
      expect(now.some((p) => p.metadata.name === first)).toBe(false);
      expect(now.filter((p) => (p.spec.nodeName ?? '') !== '' && p.metadata.annotations?.[POD_DELETION_COST_ANNOTATION] !== undefined)).toHaveLength(6);
    }, LONG_WAIT);
    expect(bySubset(await live(client, ns))).toEqual({ 'zone-a': 2, 'zone-b': 2, 'zone-c': 2 });
    await client.patch(Resources.CloneSet, { namespace: ns, name: 'web' }, { type: 'merge', body: { spec: { replicas: 4 } } });
    await vi.waitFor(async () => {
      expect(await podsOf(client, ns, 'web')).toHaveLength(4);
    }, LONG_WAIT);
    expect(bySubset(await live(client, ns))).toEqual({ 'zone-a': 2, 'zone-b': 2 });
    await vi.waitFor(async () => {
      const statuses = (await client.get(KruiseResources.WorkloadSpread, { namespace: ns, name: 'web-ws' })).status?.subsetStatuses ?? [];
      expect(statuses.map((s) => [s.name, s.replicas, s.missingReplicas])).toEqual([['zone-a', 2, 0], ['zone-b', 2, 0], ['zone-c', 0, -1]]);
    }, LONG_WAIT);
  });

  it('a CloneSet of 30 (pods created in concurrent batches) against zone-a max 5: exactly 5 in zone-a, 25 in zone-b', async () => {
    const { client } = env;
    const ns = 'ws-burst';
    await createNamespace(client, ns);
    await spread(client, ns, { subsets: [aZoneSubset('zone-a', 5), aZoneSubset('zone-b')] });
    await client.create(Resources.CloneSet, cloneSetManifest('web', ns, { replicas: 30 }));
    await vi.waitFor(async () => {
      expect(await live(client, ns)).toHaveLength(30);
    }, LONG_WAIT);
    expect(bySubset(await live(client, ns))).toEqual({ 'zone-a': 5, 'zone-b': 25 });
  });

  it('stored as v1beta1 through the conversion webhook (renamed node selectors, targetFilter kept); a targetFilter selecting none of the CloneSet’s pods leaves them unspread, its caps from replicasPathList', async () => {
    const { client } = env;
    const ns = 'ws-filter';
    await createNamespace(client, ns);
    const targetFilter = { selector: { matchLabels: { role: 'worker' } }, replicasPathList: ['spec.replicas'] };
    await spread(client, ns, { subsets: [aZoneSubset('zone-a', '50%'), aZoneSubset('zone-b', '50%')], targetFilter });
    const stored = await client.get(KruiseResources.WorkloadSpreadV1beta1, { namespace: ns, name: 'web-ws' });
    expect(stored.apiVersion).toBe('apps.kruise.io/v1beta1');
    expect(stored.spec.subsets[0]).toEqual({ name: 'zone-a', maxReplicas: '50%', requiredNodeSelector: { matchExpressions: [{ key: ZONE, operator: 'In', values: ['zone-a'] }] } });
    expect(stored.spec.targetFilter).toEqual(targetFilter);
    // The CloneSet's pods carry app=web only: the WorkloadSpread manages none of them.
    await client.create(Resources.CloneSet, cloneSetManifest('web', ns, { replicas: 4 }));
    await vi.waitFor(async () => {
      expect((await live(client, ns)).filter((p) => (p.spec.nodeName ?? '') !== '')).toHaveLength(4);
      const statuses = (await client.get(KruiseResources.WorkloadSpread, { namespace: ns, name: 'web-ws' })).status?.subsetStatuses ?? [];
      // 50% of spec.replicas (4) each, nothing counted.
      expect(statuses.map((s) => `${String(s.replicas)}/${String(s.missingReplicas)}`)).toEqual(['0/2', '0/2']);
    }, LONG_WAIT);
    expect(bySubset(await live(client, ns))).toEqual({ none: 4 });
  });
});
