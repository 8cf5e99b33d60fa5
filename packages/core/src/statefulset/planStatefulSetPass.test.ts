import { describe, expect, it } from 'vitest';
import { CONTROLLER_REVISION_HASH_LABEL, LIFECYCLE_STATE_LABEL, POD_INDEX_LABEL, SPECIFIED_DELETE_LABEL, STATEFULSET_POD_NAME_LABEL } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import type { StatefulSet } from '../api/statefulSet.js';
import { aStatefulSet, at, becomeReady, simulateStatefulSetPass, T0, withPods, type StatefulSetOptions, type StatefulSetSimulation } from '../testing/index.js';
import { allPlannedEffects } from '../workload/workloadPassPlan.js';
import type { WorkloadEffect } from '../workload/workloadEffect.js';
import { planStatefulSetPass } from './planStatefulSetPass.js';

const empty = { pods: [], pvcs: [], revisions: [] };
const names = (pods: readonly Pod[]): string[] => pods.map((p) => p.metadata.name ?? '').sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
const kinds = (effects: readonly WorkloadEffect[]): string[] => effects.map((e) => `${e.kind} ${'target' in e ? e.target.name : e.kind === 'create-pod' ? (e.pod.metadata.name ?? '') : e.kind === 'create-pvc' ? (e.pvc.metadata.name ?? '') : ''}`.trim());
const stageEffects = (sim: StatefulSetSimulation, now = T0) => planStatefulSetPass({ statefulSet: sim.statefulSet, ...sim.world, now }).effects.flat();

function start(options: StatefulSetOptions): StatefulSetSimulation {
  return { statefulSet: aStatefulSet(options), world: empty };
}

/** Runs passes until nothing is written, the kubelet making every pod ready after each pass. */
function converge(sim: StatefulSetSimulation, now = T0, limit = 60): StatefulSetSimulation {
  let current = sim;
  for (let i = 0; i < limit; i++) {
    const pass = simulateStatefulSetPass(current, { now: now + i * 1000 });
    current = withPods(pass.next, (pods) => becomeReady(pods, now + i * 1000));
    if (allPlannedEffects(pass.plan).length === 0) return current;
  }
  throw new Error('did not converge');
}

function withTemplateImage(set: StatefulSet, image: string): StatefulSet {
  const [main, ...rest] = set.spec.template.spec.containers;
  return { ...set, metadata: { ...set.metadata, generation: (set.metadata?.generation ?? 1) + 1 }, spec: { ...set.spec, template: { ...set.spec.template, spec: { ...set.spec.template.spec, containers: [{ ...main, name: main?.name ?? 'main', image }, ...rest] } } } };
}

function patchSpec(sim: StatefulSetSimulation, spec: Partial<StatefulSet['spec']>): StatefulSetSimulation {
  return { ...sim, statefulSet: { ...sim.statefulSet, metadata: { ...sim.statefulSet.metadata, generation: (sim.statefulSet.metadata?.generation ?? 1) + 1 }, spec: { ...sim.statefulSet.spec, ...spec } } };
}

