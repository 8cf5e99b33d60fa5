import { MATCHED_WORKLOADSPREAD_ANNOTATION, POD_DELETION_COST_ANNOTATION, type Pod, type WorkloadSpread } from '@kruise-ts/core';
import { aWorkloadSpread, aZoneSubset, type WorkloadSpreadOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { startTestCluster } from '@kruise-ts/k8s-adapter/testing';
import { ALL_CRDS } from './allCrds.js';
import { LONG_WAIT, cloneSetManifest, createNamespace, podsOf } from './cloneSetManifest.js';
import { useManagerCluster } from './statefulSetHarness.js';

// WorkloadSpread on a real apiserver with three kwok nodes (zone-a, zone-b, zone-c): the manager
// process (as deploy/'s service account) runs the WorkloadSpread and CloneSet controllers, and the
// apiserver calls its pod webhooks on every pod the CloneSet controller (or kube-controller-manager's
// Deployment and ReplicaSet controllers) creates and deletes.

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
  const env = useManagerCluster({
    controller: 'workloadspread,cloneset',
    resource: KruiseResources.CloneSet,
    startCluster: () => startTestCluster({ nodes: 3, controllerManager: true, controllerManagerControllers: ['deployment-controller', 'replicaset-controller'], scheduler: true, crds: ALL_CRDS }),
  });

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

  it('a Deployment rolling update (maxSurge 1, maxUnavailable 0) over zone-a (max 2) and zone-b: two versions in versionedSubsetStatuses mid-rollout, never more than 2 pods of one version in zone-a, the new revision ends 2/2', async () => {
    const { client } = env;
    const ns = 'ws-rolling';
    await createNamespace(client, ns);
    await spread(client, ns, { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, subsets: [aZoneSubset('zone-a', 2), aZoneSubset('zone-b')] });
    const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } });
    await client.create(Resources.Deployment, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, template: template('nginx:1') },
    });
    type DeploymentStatus = { observedGeneration?: number; updatedReplicas?: number; availableReplicas?: number; replicas?: number };
    const deploymentStatus = async () => (await client.get(Resources.Deployment, { namespace: ns, name: 'web' })) as KubeObject & { status?: DeploymentStatus };
    await vi.waitFor(async () => {
      expect((await deploymentStatus()).status?.availableReplicas).toBe(4);
      expect(bySubset(await live(client, ns))).toEqual({ 'zone-a': 2, 'zone-b': 2 });
    }, LONG_WAIT);
    const hashOf = (pod: Pod): string => pod.metadata.labels?.['pod-template-hash'] ?? '';
    const [oldHash] = [...new Set((await live(client, ns)).map(hashOf))];
    await client.patch(Resources.Deployment, { namespace: ns, name: 'web' }, { type: 'merge', body: { spec: { template: template('nginx:2') } } });
    // Sampled at every poll until the rollout is done.
    const versionsSeen = new Set<string>();
    let mostInZoneA = 0;
    let twoVersionsInStatus = false;
    let lowestMissing = 0;
    let firstNew: string | undefined;
    await vi.waitFor(
      async () => {
        const pods = await live(client, ns);
        firstNew ??= pods.map((p) => (hashOf(p) === oldHash ? undefined : subsetOf(p))).find((subset) => subset !== undefined);
        for (const hash of new Set(pods.map(hashOf))) mostInZoneA = Math.max(mostInZoneA, pods.filter((p) => hashOf(p) === hash && subsetOf(p) === 'zone-a').length);
        const status = (await client.get(KruiseResources.WorkloadSpread, { namespace: ns, name: 'web-ws' })).status;
        const versioned = status?.versionedSubsetStatuses ?? {};
        for (const version of Object.keys(versioned)) versionsSeen.add(version);
        if (Object.keys(versioned).length === 2) twoVersionsInStatus = true;
        for (const statuses of Object.values(versioned)) for (const s of statuses) lowestMissing = Math.min(lowestMissing, s.missingReplicas);
        const d = await deploymentStatus();
        expect(d.status?.updatedReplicas).toBe(4);
        expect(d.status?.availableReplicas).toBe(4);
        expect(d.status?.replicas).toBe(4);
        expect(pods.filter((p) => hashOf(p) !== oldHash)).toHaveLength(4);
        expect(Object.keys(versioned)).toHaveLength(1);
      },
      { timeout: 60_000, interval: 50 },
    );
    expect(twoVersionsInStatus).toBe(true);
    expect(versionsSeen.has(oldHash ?? '')).toBe(true);
    expect(versionsSeen.size).toBe(2);
    expect(mostInZoneA).toBeLessThanOrEqual(2);
    expect(lowestMissing).toBe(-1);
    // The new revision's first pod went to zone-a although two old pods filled it (its own count starts from the cap).
    expect(firstNew).toBe('zone-a');
    expect(bySubset(await live(client, ns))).toEqual({ 'zone-a': 2, 'zone-b': 2 });
    await vi.waitFor(async () => {
      const status = (await client.get(KruiseResources.WorkloadSpread, { namespace: ns, name: 'web-ws' })).status;
      expect((status?.subsetStatuses ?? []).map((s) => [s.name, s.replicas, s.missingReplicas])).toEqual([['zone-a', 2, 0], ['zone-b', 2, -1]]);
    }, LONG_WAIT);
  });
});
