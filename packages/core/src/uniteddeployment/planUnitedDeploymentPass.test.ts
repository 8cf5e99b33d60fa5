import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KRUISE_CONTROLLER_REVISION_HASH_LABEL, SUBSET_NAME_LABEL, SUBSET_PATCH_ANNOTATION } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import type { UnitedDeployment } from '../api/unitedDeployment.js';
import { aPod } from '../testing/podBuilder.js';
import { aUnitedDeployment, type SubsetOption } from '../testing/unitedDeploymentBuilder.js';
import { formatTime } from '../shared/podState.js';
import { allPlannedEffects } from '../workload/workloadPassPlan.js';
import { simulateWorkloadEffects, type SimulatedWorld } from '../workload/simulateWorkloadEffects.js';
import type { OwnedObject, WorkloadEffect } from '../workload/workloadEffect.js';
import { buildSubsetChild, subsetChildPrefix, subsetPodTemplate } from './buildSubsetChild.js';
import { planUnitedDeploymentPass, type UnitedDeploymentSnapshot } from './planUnitedDeploymentPass.js';
import type { SubsetChild } from './subsetChildren.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const zones: readonly SubsetOption[] = [
  { name: 'zone-a', zone: 'zone-a', replicas: '20%' },
  { name: 'zone-b', zone: 'zone-b', replicas: 3 },
  { name: 'zone-c', zone: 'zone-c' },
];

type Spec = { replicas: number; selector: { matchLabels: Record<string, string> }; updateStrategy?: Record<string, unknown>; template: { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> } };
const specOf = (o: OwnedObject): Spec => o.spec as Spec;

/** Runs passes on a simulated world whose children report their spec replicas as ready. */
function converge(ud: UnitedDeployment, passes = 4): { world: SimulatedWorld; ud: UnitedDeployment } {
  let world: SimulatedWorld = { pods: [], pvcs: [], revisions: [], owned: [] };
  let current = ud;
  for (let i = 0; i < passes; i++) {
    const plan = planUnitedDeploymentPass({ unitedDeployment: current, children: world.owned ?? [], pods: [], revisions: world.revisions, now: NOW + i });
    world = simulateWorkloadEffects(world, allPlannedEffects(plan), NOW + i);
    world = { ...world, owned: (world.owned ?? []).map((o) => ({ ...o, status: { replicas: specOf(o).replicas, readyReplicas: specOf(o).replicas } })) };
    current = { ...current, status: plan.status };
  }
  return { world, ud: current };
}

const bySubset = (world: SimulatedWorld) => Object.fromEntries((world.owned ?? []).map((o) => [o.metadata.labels?.[SUBSET_NAME_LABEL] ?? '', o]));