describe('planStatefulSetPass: scaling', () => {
  it('OrderedReady creates one pod at a time, each after its predecessor is Ready', () => {
    let sim = start({ replicas: 3 });
    const first = simulateStatefulSetPass(sim, { now: T0 });
    expect(first.plan.step.replicas?.end).toEqual({ kind: 'exit', reason: 'created-one-at-a-time', ordinal: 0 });
    expect(names(first.next.world.pods)).toEqual(['web-0']);
    // web-0 exists but is not ready: nothing more.
    sim = withPods(first.next, (pods) => pods.map((p) => ({ ...p, status: { phase: 'Pending' } })));
    const waiting = simulateStatefulSetPass(sim, { now: at(1) });
    expect(waiting.plan.step.replicas?.end).toEqual({ kind: 'exit', reason: 'waiting-for-available', ordinal: 0 });
    expect(waiting.plan.effects).toEqual([]);
    sim = withPods(waiting.next, (pods) => becomeReady(pods, at(2)));
    expect(names(simulateStatefulSetPass(sim, { now: at(3) }).next.world.pods)).toEqual(['web-0', 'web-1']);
  });

  it('gives a pod its identity: name, hostname, subdomain, labels, controller, lifecycle state', () => {
    const pass = simulateStatefulSetPass(start({ replicas: 1, serviceName: 'nginx' }), { now: T0 });
    const pod = pass.next.world.pods[0] as Pod;
    expect(pod.metadata).toMatchObject({
      name: 'web-0',
      generateName: 'web-',
      namespace: 'default',
      labels: { app: 'web', [STATEFULSET_POD_NAME_LABEL]: 'web-0', [POD_INDEX_LABEL]: '0', [CONTROLLER_REVISION_HASH_LABEL]: pass.plan.updateRevision.metadata.name, [LIFECYCLE_STATE_LABEL]: 'Normal' },
      ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }],
    });
    expect(pod.spec).toMatchObject({ hostname: 'web-0', subdomain: 'nginx' });
    expect(pass.plan.events).toEqual([]);
    expect(pass.plan.effects.flat().find((e) => e.kind === 'create-pod')?.events?.success).toEqual({ type: 'Normal', reason: 'SuccessfulCreate', message: 'create Pod web-0 in StatefulSet web successful' });
  });

  it('Parallel creates every missing pod, in slow-start waves', () => {
    const pass = simulateStatefulSetPass(start({ replicas: 5, podManagementPolicy: 'Parallel' }), { now: T0 });
    expect(pass.plan.effects.map((w) => w.length)).toEqual([1, 2, 2]);
    expect(names(pass.next.world.pods)).toEqual(['web-0', 'web-1', 'web-2', 'web-3', 'web-4']);
  });

  it('Parallel with scaleStrategy.maxUnavailable 2 keeps at most 2 pods not available', () => {
    const first = simulateStatefulSetPass(start({ replicas: 5, podManagementPolicy: 'Parallel', scaleMaxUnavailable: 2 }), { now: T0 });
    expect(names(first.next.world.pods)).toEqual(['web-0', 'web-1']);
    expect(first.plan.step.replicas?.end).toEqual({ kind: 'break', reason: 'scale-max-unavailable', ordinal: 1 });
    const stuck = withPods(first.next, (pods) => pods.map((p) => ({ ...p, status: { phase: 'Pending' } })));
    expect(stageEffects(stuck, at(1)).filter((e) => e.kind === 'create-pod')).toEqual([]);
    const oneReady = withPods(first.next, (pods) => becomeReady(pods.slice(0, 1), at(1)).concat(pods.slice(1).map((p) => ({ ...p, status: { phase: 'Pending' } }))));
    expect(kinds(stageEffects(oneReady, at(2)))).toEqual(['create-pod web-2']);
  });

  it('skips reserved ordinals: replicas 4 with [1, "3-4"] gives pods 0, 2, 5, 6', () => {
    const sim = converge(start({ replicas: 4, podManagementPolicy: 'Parallel', reserveOrdinals: [1, '3-4'] }));
    expect(names(sim.world.pods)).toEqual(['web-0', 'web-2', 'web-5', 'web-6']);
    // Reserving 0 instead moves pods: 0, 5 and 6 go, 1, 3 and 4 come.
    const moved = converge(patchSpec(sim, { reserveOrdinals: [0] }), at(100));
    expect(names(moved.world.pods)).toEqual(['web-1', 'web-2', 'web-3', 'web-4']);
  });

  it('OrderedReady scale-down deletes the highest ordinal first, one at a time', () => {
    const five = converge(start({ replicas: 5 }));
    const down = patchSpec(five, { replicas: 2 });
    const pass = simulateStatefulSetPass(down, { now: at(100) });
    expect(kinds(pass.plan.effects.flat())).toEqual(['delete-pod web-4']);
    expect(pass.plan.step.scaleDown?.end).toEqual({ kind: 'exit', reason: 'deleted-one-at-a-time', pod: 'web-4' });
    // web-3 waits while web-4 terminates.
    const terminating = withPods(down, (pods) => pods.map((p) => (p.metadata.name === 'web-4' ? { ...p, metadata: { ...p.metadata, deletionTimestamp: '2025-01-01T00:01:40Z' } } : p)));
    expect(stageEffects(terminating, at(101))).toEqual([]);
    expect(names(converge(down, at(100)).world.pods)).toEqual(['web-0', 'web-1']);
  });

  it('Parallel scale-down deletes every condemned pod at once', () => {
    const five = converge(start({ replicas: 5, podManagementPolicy: 'Parallel' }));
    expect(kinds(stageEffects(patchSpec(five, { replicas: 2 }), at(100)))).toEqual(['delete-pod web-4', 'delete-pod web-3', 'delete-pod web-2']);
  });

  it('replaces a Failed pod: deleted this pass, created again with the same name the next', () => {
    const three = converge(start({ replicas: 3, podManagementPolicy: 'Parallel' }));
    const failed = withPods(three, (pods) => pods.map((p) => (p.metadata.name === 'web-1' ? { ...p, status: { ...p.status, phase: 'Failed' } } : p)));
    const pass = simulateStatefulSetPass(failed, { now: at(100) });
    expect(kinds(pass.plan.effects.flat())).toEqual(['delete-pod web-1']);
    expect(pass.plan.step.replicas?.end).toEqual({ kind: 'exit', reason: 'replacing-finished-pod', ordinal: 1 });
    expect(kinds(simulateStatefulSetPass(pass.next, { now: at(101) }).plan.effects.flat())).toEqual(['create-pod web-1']);
  });

  it('moves a condemned pod with the preDelete hook to PreparingDelete instead of deleting it', () => {
    const lifecycle = { preDelete: { labelsHandler: { 'example.com/hold': 'true' } } };
    const two = converge(start({ replicas: 2, lifecycle }));
    const held = withPods(two, (pods) => pods.map((p) => ({ ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, 'example.com/hold': 'true' } } })));
    const pass = simulateStatefulSetPass(patchSpec(held, { replicas: 1 }), { now: at(100) });
    expect(pass.plan.step.scaleDown?.actions).toMatchObject([{ kind: 'prepare-delete', transition: { to: 'PreparingDelete' } }]);
    expect(kinds(pass.plan.effects.flat())).toEqual(['patch-pod web-1']);
  });

  it('does nothing but its status while the set is being deleted', () => {
    const three = converge(start({ replicas: 3 }));
    const deleting = { ...three, statefulSet: { ...three.statefulSet, metadata: { ...three.statefulSet.metadata, deletionTimestamp: '2025-01-01T00:01:00Z' }, spec: { ...three.statefulSet.spec, replicas: 0 } } };
    const plan = planStatefulSetPass({ statefulSet: deleting.statefulSet, ...deleting.world, now: at(100) });
    expect(plan.step.stage).toBe('deleting');
    expect(plan.effects).toEqual([]);
    expect(plan.status.replicas).toBe(3);
  });
});

