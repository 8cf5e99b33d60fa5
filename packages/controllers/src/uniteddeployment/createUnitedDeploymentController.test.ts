import { KRUISE_CONTROLLER_REVISION_HASH_LABEL, SUBSET_NAME_LABEL, UNITED_DEPLOYMENT_RESERVED_POD_LABEL, type Pod, type UnitedDeploymentCondition } from '@kruise-ts/core';
import type { SubsetOption } from '@kruise-ts/core/testing';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { podCondition } from '../workload/workloadWorld.testkit.js';
import { startUnitedDeploymentWorld, type ChildObject, type UnitedDeploymentWorld } from './unitedDeploymentController.testkit.js';

const zones: readonly SubsetOption[] = [
  { name: 'zone-a', zone: 'zone-a', replicas: '20%' },
  { name: 'zone-b', zone: 'zone-b', replicas: 3 },
  { name: 'zone-c', zone: 'zone-c' },
];
const ZONE_NODES: Readonly<Record<string, string>> = { 'zone-a': 'kwok-node-0', 'zone-b': 'kwok-node-1', 'zone-c': 'kwok-node-2' };
const isReady = (pod: Pod): boolean => podCondition(pod, 'Ready') === 'True';
const replicasOf = (children: Record<string, ChildObject>) => Object.fromEntries(Object.entries(children).map(([name, child]) => [name, child.spec.replicas]));

