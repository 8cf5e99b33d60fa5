import { describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim } from '../api/pod.js';
import { aCloneSet, aPod, somePods, T0, type CloneSetOptions, type PodOptions } from '../testing/index.js';
import { planScale, type CloneSetScaleInput, type ScalePlan } from './planScale.js';
import { slowStartBatches } from '../workload/slowStart.js';

const REV = 'web-1';
const NEXT = 'web-2';
const SUFFIXES = ['b4x9k', 'c7m2p', 'd8q3r', 'f2w5t', 'g6z8v', 'h3n4s', 'j9k2l'];

function plan(cs: CloneSetOptions, pods: CloneSetScaleInput['pods'], extra: Partial<CloneSetScaleInput> = {}): ScalePlan {
  return planScale({ cloneSet: aCloneSet(cs), pods, currentRevision: REV, updateRevision: REV, now: T0, instanceIdSuffixes: SUFFIXES, ...extra });
}
const podsAt = (n: number, options: PodOptions = {}) => somePods(n, 'web', { revision: REV, lifecycle: 'Normal', ...options });
const names = (p: ScalePlan) =>
  p.kind === 'create' ? p.creations.map((c) => c.pod.metadata.name) : p.kind === 'delete' ? p.deletions.map((d) => d.pod) : [];

function pvc(name: string, id: string): PersistentVolumeClaim {
  return { metadata: { name, labels: { 'apps.kruise.io/cloneset-instance-id': id } } };
}

describe('planScale: OpenKruise TestScale', () => {
  it.each([
    { story: 'scale 5→3 with minReadySeconds 9999: ready pods not yet available, nothing deleted', cs: { minReadySeconds: 9999 }, del: false, kind: 'none', count: 0 },
    { story: 'scale 5→3 with pod-0 specified: delete pod-0 first', cs: {}, del: true, kind: 'delete', count: 1 },
    { story: 'scale 5→3: delete 2', cs: {}, del: false, kind: 'delete', count: 2 },
  ])('$story', ({ cs, del, kind, count }) => {
    const pods = somePods(5, 'web', (i) => ({ revision: REV, lifecycle: 'Normal', readySince: T0 - 10_000, specifiedDelete: i === 0 && del }));
    const result = plan({ replicas: 3, maxUnavailable: '20%', ...cs }, pods);
    expect(result.kind).toBe(kind);
    expect(names(result)).toHaveLength(count);
  });
});