describe('planStatefulSetPass: PVCs', () => {
  it('creates a PVC per claim template before the pod, labelled with the selector, and mounts it', () => {
    const pass = simulateStatefulSetPass(start({ replicas: 1, volumeClaimTemplates: ['data'] }), { now: T0 });
    expect(kinds(pass.plan.effects.flat())).toEqual(['create-pvc data-web-0', 'create-pod web-0']);
    expect(pass.plan.effects.map((w) => w.length)).toEqual([1, 1]);
    expect(pass.next.world.pvcs[0]?.metadata).toMatchObject({ name: 'data-web-0', namespace: 'default', labels: { app: 'web' } });
    expect(pass.next.world.pods[0]?.spec.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }]);
  });

  it('reuses the PVC when a deleted pod comes back', () => {
    const one = converge(start({ replicas: 1, volumeClaimTemplates: ['data'] }));
    const gone = withPods(one, () => []);
    expect(kinds(stageEffects(gone, at(100)))).toEqual(['create-pod web-0']);
  });

  it('whenDeleted Delete: a new PVC is owned by the set', () => {
    const pass = simulateStatefulSetPass(start({ replicas: 1, volumeClaimTemplates: ['data'], retentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } }), { now: T0 });
    expect(pass.next.world.pvcs[0]?.metadata.ownerReferences).toEqual([{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web', uid: 'uid-web' }]);
  });

  it('whenScaled Delete: a scaled-down pod owns its PVC before it is deleted', () => {
    const two = converge(start({ replicas: 2, volumeClaimTemplates: ['data'], retentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } }));
    const pass = simulateStatefulSetPass(patchSpec(two, { replicas: 1 }), { now: at(100) });
    expect(kinds(pass.plan.effects.flat())).toEqual(['set-pvc-owners data-web-1', 'delete-pod web-1']);
    expect(pass.plan.effects.flat()[0]).toMatchObject({ ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: 'uid-web-1' }] });
  });

  it('whenScaled Delete: does not create a pod while its PVC still belongs to the earlier pod', () => {
    const one = converge(start({ replicas: 1, volumeClaimTemplates: ['data'], retentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } }));
    const stale = { ...one, world: { ...one.world, pods: [], pvcs: one.world.pvcs.map((pvc) => ({ ...pvc, metadata: { ...pvc.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'web-0', uid: 'old' }] } })) } };
    const plan = planStatefulSetPass({ statefulSet: stale.statefulSet, ...stale.world, now: at(100) });
    expect(plan.step.replicas?.end).toEqual({ kind: 'exit', reason: 'stale-claim', ordinal: 0 });
    expect(plan.effects).toEqual([]);
  });

  it('reports a failed create as FailedCreatePod', () => {
    const pass = simulateStatefulSetPass(start({ replicas: 1 }), { now: T0, fails: (e) => e.kind === 'create-pod' });
    expect(pass.next.statefulSet.status?.conditions).toMatchObject([{ type: 'FailedCreatePod', status: 'True', message: 'StatefulPodControl failed to create Pod error: create-pod refused' }]);
  });
});