describe('planUnitedDeploymentPass', () => {
  it('creates one child per subset: 10 over zone-a 20 %, zone-b 3, zone-c → CloneSets of 2, 3, 5 in their zones', () => {
    const ud = aUnitedDeployment({ replicas: 10, subsets: zones });
    const plan = planUnitedDeploymentPass({ unitedDeployment: ud, children: [], pods: [], revisions: [], now: NOW });
    expect(plan.step).toMatchObject({ kind: 'sync', allocator: 'specific', replicas: { 'zone-a': 2, 'zone-b': 3, 'zone-c': 5 }, create: ['zone-a', 'zone-b', 'zone-c'], delete: [], update: [] });
    expect(plan.prelude.flat().map((e) => e.kind)).toEqual(['create-revision']);
    // Slow start: one child, then two.
    expect(plan.effects.map((w) => w.length)).toEqual([1, 2]);
    const created = plan.effects.flat().map((e) => (e as Extract<WorkloadEffect, { kind: 'create-owned' }>).object);
    expect(created.map((o) => [o.kind, o.metadata.generateName, specOf(o).replicas])).toEqual([
      ['CloneSet', 'web-zone-a-', 2],
      ['CloneSet', 'web-zone-b-', 3],
      ['CloneSet', 'web-zone-c-', 5],
    ]);
    const zoneA = created[0] as OwnedObject;
    expect(specOf(zoneA).selector).toEqual({ matchLabels: { app: 'web', [SUBSET_NAME_LABEL]: 'zone-a' } });
    expect(specOf(zoneA).template.spec['affinity']).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a'] }] }] } } });
    expect(zoneA.metadata.ownerReferences).toEqual([{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'UnitedDeployment', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }]);
    expect(zoneA.metadata.annotations).toEqual({ [SUBSET_PATCH_ANNOTATION]: '' });
    expect(plan.events).toEqual([{ type: 'Normal', reason: 'SuccessfulUpdateSubset', message: 'Create 3 Subset (CloneSet)' }]);
  });

  it.each([
    ['advancedStatefulSetTemplate', 'apps.kruise.io/v1beta1', 'StatefulSet', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }],
    ['statefulSetTemplate', 'apps/v1', 'StatefulSet', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }],
    ['deploymentTemplate', 'apps/v1', 'Deployment', undefined],
  ] as const)('makes %s children (%s %s) with the partition where the kind has one', (templateKind, apiVersion, kind, strategy) => {
    const { world } = converge(aUnitedDeployment({ replicas: 10, subsets: zones, templateKind }));
    const children = bySubset(world);
    expect(Object.values(children).map((o) => [o.apiVersion, o.kind, specOf(o).replicas])).toEqual([
      [apiVersion, kind, 2],
      [apiVersion, kind, 3],
      [apiVersion, kind, 5],
    ]);
    expect(specOf(children['zone-a'] as OwnedObject).updateStrategy).toEqual(strategy);
  });

  it('allocates min/max: replicas 9 over (min 2, max 4) and (min 2) → 4 and 5', () => {
    const { world } = converge(aUnitedDeployment({ replicas: 9, subsets: [{ name: 'a', zone: 'zone-a', minReplicas: 2, maxReplicas: 4 }, { name: 'b', zone: 'zone-b', minReplicas: 2 }] }));
    expect(Object.fromEntries(Object.entries(bySubset(world)).map(([n, o]) => [n, specOf(o).replicas]))).toEqual({ a: 4, b: 5 });
  });

  it('is steady once converged: no effects, the status counts every subset', () => {
    const { world, ud } = converge(aUnitedDeployment({ replicas: 10, subsets: zones }));
    const plan = planUnitedDeploymentPass({ unitedDeployment: ud, children: world.owned ?? [], pods: [], revisions: world.revisions, now: NOW + 10 });
    expect(allPlannedEffects(plan)).toEqual([]);
    expect(plan.status).toMatchObject({
      replicas: 10,
      readyReplicas: 10,
      observedGeneration: 1,
      labelSelector: 'app=web',
      subsetStatuses: [
        { name: 'zone-a', replicas: 2, readyReplicas: 2, partition: 0 },
        { name: 'zone-b', replicas: 3, readyReplicas: 3, partition: 0 },
        { name: 'zone-c', replicas: 5, readyReplicas: 5, partition: 0 },
      ],
    });
    expect(plan.status.currentRevision).toBe(plan.status.updatedRevision);
    expect(plan.status.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['UnitedDeploymentUpdated', 'True'],
      ['SubsetProvisioned', 'True'],
      ['SubsetUpdated', 'True'],
    ]);
  });

  it('patches every child on a template change (a JSON patch of what differs) and sets the partitions', () => {
    const { world, ud } = converge(aUnitedDeployment({ replicas: 10, subsets: zones }));
    const next = aUnitedDeployment({ replicas: 10, subsets: zones, containers: [{ name: 'main', image: 'nginx:2' }], partitions: { 'zone-a': 1 } });
    const plan = planUnitedDeploymentPass({ unitedDeployment: { ...next, status: ud.status }, children: world.owned ?? [], pods: [], revisions: world.revisions, now: NOW + 10 });
    expect(plan.step).toMatchObject({ kind: 'sync', partitions: { 'zone-a': 1, 'zone-b': 0, 'zone-c': 0 }, update: [{ subset: 'zone-a', why: ['revision-changed', 'partition-changed'] }, { subset: 'zone-b', why: ['revision-changed'] }, { subset: 'zone-c', why: ['revision-changed'] }] });
    const patches = allPlannedEffects(plan).filter((e): e is Extract<WorkloadEffect, { kind: 'patch-owned' }> => e.kind === 'patch-owned');
    const zoneA = patches[0]?.operations ?? [];
    expect(zoneA).toContainEqual({ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:2' });
    expect(zoneA).toContainEqual({ op: 'replace', path: '/spec/updateStrategy/rollingUpdate/partition', value: 1 });
    expect(zoneA.some((op) => op.path === '/spec/replicas')).toBe(false);
    expect(plan.status.conditions?.find((c) => c.type === 'UnitedDeploymentUpdated')).toMatchObject({ status: 'False', reason: 'UnitedDeploymentRevisionUpdating' });
    const after = simulateWorkloadEffects(world, allPlannedEffects(plan), NOW + 10);
    const revision = plan.status.updatedRevision ?? '';
    expect(Object.values(bySubset(after)).map((o) => specOf(o).template.metadata.labels[KRUISE_CONTROLLER_REVISION_HASH_LABEL])).toEqual([revision, revision, revision]);
  });

  it('deletes the child of a removed subset, and duplicates of a subset (the oldest stays)', () => {
    const { world, ud } = converge(aUnitedDeployment({ replicas: 10, subsets: zones }));
    const twin = { ...(bySubset(world)['zone-b'] as OwnedObject), metadata: { ...(bySubset(world)['zone-b'] as OwnedObject).metadata, name: 'web-zone-b-twin', uid: 'uid-twin', creationTimestamp: formatTime(NOW + 100) } };
    const next = aUnitedDeployment({ replicas: 10, subsets: [zones[1] as SubsetOption, zones[2] as SubsetOption] });
    const plan = planUnitedDeploymentPass({ unitedDeployment: { ...next, status: ud.status }, children: [...(world.owned ?? []), twin], pods: [], revisions: world.revisions, now: NOW + 10 });
    expect(plan.step).toMatchObject({ delete: ['web-zone-b-twin', (bySubset(world)['zone-a'] as OwnedObject).metadata.name] });
    expect(allPlannedEffects(plan).filter((e) => e.kind === 'delete-owned').map((e) => e.reason)).toEqual(['duplicate-or-other-kind', 'subset-removed']);
  });

  it('refuses an allocation the subsets cannot make, with OpenKruise’s Warning, and leaves the children', () => {
    const ud = aUnitedDeployment({ replicas: 10, subsets: [{ name: 'a', replicas: 6 }, { name: 'b', replicas: 6 }] });
    const plan = planUnitedDeploymentPass({ unitedDeployment: ud, children: [], pods: [], revisions: [], now: NOW });
    expect(plan.step).toEqual({ kind: 'allocation-refused', reason: 'specified-above-total', message: "specified subsets' replica (12) is greater than UnitedDeployment replica (10)" });
    expect(plan.effects).toEqual([]);
    expect(plan.events).toEqual([{ type: 'Warning', reason: 'Failed SpecifySubsetReplicas', message: "Specified subset replicas is ineffective: specified subsets' replica (12) is greater than UnitedDeployment replica (10)" }]);
  });

  it('moves replicas away from a subset whose pods stay pending (Adaptive), and comes back after unschedulableDuration', () => {
    const strategy = { type: 'Adaptive', adaptive: { rescheduleCriticalSeconds: 30, unschedulableDuration: 300 } } as const;
    const ud = aUnitedDeployment({ replicas: 4, subsets: [{ name: 'a', zone: 'zone-a', maxReplicas: 2 }, { name: 'b', zone: 'zone-b' }], scheduleStrategy: strategy });
    const { world, ud: converged } = converge(ud);
    const a = bySubset(world)['a'] as OwnedObject;
    const pending = (name: string): Pod => {
      const pod = aPod({ name, createdAt: NOW - 60_000, phase: 'pending', labels: { app: 'web', [SUBSET_NAME_LABEL]: 'a' } });
      const { nodeName: _unbound, ...spec } = pod.spec;
      return { ...pod, spec, status: { ...pod.status, phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } };
    };
    const stuck: SubsetChild = { ...a, status: { replicas: 2, readyReplicas: 0 } };
    const children = (world.owned ?? []).map((o) => (o === a ? stuck : o));
    const snapshot: UnitedDeploymentSnapshot = { unitedDeployment: converged, children, pods: [pending('a-1'), pending('a-2')], revisions: world.revisions, now: NOW + 10 };
    const plan = planUnitedDeploymentPass(snapshot);
    expect(plan.step).toMatchObject({ allocator: 'adaptive', replicas: { a: 0, b: 4 }, reasons: { a: 'unschedulable-capped' } });
    expect(plan.status.subsetStatuses?.[0]?.conditions).toEqual([{ type: 'Schedulable', status: 'False', lastTransitionTime: formatTime(NOW + 10), reason: 'reschedule', message: 'timeout pending pods found' }]);
    expect(plan.requeueAfterMs).toBe(300_000);
    // After the pending pods went (a scaled to 0), a stays unschedulable until the duration ends, then gets its share back.
    const drained: SubsetChild = { ...a, spec: { ...(a.spec as object), replicas: 0 }, status: { replicas: 0, readyReplicas: 0 } };
    const later = (now: number) => planUnitedDeploymentPass({ ...snapshot, unitedDeployment: { ...converged, status: plan.status }, children: children.map((o) => (o === stuck ? drained : o)), pods: [], now });
    expect(later(NOW + 200_000).step).toMatchObject({ replicas: { a: 0, b: 4 }, reasons: { a: 'unschedulable-capped' } });
    // Recovered: b still runs its first 2, so a gets its 2 back.
    expect(later(NOW + 400_000).step).toMatchObject({ replicas: { a: 2, b: 2 } });
    expect(later(NOW + 400_000).status.subsetStatuses?.[0]?.conditions?.[0]).toMatchObject({ status: 'True', reason: 'recover' });
    // Had b started the moved replicas, its 4 running pods are kept (OpenKruise never deletes running pods to move them back).
    const grown = (o: SubsetChild): SubsetChild => (o.metadata.labels?.[SUBSET_NAME_LABEL] === 'b' ? { ...o, spec: { ...(o.spec as object), replicas: 4 }, status: { replicas: 4, readyReplicas: 4 } } : o);
    const kept = planUnitedDeploymentPass({ ...snapshot, unitedDeployment: { ...converged, status: plan.status }, children: children.map((o) => (o === stuck ? drained : grown(o))), pods: [], now: NOW + 400_000 });
    expect(kept.step).toMatchObject({ replicas: { a: 0, b: 4 }, reasons: { b: 'running-kept' } });
  });
});

