import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OwnerReference } from '../api/objectMeta.js';
import type { PersistentVolumeClaim, Pod } from '../api/pod.js';
import { planCloneSetPass } from '../cloneset/planCloneSetPass.js';
import type { ControllerRevision } from '../shared/revision.js';
import { aCloneSet, aPod, aRevision, at, iso, T0 } from '../testing/index.js';
import { simulateWorkloadEffects, simulateWorkloadPass, type SimulatedWorld } from './simulateWorkloadEffects.js';
import { allPlannedEffects } from './workloadPassPlan.js';
import type { WorkloadEffect } from './workloadEffect.js';

const OWNER: OwnerReference = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true };
const ref = (name: string) => ({ namespace: 'default', name, uid: `uid-${name}` });
const pvc = (name: string): PersistentVolumeClaim => ({ metadata: { name, namespace: 'default', uid: `uid-${name}`, ownerReferences: [OWNER] } });
const stored = (revision: ControllerRevision): ControllerRevision => ({ ...revision, metadata: { ...revision.metadata, uid: `uid-${revision.metadata.name ?? ''}` } });

function webPod(): Pod {
  const pod = aPod({ name: 'web-a', labels: { app: 'web', keep: 'yes', drop: 'yes' }, annotations: { note: 'x' }, finalizers: ['f1'], containers: [{ name: 'main', image: 'nginx:1', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }] });
  return { ...pod, metadata: { ...pod.metadata, ownerReferences: [OWNER] } };
}

const world = (): SimulatedWorld => ({ pods: [webPod()], pvcs: [pvc('data-web-a')], revisions: [stored(aRevision({ name: 'web-1' }))] });
const apply = (...effects: WorkloadEffect[]) => simulateWorkloadEffects(world(), effects, at(5));
const theOnly = <T>(items: readonly T[]): T => {
  expect(items).toHaveLength(1);
  return items[0] as T;
};