describe('planStatefulSetPass: adoption', () => {
  it('adopts an orphan named like a replica that the selector matches, and releases an owned pod it no longer matches', () => {
    const set = aStatefulSet({ replicas: 2, podManagementPolicy: 'Parallel' });
    const orphan = becomeReady([{ metadata: { name: 'web-0', namespace: 'default', uid: 'u0', labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'nginx:1' }] } }], T0)[0] as Pod;
    const stray = becomeReady([{ metadata: { name: 'web-1', namespace: 'default', uid: 'u1', labels: { app: 'other' }, ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true }] }, spec: { containers: [{ name: 'main', image: 'nginx:1' }] } }], T0)[0] as Pod;
    const plan = planStatefulSetPass({ statefulSet: set, pods: [orphan, stray], pvcs: [], revisions: [], now: T0 });
    expect(kinds(plan.prelude.flat()).slice(0, 2)).toEqual(['adopt-pod web-0', 'release-pod web-1']);
    // The adopted pod is a replica: it gets its identity label, and only web-1 is created.
    expect(kinds(plan.effects.flat())).toEqual(['patch-pod web-0', 'create-pod web-1']);
    expect(plan.step.replicas?.actions[0]).toMatchObject({ kind: 'restore-identity', labels: { [STATEFULSET_POD_NAME_LABEL]: 'web-0', [POD_INDEX_LABEL]: '0' } });
  });
});