describe('subset children', () => {
  it('applies the subset patch as a strategic merge patch of the pod template (containers by name)', () => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'nginx:1' }, { name: 'side', image: 'log:1' }] } };
    const patched = subsetPodTemplate(template, { name: 'a', tolerations: [{ key: 'edge', operator: 'Exists' }], patch: { metadata: { labels: { zone: 'a' } }, spec: { containers: [{ name: 'main', image: 'nginx:2', env: [{ name: 'ZONE', value: 'a' }] }] } } });
    expect(patched).toEqual({
      metadata: { labels: { app: 'web', zone: 'a' } },
      spec: { containers: [{ name: 'main', image: 'nginx:2', env: [{ name: 'ZONE', value: 'a' }] }, { name: 'side', image: 'log:1' }], tolerations: [{ key: 'edge', operator: 'Exists' }] },
    });
  });

  it('records the patch in the subset-patch annotation', () => {
    const ud = aUnitedDeployment({ replicas: 2, subsets: [{ name: 'a', patch: { metadata: { labels: { zone: 'a' } } } }] });
    expect(buildSubsetChild({ ud, field: 'cloneSetTemplate', subset: ud.spec.topology?.subsets?.[0] ?? { name: 'a' }, revision: 'web-1', replicas: 2, partition: 0 }).metadata.annotations).toEqual({ [SUBSET_PATCH_ANNOTATION]: '{"metadata":{"labels":{"zone":"a"}}}' });
  });

  it.each([
    ['web', 'zone-a', 'web-zone-a-'],
    ['web', 'Zone_A', 'web-'],
  ])('names the children of %s/%s with the prefix %s', (ud, subset, prefix) => {
    expect(subsetChildPrefix(ud, subset)).toBe(prefix);
  });
});

describe('planUnitedDeploymentPass properties', () => {
  it('the children’s replicas sum to spec.replicas after convergence, one child per subset', () => {
    const arb = fc.record({
      replicas: fc.nat(30),
      subsets: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 4 }),
      fixed: fc.nat(3),
    });
    fc.assert(
      fc.property(arb, ({ replicas, subsets, fixed }) => {
        const options = subsets.map((name, i) => (i === 0 && subsets.length > 1 ? { name, replicas: Math.min(fixed, replicas) } : { name }));
        const { world } = converge(aUnitedDeployment({ replicas, subsets: options }), 3);
        const children = world.owned ?? [];
        expect(children.map((o) => o.metadata.labels?.[SUBSET_NAME_LABEL]).sort()).toEqual([...subsets].sort());
        expect(children.reduce((sum, o) => sum + specOf(o).replicas, 0)).toBe(replicas);
      }),
      { numRuns: 60 },
    );
  });
});