describe('simulateWorkloadEffects, one effect kind at a time', () => {
  it('create-pod: the pod gets a uid and a creation time; an existing name is left alone', () => {
    const created = aPod({ name: 'web-b' });
    const fresh = { ...created, metadata: { name: 'web-b', namespace: 'default' } };
    const after = apply({ kind: 'create-pod', pod: fresh, reason: 'scale-up' });
    expect(after.pods.find((p) => p.metadata.name === 'web-b')?.metadata).toEqual({ name: 'web-b', namespace: 'default', uid: 'uid-web-b', creationTimestamp: iso(at(5)) });
    expect(apply({ kind: 'create-pod', pod: { ...webPod(), metadata: { name: 'web-a', labels: {} } }, reason: 'scale-up' }).pods).toEqual([webPod()]);
  });

  it('create-pvc, delete-pvc', () => {
    const made = apply({ kind: 'create-pvc', pvc: { metadata: { name: 'data-web-b' } }, reason: 'scale-up' });
    expect(made.pvcs.map((p) => [p.metadata.name, p.metadata.uid])).toEqual([['data-web-a', 'uid-data-web-a'], ['data-web-b', 'uid-data-web-b']]);
    expect(apply({ kind: 'delete-pvc', target: ref('data-web-a'), reason: 'pod-deleted' }).pvcs).toEqual([]);
  });

  it('delete-pod: gone at once', () => {
    expect(apply({ kind: 'delete-pod', target: ref('web-a'), reason: 'scale-down' }).pods).toEqual([]);
  });

  it('patch-pod: labels and annotations merged (null deletes), finalizers added, images set, as a strategic merge', () => {
    const patched = theOnly(
      apply({
        kind: 'patch-pod',
        target: ref('web-a'),
        patch: { metadata: { labels: { drop: null, added: 'new' }, annotations: { note: 'y' }, finalizers: ['f1', 'f2'] }, spec: { containers: [{ name: 'main', image: 'nginx:2' }] } },
        reason: 'in-place-update-started',
      }).pods,
    );
    expect(patched.metadata.labels).toEqual({ app: 'web', keep: 'yes', added: 'new' });
    expect(patched.metadata.annotations).toEqual({ note: 'y' });
    expect(patched.metadata.finalizers).toEqual(['f1', 'f2']);
    expect(patched.spec.containers).toEqual([{ ...webPod().spec.containers[0], image: 'nginx:2' }]);
  });

  it.each<{ story: string; effect: WorkloadEffect }>([
    { story: 'resize-pod sends only the changed entries', effect: { kind: 'resize-pod', target: ref('web-a'), resize: { spec: { containers: [{ name: 'main', resources: { limits: { cpu: '2' } } }] } }, reason: 'in-place-update-started' } },
    { story: 'patch-pod with a partial resources entry', effect: { kind: 'patch-pod', target: ref('web-a'), patch: { spec: { containers: [{ name: 'main', resources: { limits: { cpu: '2' } } }] } }, reason: 'in-place-update-started' } },
  ])('resources merge as a strategic merge does: $story, the other entries stay', ({ effect }) => {
    expect(theOnly(apply(effect).pods).spec.containers[0]?.resources).toEqual({ limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '500m' } });
  });

  it('patch-pod-status: conditions merged by type, the others kept', () => {
    const patched = theOnly(
      apply({
        kind: 'patch-pod-status',
        target: ref('web-a'),
        conditions: [{ type: 'Ready', status: 'False' }, { type: 'InPlaceUpdateReady', status: 'False' }],
        changes: [],
        reason: 'in-place-update-started',
      }).pods,
    );
    expect(patched.status?.conditions).toEqual([{ type: 'Ready', status: 'False' }, { type: 'InPlaceUpdateReady', status: 'False' }]);
  });

  it('release-pod: only the owner reference of that owner goes', () => {
    const other: OwnerReference = { ...OWNER, kind: 'Other', uid: 'uid-other', controller: false };
    const start = { ...world(), pods: [{ ...webPod(), metadata: { ...webPod().metadata, ownerReferences: [OWNER, other] } }] };
    const after = simulateWorkloadEffects(start, [{ kind: 'release-pod', target: ref('web-a'), ownerUid: 'uid-web', reason: 'selector-no-longer-matches' }], T0);
    expect(theOnly(after.pods).metadata.ownerReferences).toEqual([other]);
  });

  it('hand-over-pvc: the pod becomes the only owner', () => {
    const owner: OwnerReference = { apiVersion: 'v1', kind: 'Pod', name: 'web-a', uid: 'uid-web-a', controller: true, blockOwnerDeletion: true };
    expect(theOnly(apply({ kind: 'hand-over-pvc', target: ref('data-web-a'), owner, reason: 'pvc-of-inactive-pod' }).pvcs).metadata.ownerReferences).toEqual([owner]);
  });

  it('create-revision, renumber-revision (only while it still has the old number), delete-revision', () => {
    const made = apply({ kind: 'create-revision', revision: aRevision({ name: 'web-2', revision: 2 }), reason: 'template-changed' });
    expect(made.revisions.map((r) => [r.metadata.name, r.metadata.uid, r.revision])).toEqual([['web-1', 'uid-web-1', 1], ['web-2', 'uid-web-2', 2]]);
    expect(theOnly(apply({ kind: 'renumber-revision', target: ref('web-1'), from: 1, to: 3, reason: 'template-rolled-back' }).revisions).revision).toBe(3);
    expect(theOnly(apply({ kind: 'renumber-revision', target: ref('web-1'), from: 2, to: 3, reason: 'template-rolled-back' }).revisions).revision).toBe(1);
    expect(apply({ kind: 'delete-revision', target: ref('web-1'), reason: 'revision-history-limit' }).revisions).toEqual([]);
  });

  it('patch-workload: the workload is not part of the world, nothing changes', () => {
    expect(apply({ kind: 'patch-workload', operations: [{ op: 'replace', path: '/spec/replicas', value: 1 }], reason: 'x' })).toEqual(world());
  });

  it('effects apply in order: a pod created then patched has the patch', () => {
    const after = apply(
      { kind: 'create-pod', pod: aPod({ name: 'web-b' }), reason: 'scale-up' },
      { kind: 'patch-pod', target: ref('web-b'), patch: { metadata: { labels: { added: 'yes' } } }, reason: 'x' },
    );
    expect(after.pods.find((p) => p.metadata.name === 'web-b')?.metadata.labels).toMatchObject({ added: 'yes' });
  });
});

describe('simulateWorkloadPass', () => {
  it('applies the prelude, the stage and the clean-ups of a real plan: an empty CloneSet of 3 gets its revision and 3 pods', () => {
    const plan = planCloneSetPass({ cloneSet: aCloneSet({ replicas: 3 }), pods: [], pvcs: [], revisions: [], now: T0, instanceIdSuffixes: ['a', 'b', 'c'] });
    const after = simulateWorkloadPass({ pods: [], pvcs: [], revisions: [] }, plan, T0);
    expect(after.pods.map((p) => [p.metadata.name, p.metadata.uid])).toEqual([['web-a', 'uid-web-a'], ['web-b', 'uid-web-b'], ['web-c', 'uid-web-c']]);
    expect(after.revisions.map((r) => r.metadata.name)).toEqual([plan.updateRevision.metadata.name]);
  });

  it('is the effects of allPlannedEffects applied in order', () => {
    const effect = (name: string): WorkloadEffect => ({ kind: 'create-pod', pod: aPod({ name }), reason: 'scale-up' });
    const groups = fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 3 }), { maxLength: 3 });
    fc.assert(
      fc.property(groups, fc.array(fc.constantFrom('a', 'e'), { maxLength: 2 }), groups, (prelude, cleanups, effects) => {
        const plan = { prelude: prelude.map((w) => w.map(effect)), effects: effects.map((w) => w.map(effect)), cleanups: cleanups.map((name): WorkloadEffect => ({ kind: 'delete-pod', target: ref(name), reason: 'x' })) };
        const empty = { pods: [], pvcs: [], revisions: [] };
        expect(simulateWorkloadPass(empty, plan, T0)).toEqual(simulateWorkloadEffects(empty, allPlannedEffects(plan), T0));
      }),
    );
  });
});