describe('planScale: creations', () => {
  it('creates current-revision pods first, with sorted ids, PVCs and PreparingNormal (TestCreatePods)', () => {
    const cs = aCloneSet({ replicas: 3, partition: 1, volumeClaimTemplates: ['datadir'] });
    const result = planScale({
      cloneSet: cs, pods: [], pvcs: [pvc('datadir-web-id3', 'id3')], currentRevision: REV, updateRevision: NEXT, now: T0,
      instanceIdSuffixes: ['id4', 'id1'], currentTemplate: { ...cs.spec.template, spec: { containers: [{ name: 'main', image: 'nginx:0' }] } },
    });
    expect(result.kind).toBe('create');
    if (result.kind !== 'create') return;
    // id3 is free (its pod is gone) but PVC reuse is off: only injected suffixes are used.
    expect(result.creations.map((c) => [c.pod.metadata.name, c.revision, c.pod.spec.containers[0]?.image])).toEqual([
      ['web-id1', REV, 'nginx:0'],
      ['web-id4', NEXT, 'nginx:1'],
    ]);
    expect(result.pvcCleanup.delete).toEqual(['datadir-web-id3']);
    const first = result.creations[0]!;
    expect(first.pod.metadata.labels).toMatchObject({
      'apps.kruise.io/cloneset-instance-id': 'id1', 'controller-revision-hash': REV, 'pod-template-hash': '1', 'lifecycle.apps.kruise.io/state': 'PreparingNormal', app: 'web',
    });
    expect(first.pod.spec.readinessGates).toEqual([{ conditionType: 'InPlaceUpdateReady' }]);
    expect(first.pod.spec.volumes).toEqual([{ name: 'datadir', persistentVolumeClaim: { claimName: 'datadir-web-id1', readOnly: false } }]);
    expect(first.pvcs.map((c) => [c.metadata.name, c.metadata.labels])).toEqual([['datadir-web-id1', { app: 'web', 'apps.kruise.io/cloneset-instance-id': 'id1' }]]);
    expect(first.pod.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CloneSet', name: 'web', controller: true });
  });

  it('reuses the ids of vanished pods when PVC reuse is on, without re-creating their PVCs', () => {
    const pods = podsAt(2);
    const result = plan({ replicas: 4, enablePVCReuse: true, volumeClaimTemplates: ['data'] }, pods, { pvcs: [pvc('data-web-0', '0'), pvc('data-web-zz', 'zz')] });
    expect(result.kind === 'create' && result.creations.map((c) => [c.instanceId, c.reusesInstanceId, c.pvcs.length])).toEqual([
      ['b4x9k', false, 1],
      ['zz', true, 0],
    ]);
  });

  it.each([
    { story: 'scale 0→10 in slow-start batches', count: 10, want: [1, 2, 4, 3] },
    { story: 'scale 0→1', count: 1, want: [1] },
    { story: 'scale 0→7', count: 7, want: [1, 2, 4] },
  ])('$story', ({ count, want }) => {
    expect(slowStartBatches(count)).toEqual(want);
  });

  it.each([
    { story: 'scale 3→10 with scale maxUnavailable 2: create 2', pods: podsAt(3), want: { kind: 'create', count: 2, limitedBy: 'scale-max-unavailable' } },
    { story: 'scale 3→10 with scale maxUnavailable 2, 2 pods not ready: blocked', pods: podsAt(3, { phase: 'not-ready' }).slice(0, 3), want: { kind: 'none', count: 0 } },
  ])('$story', ({ pods, want }) => {
    const result = plan({ replicas: 10, scaleMaxUnavailable: 2 }, pods);
    expect(result.kind).toBe(want.kind);
    expect(names(result)).toHaveLength(want.count);
    if (result.kind === 'create') expect(result.limitedBy).toBe(want.limitedBy);
    if (result.kind === 'none') expect(result.reason).toBe('scale-up-blocked-by-max-unavailable');
  });

  it('reports instance ids running out', () => {
    const result = plan({ replicas: 3 }, [], { instanceIdSuffixes: ['aaaaa'] });
    expect(result.kind === 'create' && [result.creations.length, result.limitedBy]).toEqual([1, 'instance-ids-exhausted']);
  });
});

describe('planScale: instance ids and terminating PVCs (volumeClaimTemplates changed, pods recreated)', () => {
  const terminating = (name: string, id?: string): PersistentVolumeClaim => {
    const claim = pvc(name, id ?? '');
    return { metadata: { ...claim.metadata, ...(id === undefined ? { labels: {} } : {}), deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['kubernetes.io/pvc-protection'] } };
  };
  const ids = (p: ScalePlan) => (p.kind === 'create' ? p.creations.map((c) => [c.instanceId, c.reusesInstanceId, c.pvcs.map((claim) => claim.metadata.name)]) : p.kind);
  it.each<{ story: string; reuse: boolean; pvcs: PersistentVolumeClaim[]; suffixes: string[]; want: unknown }>([
    {
      story: 'reuse on: id zz still has logs-web-zz terminating → not reused, a fresh id instead',
      reuse: true, pvcs: [pvc('data-web-zz', 'zz'), terminating('logs-web-zz', 'zz')], suffixes: ['b4x9k'],
      want: [['b4x9k', false, ['data-web-b4x9k', 'logs-web-b4x9k']]],
    },
    {
      story: 'reuse on: every PVC of zz terminating → not reused',
      reuse: true, pvcs: [terminating('data-web-zz', 'zz'), terminating('logs-web-zz', 'zz')], suffixes: ['b4x9k'],
      want: [['b4x9k', false, ['data-web-b4x9k', 'logs-web-b4x9k']]],
    },
    {
      story: 'reuse on: a free id with live PVCs only is reused, without re-creating them',
      reuse: true, pvcs: [pvc('data-web-zz', 'zz'), pvc('logs-web-zz', 'zz'), terminating('data-web-yy', 'yy')], suffixes: ['b4x9k'],
      want: [['zz', true, []]],
    },
    {
      story: 'a fresh suffix equal to the id of a terminating PVC counts as taken',
      reuse: false, pvcs: [terminating('data-web-yy', 'yy')], suffixes: ['yy', 'b4x9k'],
      want: [['b4x9k', false, ['data-web-b4x9k', 'logs-web-b4x9k']]],
    },
    {
      story: 'a fresh id whose PVC name is still terminating (no id label) is skipped this pass',
      reuse: false, pvcs: [terminating('logs-web-b4x9k')], suffixes: ['b4x9k', 'c7m2p'],
      want: [['c7m2p', false, ['data-web-c7m2p', 'logs-web-c7m2p']]],
    },
    {
      story: 'reuse off: PVCs of a vanished pod deleted in this pass keep their id taken',
      reuse: false, pvcs: [pvc('data-web-zz', 'zz')], suffixes: ['zz', 'b4x9k'],
      want: [['b4x9k', false, ['data-web-b4x9k', 'logs-web-b4x9k']]],
    },
  ])('$story', ({ reuse, pvcs, suffixes, want }) => {
    const result = plan({ replicas: 3, enablePVCReuse: reuse, volumeClaimTemplates: ['data', 'logs'] }, podsAt(2), { pvcs, instanceIdSuffixes: suffixes });
    expect(ids(result)).toEqual(want);
  });
});

describe('planScale: deletions', () => {
  it('deletes the pod and PVCs sharing its instance id', () => {
    const pods = podsAt(3);
    const result = plan({ replicas: 2 }, pods, { pvcs: [pvc('data-web-0', '0'), pvc('data-web-1', '1'), pvc('data-web-2', '2')], cloneSet: aCloneSet({ replicas: 2, enablePVCReuse: true }) });
    // Identical pods on one node: the same-node ranker puts the first one first.
    expect(result.kind === 'delete' && result.deletions).toEqual([{ kind: 'delete-pod', pod: 'web-0', reason: 'scale-down', pvcs: ['data-web-0'] }]);
  });

  it('deletes in OpenKruise order: unscheduled, pending, not ready, lower cost', () => {
    const pods = [
      aPod({ name: 'ready-cheap', revision: REV, deletionCost: -5 }),
      aPod({ name: 'ready', revision: REV }),
      aPod({ name: 'not-ready', revision: REV, phase: 'not-ready' }),
      aPod({ name: 'pending', revision: REV, phase: 'pending' }),
      aPod({ name: 'unscheduled', revision: REV, phase: 'unscheduled' }),
    ];
    const result = plan({ replicas: 1, maxUnavailable: 4 }, pods);
    expect(names(result)).toEqual(['unscheduled', 'pending', 'not-ready', 'ready-cheap']);
  });

  it('takes old-revision pods first when partition keeps fewer', () => {
    const pods = [...somePods(2, 'new', { revision: NEXT }), ...somePods(2, 'old', { revision: REV })];
    const result = plan({ replicas: 2, maxUnavailable: 2 }, pods, { updateRevision: NEXT });
    expect(names(result)).toEqual(['old-0', 'old-1']);
  });

  it('moves a hooked pod to PreparingDelete instead of deleting it, marking it not ready', () => {
    const lifecycle = { preDelete: { finalizersHandler: ['example.io/unready-blocker'], markPodNotReady: true } };
    const pods = [...podsAt(2), aPod({ name: 'web-9', revision: REV, lifecycle: 'Normal', finalizers: ['example.io/unready-blocker'], readySince: T0 + 5000 })];
    const result = plan({ replicas: 2, lifecycle }, pods);
    expect(result.kind === 'delete' && result.deletions).toEqual([
      { kind: 'prepare-delete', pod: 'web-9', reason: 'scale-down', transition: { kind: 'lifecycle-transition', pod: 'web-9', from: 'Normal', to: 'PreparingDelete', reason: 'pre-delete-hook', markPodNotReady: true } },
    ]);
  });

  it.each([
    { story: 'PreparingDelete pod released by its hook is deleted first', finalizers: [], want: { kind: 'delete', reason: 'preparing-delete-released' } },
    { story: 'PreparingDelete pod still hooked waits', finalizers: ['hook'], want: { kind: 'none', reason: 'pre-delete-hooks-pending' } },
  ])('$story', ({ finalizers, want }) => {
    const lifecycle = { preDelete: { finalizersHandler: ['hook'] } };
    const pods = [...podsAt(2), aPod({ name: 'web-9', revision: REV, lifecycle: 'PreparingDelete', finalizers, specifiedDelete: true })];
    expect(plan({ replicas: 3, lifecycle }, pods)).toMatchObject(want);
  });

  it('moves a PreparingDelete pod back to PreparingNormal when replicas rose again', () => {
    const pods = [...podsAt(2), aPod({ name: 'web-9', revision: REV, lifecycle: 'PreparingDelete', finalizers: ['hook'] })];
    const result = plan({ replicas: 3, lifecycle: { preDelete: { finalizersHandler: ['hook'] } } }, pods);
    expect(result).toMatchObject({ kind: 'cancel-preparing-delete', transitions: [{ pod: 'web-9', to: 'PreparingNormal' }] });
  });

  it('never moves back with markPodNotReady', () => {
    const pods = [...podsAt(2), aPod({ name: 'web-9', revision: REV, lifecycle: 'PreparingDelete', finalizers: ['hook'] })];
    const result = plan({ replicas: 3, lifecycle: { preDelete: { finalizersHandler: ['hook'], markPodNotReady: true } } }, pods);
    expect(result).toMatchObject({ kind: 'none', reason: 'pre-delete-hooks-pending' });
  });

  it.each([
    { story: 'specified delete of a ready pod within maxUnavailable 1', maxUnavailable: 1, want: ['web-0'] },
    { story: 'specified delete of a ready pod with maxUnavailable 0 waits', maxUnavailable: 0, want: [] },
  ])('$story', ({ maxUnavailable, want }) => {
    const pods = podsAt(3).map((p, i) => (i === 0 ? aPod({ name: 'web-0', revision: REV, lifecycle: 'Normal', specifiedDelete: true }) : p));
    const result = plan({ replicas: 3, maxUnavailable }, pods);
    expect(names(result)).toEqual(want);
  });

  it('waits for specified deletions before scaling down', () => {
    const pods = [...podsAt(3), aPod({ name: 'web-7', revision: REV, lifecycle: 'PreparingDelete', finalizers: ['hook'], specifiedDelete: true })];
    const result = plan({ replicas: 2, lifecycle: { preDelete: { finalizersHandler: ['hook'] } } }, pods);
    expect(result).toMatchObject({ kind: 'none', reason: 'deletions-pending' });
  });
});