describe('planStatefulSetPass: rolling update', () => {
  it('ordered: updates from the highest ordinal down to the partition, one unavailable at a time', () => {
    const five = converge(start({ replicas: 5, partition: 2 }));
    const r1 = five.statefulSet.status?.currentRevision;
    const sim = { ...five, statefulSet: withTemplateImage(five.statefulSet, 'nginx:2') };
    const pass = simulateStatefulSetPass(sim, { now: at(100) });
    expect(kinds(pass.plan.effects.flat()).filter((k) => !k.startsWith('create-revision'))).toEqual(['delete-pod web-4']);
    expect(pass.plan.step.update?.end).toEqual({ kind: 'max-unavailable', pod: 'web-3', unavailable: ['web-4'] });
    const done = converge(sim, at(100));
    const byName = new Map(done.world.pods.map((p) => [p.metadata.name, p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]]));
    const r2 = done.statefulSet.status?.updateRevision;
    expect(r2).not.toBe(r1);
    expect([...byName.entries()].sort()).toEqual([['web-0', r1], ['web-1', r1], ['web-2', r2], ['web-3', r2], ['web-4', r2]]);
    expect(done.statefulSet.status).toMatchObject({ replicas: 5, currentReplicas: 2, updatedReplicas: 3, currentRevision: r1, updateRevision: r2 });
  });

  it('a pod recreated below the partition keeps the current revision', () => {
    const five = converge(start({ replicas: 5, partition: 3 }));
    const r1 = five.statefulSet.status?.currentRevision;
    const updated = converge({ ...five, statefulSet: withTemplateImage(five.statefulSet, 'nginx:2') }, at(100));
    const gone = withPods(updated, (pods) => pods.filter((p) => p.metadata.name !== 'web-1'));
    const pass = simulateStatefulSetPass(gone, { now: at(200) });
    const created = pass.plan.effects.flat().find((e) => e.kind === 'create-pod');
    expect(created?.kind === 'create-pod' && created.pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]).toBe(r1);
    expect(created?.kind === 'create-pod' && created.pod.spec.containers[0]?.image).toBe('nginx:1');
  });

  it('stops at maxUnavailable: with 2, two pods go, the third waits', () => {
    const five = converge(start({ replicas: 5, maxUnavailable: 2 }));
    const plan = planStatefulSetPass({ statefulSet: withTemplateImage(five.statefulSet, 'nginx:2'), ...five.world, now: at(100) });
    expect(kinds(plan.effects.flat())).toEqual(['delete-pod web-4', 'delete-pod web-3']);
    expect(plan.step.update?.end).toEqual({ kind: 'max-unavailable', pod: 'web-2', unavailable: ['web-3', 'web-4'] });
  });

  it('in place: InPlaceUpdateReady False, then the image and the revision label in one patch', () => {
    const three = converge(start({ replicas: 3, podUpdatePolicy: 'InPlaceIfPossible' }));
    const plan = planStatefulSetPass({ statefulSet: withTemplateImage(three.statefulSet, 'nginx:2'), ...three.world, now: at(100) });
    const effects = plan.effects.flat();
    expect(kinds(effects)).toEqual(['patch-pod-status web-2', 'patch-pod web-2']);
    const patch = effects[1];
    expect(patch?.kind === 'patch-pod' && patch.patch.spec).toEqual({ containers: [{ name: 'main', image: 'nginx:2' }] });
    expect(patch?.kind === 'patch-pod' && Object.keys(patch.patch.metadata?.labels ?? {}).sort()).toEqual([CONTROLLER_REVISION_HASH_LABEL, LIFECYCLE_STATE_LABEL]);
    expect(patch?.events?.success?.reason).toBe('SuccessfulUpdatePodInPlace');
  });

  it('in place to convergence keeps every pod uid', () => {
    const three = converge(start({ replicas: 3, podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 2 }));
    const uids = three.world.pods.map((p) => p.metadata.uid).sort();
    const done = converge({ ...three, statefulSet: withTemplateImage(three.statefulSet, 'nginx:2') }, at(100));
    expect(done.world.pods.map((p) => p.metadata.uid).sort()).toEqual(uids);
    expect(done.world.pods.every((p) => p.spec.containers[0]?.image === 'nginx:2')).toBe(true);
    expect(done.statefulSet.status).toMatchObject({ updatedReplicas: 3, currentReplicas: 3 });
    expect(done.statefulSet.status?.currentRevision).toBe(done.statefulSet.status?.updateRevision);
  });

  it('unordered with a priority strategy updates in priority order', () => {
    const priority = { weightPriority: [{ weight: 50, matchSelector: { matchLabels: { first: 'yes' } } }] };
    const four = converge(start({ replicas: 4, podManagementPolicy: 'Parallel', unorderedUpdate: priority }));
    const marked = withPods(four, (pods) => pods.map((p) => (p.metadata.name === 'web-1' ? { ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, first: 'yes' } } } : p)));
    const plan = planStatefulSetPass({ statefulSet: withTemplateImage(marked.statefulSet, 'nginx:2'), ...marked.world, now: at(100) });
    expect(kinds(plan.effects.flat())).toEqual(['delete-pod web-1']);
  });

  it('deletes a pod labelled specified-delete within maxUnavailable, whatever the partition', () => {
    const three = converge(start({ replicas: 3, partition: 3 }));
    const marked = withPods(three, (pods) => pods.map((p) => (p.metadata.name === 'web-0' ? { ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, [SPECIFIED_DELETE_LABEL]: 'true' } } } : p)));
    const plan = planStatefulSetPass({ statefulSet: marked.statefulSet, ...marked.world, now: at(100) });
    expect(kinds(plan.effects.flat())).toEqual(['delete-pod web-0']);
    expect(plan.step.update?.actions).toMatchObject([{ kind: 'specified-delete' }]);
  });

  it('OnDelete and paused leave pods at the old revision', () => {
    for (const options of [{ updateType: 'OnDelete' as const }, { paused: true }]) {
      const two = converge(start({ replicas: 2, ...options }));
      const plan = planStatefulSetPass({ statefulSet: withTemplateImage(two.statefulSet, 'nginx:2'), ...two.world, now: at(100) });
      expect(plan.effects.flat().filter((e) => e.kind !== 'create-revision')).toEqual([]);
    }
  });

  it('InPlaceOnly refuses a change that needs a recreate, with a Warning event', () => {
    const two = converge(start({ replicas: 2, podUpdatePolicy: 'InPlaceOnly' }));
    const env = { ...two.statefulSet, spec: { ...two.statefulSet.spec, template: { ...two.statefulSet.spec.template, spec: { ...two.statefulSet.spec.template.spec, containers: [{ name: 'main', image: 'nginx:1', env: [{ name: 'A', value: '1' }] }] } } } };
    const plan = planStatefulSetPass({ statefulSet: env, ...two.world, now: at(100) });
    expect(plan.step.update?.end).toEqual({ kind: 'refused', pod: 'web-1', message: 'find strategy is InPlaceOnly but Pod web-1 can not update in-place' });
    expect(plan.events).toEqual([{ type: 'Warning', reason: 'FailedUpdatePodInPlace', message: 'find strategy is InPlaceOnly but Pod web-1 can not update in-place' }]);
    expect(plan.effects.flat().filter((e) => e.kind !== 'create-revision')).toEqual([]);
  });
});

