import { SUBSET_NAME_LABEL } from '@kruise-ts/core';
import type { SubsetOption } from '@kruise-ts/core/testing';
import { KruiseResources, Resources } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, createNamespace, isReady, isTerminating } from './cloneSetManifest.js';
import { NODE_ZONES, allChildren, childrenBySubset, readyPodsByZone, unitedDeploymentManifest, useUnitedDeploymentCluster } from './unitedDeploymentHarness.js';

const zones: readonly SubsetOption[] = [
  { name: 'zone-a', zone: 'zone-a', replicas: '20%' },
  { name: 'zone-b', zone: 'zone-b', replicas: 3 },
  { name: 'zone-c', zone: 'zone-c' },
];
const replicasBySubset = (children: Record<string, { spec: { replicas?: number } }>) => Object.fromEntries(Object.entries(children).map(([name, c]) => [name, c.spec.replicas]));

// The real manager process (webhooks and the UnitedDeployment, CloneSet and Advanced StatefulSet
// controllers, as its service account) on a real apiserver with kwok nodes in three zones; each
// test works in a namespace of its own on a UnitedDeployment `web`.
describe('UnitedDeployment on a real apiserver', () => {
  const env = useUnitedDeploymentCluster();

  it('10 over zone-a 20 %, zone-b 3, zone-c the rest with a CloneSet template: CloneSets of 2, 3 and 5 whose pods run in their zones', async () => {
    const { client } = env;
    const ns = 'ud-cloneset';
    await createNamespace(client, ns);
    await client.create(KruiseResources.UnitedDeployment, unitedDeploymentManifest(ns, { replicas: 10, subsets: zones }));
    await vi.waitFor(async () => { expect(await readyPodsByZone(client, ns)).toEqual({ 'zone-a': 2, 'zone-b': 3, 'zone-c': 5 }); }, LONG_WAIT);
    const children = await childrenBySubset(client, ns);
    expect(replicasBySubset(children)).toEqual({ 'zone-a': 2, 'zone-b': 3, 'zone-c': 5 });
    expect(Object.values(children).map((c) => c.kind)).toEqual(['CloneSet', 'CloneSet', 'CloneSet']);
    // One child per subset (a duplicate from a stale cache would be deleted by the next pass).
    await vi.waitFor(async () => { expect(await allChildren(client, ns)).toHaveLength(3); }, LONG_WAIT);
    for (const pod of (await client.list(Resources.Pod, { namespace: ns })).items.filter((p) => !isTerminating(p))) {
      expect(NODE_ZONES[pod.spec.nodeName ?? '']).toBe(pod.metadata.labels?.[SUBSET_NAME_LABEL]);
    }
    await vi.waitFor(async () => {
      const ud = await client.get(KruiseResources.UnitedDeployment, { name: 'web', namespace: ns });
      expect(ud.status).toMatchObject({ replicas: 10, readyReplicas: 10, updatedReadyReplicas: 10 });
    }, LONG_WAIT);
    // Served as v1alpha1 too (conversion webhook): the legacy subsetReplicas map.
    const alpha = await client.get(KruiseResources.UnitedDeploymentV1alpha1, { name: 'web', namespace: ns });
    expect(alpha.status?.subsetReplicas).toEqual({ 'zone-a': 2, 'zone-b': 3, 'zone-c': 5 });
  });

  it('the same with an Advanced StatefulSet template: StatefulSets of 2, 3 and 5, pods in their zones', async () => {
    const { client } = env;
    const ns = 'ud-asts';
    await createNamespace(client, ns);
    await client.create(KruiseResources.UnitedDeployment, unitedDeploymentManifest(ns, { replicas: 10, subsets: zones, templateKind: 'advancedStatefulSetTemplate' }));
    await vi.waitFor(async () => { expect(await readyPodsByZone(client, ns)).toEqual({ 'zone-a': 2, 'zone-b': 3, 'zone-c': 5 }); }, LONG_WAIT);
    const children = await childrenBySubset(client, ns);
    expect(Object.values(children).map((c) => [c.apiVersion, c.kind, c.spec.replicas])).toEqual([
      ['apps.kruise.io/v1beta1', 'StatefulSet', 2],
      ['apps.kruise.io/v1beta1', 'StatefulSet', 3],
      ['apps.kruise.io/v1beta1', 'StatefulSet', 5],
    ]);
  });

  it('the same with a Deployment template: apps/v1 Deployments of 2, 3 and 5 placed in their zones (no Deployment controller runs here)', async () => {
    const { client } = env;
    const ns = 'ud-deployment';
    await createNamespace(client, ns);
    await client.create(KruiseResources.UnitedDeployment, unitedDeploymentManifest(ns, { replicas: 10, subsets: zones, templateKind: 'deploymentTemplate' }));
    await vi.waitFor(async () => { expect(Object.keys(await childrenBySubset(client, ns))).toHaveLength(3); }, LONG_WAIT);
    const children = await childrenBySubset(client, ns);
    expect(Object.values(children).map((c) => [c.apiVersion, c.kind, c.spec.replicas])).toEqual([
      ['apps/v1', 'Deployment', 2],
      ['apps/v1', 'Deployment', 3],
      ['apps/v1', 'Deployment', 5],
    ]);
    const terms = (c: (typeof children)[string] | undefined) => (c?.spec.template.spec['affinity'] as { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: unknown[] } } } | undefined)?.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms(children['zone-c'])).toEqual([{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-c'] }] }]);
  });

  it('min/max: subsets (min 2, max 4) and (min 2) with replicas 9 → 4 and 5', async () => {
    const { client } = env;
    const ns = 'ud-minmax';
    await createNamespace(client, ns);
    await client.create(KruiseResources.UnitedDeployment, unitedDeploymentManifest(ns, { replicas: 9, subsets: [{ name: 'zone-a', zone: 'zone-a', minReplicas: 2, maxReplicas: 4 }, { name: 'zone-b', zone: 'zone-b', minReplicas: 2 }] }));
    await vi.waitFor(async () => { expect(await readyPodsByZone(client, ns)).toEqual({ 'zone-a': 4, 'zone-b': 5 }); }, LONG_WAIT);
    expect(replicasBySubset(await childrenBySubset(client, ns))).toEqual({ 'zone-a': 4, 'zone-b': 5 });
  });

  it('a manual update with partitions {zone-a: 1} rolls every subset but keeps one old pod in zone-a', async () => {
    const { client } = env;
    const ns = 'ud-manual';
    await createNamespace(client, ns);
    await client.create(KruiseResources.UnitedDeployment, unitedDeploymentManifest(ns, { replicas: 10, subsets: zones }));
    await vi.waitFor(async () => { expect(await readyPodsByZone(client, ns)).toEqual({ 'zone-a': 2, 'zone-b': 3, 'zone-c': 5 }); }, LONG_WAIT);
    const before = (await allChildren(client, ns)).map((c) => c.metadata.uid).sort();
    await client.patch(KruiseResources.UnitedDeployment, { name: 'web', namespace: ns }, {
      type: 'merge',
      body: { spec: { updateStrategy: { type: 'Manual', manualUpdate: { partitions: { 'zone-a': 1 } } } } },
    });
    await client.patch(KruiseResources.UnitedDeployment, { name: 'web', namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/cloneSetTemplate/spec/template/spec/containers/0/image', value: 'nginx:2' }] });
    await vi.waitFor(async () => {
      const pods = (await client.list(Resources.Pod, { namespace: ns })).items.filter((p) => !isTerminating(p) && isReady(p));
      expect(pods).toHaveLength(10);
      const old = pods.filter((p) => p.spec.containers[0]?.image !== 'nginx:2');
      expect(old.map((p) => p.metadata.labels?.[SUBSET_NAME_LABEL])).toEqual(['zone-a']);
    }, LONG_WAIT);
    expect((await allChildren(client, ns)).map((c) => c.metadata.uid).sort()).toEqual(before);
    const ud = await client.get(KruiseResources.UnitedDeployment, { name: 'web', namespace: ns });
    expect(ud.status?.subsetStatuses?.map((s) => [s.name, s.partition])).toEqual([
      ['zone-a', 1],
      ['zone-b', 0],
      ['zone-c', 0],
    ]);
  });

  it('Adaptive: with zone-a cordoned its pending pods move to zone-b after rescheduleCriticalSeconds; uncordoned, zone-a is schedulable again after unschedulableDuration and takes new replicas', async () => {
    const { client } = env;
    const ns = 'ud-adaptive';
    await createNamespace(client, ns);
    const zoneANode = 'kwok-node-0';
    await client.patch(Resources.Node, { name: zoneANode }, { type: 'merge', body: { spec: { unschedulable: true } } });
    try {
      await client.create(
        KruiseResources.UnitedDeployment,
        unitedDeploymentManifest(ns, {
          replicas: 4,
          subsets: [{ name: 'zone-a', zone: 'zone-a', maxReplicas: 2 }, { name: 'zone-b', zone: 'zone-b' }],
          scheduleStrategy: { type: 'Adaptive', adaptive: { rescheduleCriticalSeconds: 3, unschedulableDuration: 15 } },
        }),
      );
      await vi.waitFor(async () => { expect(replicasBySubset(await childrenBySubset(client, ns))).toEqual({ 'zone-a': 0, 'zone-b': 4 }); }, LONG_WAIT);
      await vi.waitFor(async () => { expect(await readyPodsByZone(client, ns)).toEqual({ 'zone-b': 4 }); }, LONG_WAIT);
      const schedulable = async () => (await client.get(KruiseResources.UnitedDeployment, { name: 'web', namespace: ns })).status?.subsetStatuses?.[0]?.conditions?.find((c) => c.type === 'Schedulable');
      expect(await schedulable()).toMatchObject({ status: 'False', reason: 'reschedule' });
      await client.patch(Resources.Node, { name: zoneANode }, { type: 'merge', body: { spec: { unschedulable: false } } });
      await vi.waitFor(async () => { expect(await schedulable()).toMatchObject({ status: 'True', reason: 'recover' }); }, LONG_WAIT);
      await client.patch(KruiseResources.UnitedDeployment, { name: 'web', namespace: ns }, { type: 'merge', body: { spec: { replicas: 6 } } });
      await vi.waitFor(async () => { expect(await readyPodsByZone(client, ns)).toEqual({ 'zone-a': 2, 'zone-b': 4 }); }, LONG_WAIT);
    } finally {
      await client.patch(Resources.Node, { name: zoneANode }, { type: 'merge', body: { spec: { unschedulable: false } } });
    }
  });
});