describe('UnitedDeployment controller (memory cluster)', () => {
  let world: UnitedDeploymentWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function readyIn(w: UnitedDeploymentWorld, expected: Record<string, number>): Promise<boolean> {
    const pods = (await w.pods()).filter(isReady);
    return Object.entries(expected).every(([zone, count]) => pods.filter((p) => p.metadata.labels?.[SUBSET_NAME_LABEL] === zone).length === count);
  }

  it('10 over zone-a 20 %, zone-b 3, zone-c the rest: CloneSets of 2, 3, 5 whose pods land in their zones; the status counts them', async () => {
    world = await startUnitedDeploymentWorld();
    const w = world;
    await w.create({ replicas: 10, subsets: zones });
    await w.until(async () => readyIn(w, { 'zone-a': 2, 'zone-b': 3, 'zone-c': 5 }));
    const children = await w.children();
    expect(replicasOf(children)).toEqual({ 'zone-a': 2, 'zone-b': 3, 'zone-c': 5 });
    expect(Object.values(children).map((c) => [c.kind, c.metadata.name?.startsWith(`web-${c.metadata.labels?.[SUBSET_NAME_LABEL] ?? ''}-`)])).toEqual([
      ['CloneSet', true],
      ['CloneSet', true],
      ['CloneSet', true],
    ]);
    for (const pod of await w.pods()) expect(pod.spec.nodeName).toBe(ZONE_NODES[pod.metadata.labels?.[SUBSET_NAME_LABEL] ?? '']);
    await w.until(async () => (await w.get()).status?.readyReplicas === 10);
    const status = (await w.get()).status;
    expect(status).toMatchObject({ replicas: 10, readyReplicas: 10, updatedReplicas: 10, updatedReadyReplicas: 10, labelSelector: 'app=web' });
    expect(status?.subsetStatuses?.map((s) => [s.name, s.replicas, s.readyReplicas])).toEqual([
      ['zone-a', 2, 2],
      ['zone-b', 3, 3],
      ['zone-c', 5, 5],
    ]);
    expect(w.events.filter((e) => e.reason === 'SuccessfulUpdateSubset').map((e) => e.message)).toEqual(['Create 3 Subset (CloneSet)']);
  });

  it.each([
    ['advancedStatefulSetTemplate', 'apps.kruise.io/v1beta1', 'StatefulSet'],
    ['statefulSetTemplate', 'apps/v1', 'StatefulSet'],
    ['deploymentTemplate', 'apps/v1', 'Deployment'],
  ] as const)('a %s makes %s %s children of 2, 3 and 5, placed in their zones', async (templateKind, apiVersion, kind) => {
    world = await startUnitedDeploymentWorld();
    const w = world;
    await w.create({ replicas: 10, subsets: zones, templateKind });
    await w.until(async () => Object.keys(await w.children()).length === 3);
    const children = await w.children();
    expect(Object.values(children).map((c) => [c.apiVersion, c.kind, c.spec.replicas])).toEqual([
      [apiVersion, kind, 2],
      [apiVersion, kind, 3],
      [apiVersion, kind, 5],
    ]);
    const affinity = (children['zone-b']?.spec.template.spec['affinity'] ?? {}) as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: unknown[] } } };
    expect(affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-b'] }] }]);
  });

  it('min/max: subsets (min 2, max 4) and (min 2) with replicas 9 → 4 and 5; scaled to 5 → 3 and 2', async () => {
    world = await startUnitedDeploymentWorld();
    const w = world;
    await w.create({ replicas: 9, subsets: [{ name: 'zone-a', zone: 'zone-a', minReplicas: 2, maxReplicas: 4 }, { name: 'zone-b', zone: 'zone-b', minReplicas: 2 }] });
    await w.until(async () => readyIn(w, { 'zone-a': 4, 'zone-b': 5 }));
    expect(replicasOf(await w.children())).toEqual({ 'zone-a': 4, 'zone-b': 5 });
    await w.update('web', (ud) => ({ ...ud, spec: { ...ud.spec, replicas: 5 } }));
    await w.until(async () => JSON.stringify(replicasOf(await w.children())) === JSON.stringify({ 'zone-a': 3, 'zone-b': 2 }));
  });

  it('a manual update with partitions {zone-a: 1} rolls every subset but keeps one old pod in zone-a; the children are patched, not replaced', async () => {
    world = await startUnitedDeploymentWorld();
    const w = world;
    await w.create({ replicas: 10, subsets: zones });
    await w.until(async () => readyIn(w, { 'zone-a': 2, 'zone-b': 3, 'zone-c': 5 }));
    const before = await w.children();
    const oldRevision = (await w.get()).status?.updatedRevision;
    await w.update('web', (ud) => {
      const template = ud.spec.template?.cloneSetTemplate;
      const podSpec = template?.spec.template.spec;
      const next = { ...template, spec: { ...template?.spec, template: { ...template?.spec.template, spec: { ...podSpec, containers: [{ name: 'main', image: 'nginx:2' }] } } } };
      return { ...ud, spec: { ...ud.spec, template: { cloneSetTemplate: next }, updateStrategy: { type: 'Manual', manualUpdate: { partitions: { 'zone-a': 1 } } } } };
    });
    await w.until(async () => {
      const pods = (await w.pods()).filter(isReady);
      return pods.length === 10 && pods.filter((p) => p.spec.containers[0]?.image === 'nginx:2').length === 9;
    }, 1500);
    const pods = await w.pods();
    const old = pods.filter((p) => p.spec.containers[0]?.image !== 'nginx:2');
    expect(old.map((p) => p.metadata.labels?.[SUBSET_NAME_LABEL])).toEqual(['zone-a']);
    const after = await w.children();
    expect(Object.values(after).map((c) => c.metadata.uid)).toEqual(Object.values(before).map((c) => c.metadata.uid));
    expect(after['zone-a']?.spec.updateStrategy?.['rollingUpdate']).toEqual({ partition: 1 });
    const status = (await w.get()).status;
    expect(status?.updatedRevision).not.toBe(oldRevision);
    expect(status?.subsetStatuses?.map((s) => s.partition)).toEqual([1, 0, 0]);
    expect(status?.updatedReplicas).toBe(9);
    expect(pods.filter((p) => p.metadata.labels?.[KRUISE_CONTROLLER_REVISION_HASH_LABEL] === status?.updatedRevision)).toHaveLength(9);
  });

  it('deletes the child of a removed subset and gives its replicas to the others', async () => {
    world = await startUnitedDeploymentWorld();
    const w = world;
    await w.create({ replicas: 10, subsets: zones });
    await w.until(async () => Object.keys(await w.children()).length === 3);
    await w.update('web', (ud) => ({ ...ud, spec: { ...ud.spec, topology: { subsets: (ud.spec.topology?.subsets ?? []).filter((s) => s.name !== 'zone-a') } } }));
    await w.until(async () => (await w.allChildren()).length === 2);
    expect(replicasOf(await w.children())).toEqual({ 'zone-b': 3, 'zone-c': 7 });
    expect(w.events.map((e) => e.message)).toContain('Delete 1 Subset (CloneSet)');
  });

  it('switching the template kind deletes the old kind’s children and creates the new ones; a duplicate child of a subset is deleted', async () => {
    world = await startUnitedDeploymentWorld();
    const w = world;
    await w.create({ replicas: 4, subsets: [{ name: 'zone-a', zone: 'zone-a' }, { name: 'zone-b', zone: 'zone-b' }] });
    await w.until(async () => (await w.allChildren()).length === 2);
    const [first] = await w.allChildren();
    // A second CloneSet for zone-a (as a stale cache could create): the younger one goes.
    const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, generation: _g, managedFields: _mf, name: _name, ...meta } = first?.metadata ?? {};
    await w.user.create(KruiseResources.CloneSet, { ...first, metadata: { ...meta, name: 'web-zone-a-twin' }, status: undefined } as never);
    await w.until(async () => (await w.allChildren()).length === 2 && !(await w.allChildren()).some((c) => c.metadata.name === 'web-zone-a-twin'));
    await w.update('web', (ud) => ({ ...ud, spec: { ...ud.spec, template: { deploymentTemplate: ud.spec.template?.cloneSetTemplate as never } } }));
    await w.until(async () => (await w.allChildren()).map((c) => c.kind).join() === 'Deployment,Deployment');
    expect(replicasOf(await w.children())).toEqual({ 'zone-a': 2, 'zone-b': 2 });
  });

  it('refuses subsets asking for more than the total: a Warning, no child', async () => {
    world = await startUnitedDeploymentWorld();
    const w = world;
    await w.create({ replicas: 4, subsets: [{ name: 'zone-a', replicas: 3 }, { name: 'zone-b', replicas: 3 }] });
    await w.until(() => w.events.some((e) => e.reason === 'Failed SpecifySubsetReplicas'));
    expect(w.events.find((e) => e.reason === 'Failed SpecifySubsetReplicas')?.message).toBe("Specified subset replicas is ineffective: specified subsets' replica (6) is greater than UnitedDeployment replica (4)");
    expect(await w.allChildren()).toEqual([]);
  });

  it('Adaptive: zone-a without nodes keeps its pods pending; after rescheduleCriticalSeconds its replicas move to zone-b; zone-a recovers after unschedulableDuration', async () => {
    world = await startUnitedDeploymentWorld({ nodes: [{ zone: 'zone-b' }, { zone: 'zone-b' }] });
    const w = world;
    const schedulable = async (): Promise<UnitedDeploymentCondition | undefined> => (await w.get()).status?.subsetStatuses?.[0]?.conditions?.find((c) => c.type === 'Schedulable');
    await w.create({
      replicas: 4,
      subsets: [{ name: 'zone-a', zone: 'zone-a', maxReplicas: 2 }, { name: 'zone-b', zone: 'zone-b' }],
      scheduleStrategy: { type: 'Adaptive', adaptive: { rescheduleCriticalSeconds: 10, unschedulableDuration: 60 } },
    });
    await w.until(async () => (await w.pods()).filter((p) => p.metadata.labels?.[SUBSET_NAME_LABEL] === 'zone-a' && podCondition(p, 'PodScheduled') === 'False').length === 2);
    expect(replicasOf(await w.children())).toEqual({ 'zone-a': 2, 'zone-b': 2 });
    await w.until(async () => (await readyIn(w, { 'zone-a': 0, 'zone-b': 4 })) && (await w.pods()).length === 4, 1200);
    expect(replicasOf(await w.children())).toEqual({ 'zone-a': 0, 'zone-b': 4 });
    expect(await schedulable()).toMatchObject({ status: 'False', reason: 'reschedule', message: 'timeout pending pods found' });
    // A zone-a node appears; once unschedulableDuration is over the subset is schedulable again
    // (zone-b's running pods stay: OpenKruise never deletes running pods to move them back).
    await w.cluster.addNode({ zone: 'zone-a' });
    await w.until(async () => (await schedulable())?.status === 'True', 1200);
    expect(await schedulable()).toMatchObject({ reason: 'recover' });
    // New replicas go to zone-a again.
    await w.update('web', (ud) => ({ ...ud, spec: { ...ud.spec, replicas: 6 } }));
    await w.until(async () => readyIn(w, { 'zone-a': 2, 'zone-b': 4 }), 1200);
  });

  it('Adaptive with reserveUnschedulablePods: zone-a keeps its pending pods reserved while substitutes run in zone-b; once zone-a runs them, the substitutes go', async () => {
    world = await startUnitedDeploymentWorld({ nodes: [{ zone: 'zone-b' }] });
    const w = world;
    const reserved = async () => (await w.pods()).filter((p) => p.metadata.labels?.[UNITED_DEPLOYMENT_RESERVED_POD_LABEL] === 'true').map((p) => p.metadata.labels?.[SUBSET_NAME_LABEL]);
    await w.create({
      replicas: 2,
      subsets: [{ name: 'zone-a', zone: 'zone-a' }, { name: 'zone-b', zone: 'zone-b' }],
      scheduleStrategy: { type: 'Adaptive', adaptive: { rescheduleCriticalSeconds: 10, unschedulableDuration: 30, reserveUnschedulablePods: true } },
    });
    await w.until(async () => (await reserved()).length === 2 && (await readyIn(w, { 'zone-b': 2 })), 1200);
    expect(replicasOf(await w.children())).toEqual({ 'zone-a': 2, 'zone-b': 2 });
    expect(await reserved()).toEqual(['zone-a', 'zone-a']);
    expect((await w.get()).status).toMatchObject({ reservedPods: 2, labelSelector: `app=web,${UNITED_DEPLOYMENT_RESERVED_POD_LABEL}=false` });
    await w.cluster.addNode({ zone: 'zone-a' });
    await w.until(async () => JSON.stringify(replicasOf(await w.children())) === JSON.stringify({ 'zone-a': 2, 'zone-b': 0 }) && (await readyIn(w, { 'zone-a': 2, 'zone-b': 0 })), 1500);
    expect(await reserved()).toEqual([]);
  });
});