describe('OpenKruise details found by review', () => {
  it('a claim template without a storage request counts every PVC as compatible (a missing quantity is 0)', async () => {
    const { volumeClaimsStatus } = await import('./computeStatefulSetStatus.js');
    const set = aStatefulSet({ replicas: 1 });
    const withTemplate = { ...set, spec: { ...set.spec, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }] } };
    const pvc = { metadata: { name: 'data-web-0' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }, status: { capacity: { storage: '1Gi' } } };
    const pod = { metadata: { name: 'web-0' }, spec: { containers: [] } };
    expect(volumeClaimsStatus(withTemplate, [pod], [pvc])).toEqual([{ volumeClaimName: 'data', compatibleReplicas: 1, compatibleReadyReplicas: 1 }]);
  });

  it('PVC owner references keep their order: a removed one leaves its place, an added one goes last', async () => {
    const { wantedClaimOwners } = await import('./statefulSetClaimOwners.js');
    const set = aStatefulSet({});
    const setRef = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web', uid: 'uid-web' };
    const other = { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'x' };
    const podRef = { apiVersion: 'v1', kind: 'Pod', name: 'web-0', uid: 'uid-web-0' };
    const claim = { metadata: { name: 'data-web-0', ownerReferences: [setRef, other, podRef] } };
    const pod = { metadata: { name: 'web-0', uid: 'uid-web-0' }, spec: { containers: [] } };
    expect(wantedClaimOwners(claim, set, pod, false, { whenDeleted: 'Delete', whenScaled: 'Retain' })).toEqual([setRef, other]);
    expect(wantedClaimOwners({ metadata: { name: 'data-web-0', ownerReferences: [other] } }, set, pod, true, { whenDeleted: 'Delete', whenScaled: 'Delete' })).toEqual([other, podRef]);
  });

  it('a set being deleted keeps counting the PVCs of all its pods', () => {
    const two = converge(start({ replicas: 2, podManagementPolicy: 'Parallel', volumeClaimTemplates: ['data'] }));
    const bound = { ...two.world, pvcs: two.world.pvcs.map((p) => ({ ...p, status: { phase: 'Bound', capacity: { storage: '1Gi' } } })) };
    const deleting = { ...two.statefulSet, metadata: { ...two.statefulSet.metadata, deletionTimestamp: '2025-01-01T00:01:00Z' } };
    expect(planStatefulSetPass({ statefulSet: deleting, ...bound, now: at(100) }).status.volumeClaims).toEqual([{ volumeClaimName: 'data', compatibleReplicas: 2, compatibleReadyReplicas: 2 }]);
  });
});
