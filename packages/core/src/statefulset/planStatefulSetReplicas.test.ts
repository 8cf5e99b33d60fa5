import { describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim, Pod } from '../api/pod.js';
import { aPod, aStatefulSet, at, type PodOptions, type StatefulSetOptions } from '../testing/index.js';
import { firstUnhealthyPod, planCondemned, planReplicaLoop, type CondemnedAction, type ReplicaLoopContext } from './planStatefulSetReplicas.js';
import { resolveStatefulSetSettings, type StatefulSetFeatureGates } from './statefulSetSettings.js';

// Expected values follow OpenKruise's stateful_set_control.go: `processCondemned` (monotonic:
// wait for a terminating condemned pod, for Running and Ready then available unless the pod is
// the first unhealthy one, delete one at a time; burst: delete every non-terminating one), the
// retention fix of condemned PVCs before it (`UpdatePodClaimForRetentionPolicy`), the search for
// `firstUnhealthyPod` (lowest ordinal among replicas, then condemned), and `processReplica`.

const NOW = at(60);
const HOOK = 'example.com/hook';
const pod = (i: number, options: PodOptions = {}): Pod => aPod({ name: `web-${String(i)}`, revision: 'web-1', labels: { app: 'web' }, ...options });

function condemnedContext(options: StatefulSetOptions = {}, pvcs: readonly PersistentVolumeClaim[] = [], gates: StatefulSetFeatureGates = {}) {
  const set = aStatefulSet({ replicas: 2, ...options });
  return { set, settings: resolveStatefulSetSettings(set, gates), pvcs: new Map(pvcs.map((p) => [p.metadata.name ?? '', p])), now: NOW };
}

const describeActions = (actions: readonly CondemnedAction[]): string[] => actions.map((a) => `${a.kind} ${a.pod.metadata.name ?? ''}`);

describe('planCondemned', () => {
  it.each<{ story: string; options?: StatefulSetOptions; condemned: Pod[]; firstUnhealthy?: number; actions: string[]; end: unknown; requeueAfterMs?: number }>([
    { story: 'OrderedReady, 4 and 3 ready → delete 4 only', condemned: [pod(4), pod(3)], actions: ['delete web-4'], end: { kind: 'exit', reason: 'deleted-one-at-a-time', pod: 'web-4' } },
    { story: 'OrderedReady, 4 terminating → wait for it', condemned: [pod(4, { phase: 'terminating' }), pod(3)], actions: [], end: { kind: 'exit', reason: 'waiting-for-termination', pod: 'web-4' } },
    { story: 'OrderedReady, 4 not ready, the first unhealthy pod is a replica → wait', condemned: [pod(4, { phase: 'not-ready' }), pod(3)], firstUnhealthy: 1, actions: [], end: { kind: 'exit', reason: 'waiting-for-ready', pod: 'web-4' } },
    { story: 'OrderedReady, 4 Pending, not the first unhealthy → wait', condemned: [pod(4, { phase: 'pending' })], firstUnhealthy: 1, actions: [], end: { kind: 'exit', reason: 'waiting-for-ready', pod: 'web-4' } },
    { story: 'OrderedReady, 4 not ready and the first unhealthy pod → delete it', condemned: [pod(4, { phase: 'not-ready' }), pod(3)], firstUnhealthy: 4, actions: ['delete web-4'], end: { kind: 'exit', reason: 'deleted-one-at-a-time', pod: 'web-4' } },
    {
      story: 'OrderedReady, minReadySeconds 10, 4 ready 4 s → wait 6 s for it',
      options: { minReadySeconds: 10 },
      condemned: [pod(4, { readySince: at(56) }), pod(3)],
      actions: [],
      end: { kind: 'exit', reason: 'waiting-for-available', pod: 'web-4' },
      requeueAfterMs: 6000,
    },
    { story: 'OrderedReady, minReadySeconds 10, 4 ready exactly 10 s → delete', options: { minReadySeconds: 10 }, condemned: [pod(4, { readySince: at(50) })], actions: ['delete web-4'], end: { kind: 'exit', reason: 'deleted-one-at-a-time', pod: 'web-4' } },
    {
      story: 'OrderedReady, 4 ready in state Updated (not available), not the first unhealthy → wait',
      condemned: [pod(4, { lifecycle: 'Updated' })],
      firstUnhealthy: 1,
      actions: [],
      end: { kind: 'exit', reason: 'waiting-for-available', pod: 'web-4' },
    },
    {
      story: 'OrderedReady, preDelete hook: 4 already PreparingDelete (nothing to do) → go on to 3, moved to PreparingDelete',
      options: { lifecycle: { preDelete: { labelsHandler: { [HOOK]: 'true' } } } },
      condemned: [pod(4, { lifecycle: 'PreparingDelete', labels: { app: 'web', [HOOK]: 'true' } }), pod(3, { lifecycle: 'Normal', labels: { app: 'web', [HOOK]: 'true' } })],
      firstUnhealthy: 4,
      actions: ['prepare-delete web-3'],
      end: { kind: 'exit', reason: 'deleted-one-at-a-time', pod: 'web-3' },
    },
    { story: 'OrderedReady, nothing condemned → complete', condemned: [], actions: [], end: { kind: 'complete' } },
    {
      story: 'Parallel deletes every non-terminating condemned pod, ready or not',
      options: { podManagementPolicy: 'Parallel' },
      condemned: [pod(5), pod(4, { phase: 'terminating' }), pod(3, { phase: 'not-ready' }), pod(2, { phase: 'pending' })],
      firstUnhealthy: 2,
      actions: ['delete web-5', 'delete web-3', 'delete web-2'],
      end: { kind: 'complete' },
    },
    {
      story: 'Parallel, minReadySeconds does not hold a deletion',
      options: { podManagementPolicy: 'Parallel', minReadySeconds: 10 },
      condemned: [pod(3, { readySince: at(59) }), pod(2)],
      actions: ['delete web-3', 'delete web-2'],
      end: { kind: 'complete' },
    },
  ])('$story', ({ options, condemned, firstUnhealthy, actions, end, requeueAfterMs }) => {
    const first = condemned.find((p) => p.metadata.name === `web-${String(firstUnhealthy)}`) ?? (firstUnhealthy === undefined ? undefined : pod(firstUnhealthy, { phase: 'not-ready' }));
    const plan = planCondemned(condemnedContext(options), condemned, first);
    expect(describeActions(plan.actions)).toEqual(actions);
    expect(plan.end).toEqual(end);
    expect(plan.requeueAfterMs).toBe(requeueAfterMs);
  });

  describe('PVC owners of condemned pods', () => {
    const claim = (i: number): PersistentVolumeClaim => ({ metadata: { name: `data-web-${String(i)}`, resourceVersion: '7' }, spec: { resources: { requests: { storage: '1Gi' } } } });
    const podRef = (i: number) => ({ apiVersion: 'v1', kind: 'Pod', name: `web-${String(i)}`, uid: `uid-web-${String(i)}` });

    it('whenScaled Delete: every condemned PVC goes to its pod first, even when OrderedReady then waits', () => {
      const context = condemnedContext({ volumeClaimTemplates: ['data'], retentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Retain' } }, [claim(3), claim(4)]);
      const plan = planCondemned(context, [pod(4, { phase: 'terminating' }), pod(3)], undefined);
      expect(describeActions(plan.actions)).toEqual(['claim-owners web-4', 'claim-owners web-3']);
      expect(plan.actions[0]).toMatchObject({ changes: [{ pvc: { metadata: { name: 'data-web-4' } }, ownerReferences: [podRef(4)] }] });
      expect(plan.end).toEqual({ kind: 'exit', reason: 'waiting-for-termination', pod: 'web-4' });
    });

    it('whenScaled Delete, whenDeleted Delete: the set reference is swapped for the pod reference', () => {
      const setRef = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web', uid: 'uid-web' };
      const owned = { ...claim(4), metadata: { ...claim(4).metadata, ownerReferences: [setRef] } };
      const context = condemnedContext({ volumeClaimTemplates: ['data'], retentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Delete' } }, [owned]);
      const plan = planCondemned(context, [pod(4)], undefined);
      expect(plan.actions).toMatchObject([{ kind: 'claim-owners', changes: [{ ownerReferences: [podRef(4)] }] }, { kind: 'delete' }]);
    });

    it.each([
      { story: 'Retain/Retain and no owners: nothing to change', options: { volumeClaimTemplates: ['data'] }, gates: {} },
      { story: 'whenScaled Delete but StatefulSetAutoDeletePVC off: policy ignored', options: { volumeClaimTemplates: ['data'], retentionPolicy: { whenScaled: 'Delete' as const, whenDeleted: 'Retain' as const } }, gates: { StatefulSetAutoDeletePVC: false } },
      { story: 'whenScaled Delete, the PVC missing: nothing to change', options: { volumeClaimTemplates: ['logs'], retentionPolicy: { whenScaled: 'Delete' as const, whenDeleted: 'Retain' as const } }, gates: {} },
    ])('$story', ({ options, gates }) => {
      const plan = planCondemned(condemnedContext(options, [claim(4)], gates), [pod(4)], undefined);
      expect(describeActions(plan.actions)).toEqual(['delete web-4']);
    });
  });
});

describe('firstUnhealthyPod', () => {
  it.each([
    { story: 'all healthy → none', slots: [pod(0), pod(1)], condemned: [pod(3)], expected: undefined },
    { story: 'the lowest unhealthy replica', slots: [pod(0), pod(1, { phase: 'not-ready' }), pod(2, { phase: 'pending' })], condemned: [], expected: 'web-1' },
    { story: 'a condemned pod when no replica is unhealthy', slots: [pod(0)], condemned: [pod(4, { phase: 'not-ready' }), pod(3, { phase: 'not-ready' })], expected: 'web-3' },
    { story: 'the lowest ordinal over replicas and condemned', slots: [undefined, pod(5, { phase: 'not-ready' })], condemned: [pod(2, { lifecycle: 'PreparingDelete' })], expected: 'web-2' },
    { story: 'a pod about to be created is unhealthy', slots: [pod(0), { metadata: { name: 'web-1' }, spec: { containers: [] } }], condemned: [], expected: 'web-1' },
    { story: 'a terminating pod is unhealthy', slots: [pod(0), pod(1, { phase: 'terminating' })], condemned: [], expected: 'web-1' },
  ])('$story', ({ slots, condemned, expected }) => {
    expect(firstUnhealthyPod(slots, condemned)?.metadata.name).toBe(expected);
  });
});

describe('planReplicaLoop', () => {
  function loopContext(slots: (Pod | undefined)[], options: StatefulSetOptions = {}): ReplicaLoopContext {
    const set = aStatefulSet({ replicas: slots.filter((s) => s !== undefined).length, ...options });
    const planned = new Set(slots.flatMap((p, i) => (p !== undefined && p.status === undefined ? [i] : [])));
    return { set, settings: resolveStatefulSetSettings(set), slots, planned, atCurrentRevision: () => false, pvcs: new Map(), updateRevision: 'web-1', now: NOW, resizeSubresource: true };
  }
  const planned = (i: number): Pod => ({ metadata: { name: `web-${String(i)}`, labels: { app: 'web', 'statefulset.kubernetes.io/pod-name': `web-${String(i)}`, 'apps.kubernetes.io/pod-index': String(i) } }, spec: { containers: [] } });
  const identified = (i: number, options: PodOptions = {}): Pod => pod(i, { lifecycle: 'Normal', ...options, labels: { app: 'web', 'statefulset.kubernetes.io/pod-name': `web-${String(i)}`, 'apps.kubernetes.io/pod-index': String(i) } });
  const kinds = (actions: readonly { kind: string; ordinal: number }[]) => actions.map((a) => `${a.kind} ${String(a.ordinal)}`);

  it.each<{ story: string; slots: (Pod | undefined)[]; options?: StatefulSetOptions; actions: string[]; end: unknown }>([
    { story: 'OrderedReady, 0 ready, 1 not ready → wait for 1', slots: [identified(0), identified(1, { phase: 'not-ready' }), planned(2)], actions: [], end: { kind: 'exit', reason: 'waiting-for-available', ordinal: 1 } },
    { story: 'OrderedReady, no pods → create 0 only', slots: [planned(0), planned(1)], actions: ['create 0'], end: { kind: 'exit', reason: 'created-one-at-a-time', ordinal: 0 } },
    { story: 'OrderedReady, 1 terminating → wait for it', slots: [identified(0), identified(1, { phase: 'terminating' })], actions: [], end: { kind: 'exit', reason: 'waiting-for-termination', ordinal: 1 } },
    { story: 'a Failed pod is deleted and the pass ends', options: { podManagementPolicy: 'Parallel' }, slots: [identified(0, { phase: 'failed' }), planned(1)], actions: ['delete-finished 0'], end: { kind: 'exit', reason: 'replacing-finished-pod', ordinal: 0 } },
    { story: 'Parallel, no scale limit: create them all', options: { podManagementPolicy: 'Parallel' }, slots: [planned(0), planned(1), planned(2)], actions: ['create 0', 'create 1', 'create 2'], end: { kind: 'complete' } },
    { story: 'Parallel, scaleStrategy.maxUnavailable 2, none yet → create 0 and 1, break', options: { podManagementPolicy: 'Parallel', scaleMaxUnavailable: 2 }, slots: [planned(0), planned(1), planned(2)], actions: ['create 0', 'create 1'], end: { kind: 'break', reason: 'scale-max-unavailable', ordinal: 1 } },
    { story: 'Parallel, scaleStrategy.maxUnavailable 2, 0 not ready → create 1, break', options: { podManagementPolicy: 'Parallel', scaleMaxUnavailable: 2 }, slots: [identified(0, { phase: 'not-ready' }), planned(1), planned(2)], actions: ['create 1'], end: { kind: 'break', reason: 'scale-max-unavailable', ordinal: 1 } },
    { story: 'Parallel, scaleStrategy.maxUnavailable 1, 0 terminating → break at 0', options: { podManagementPolicy: 'Parallel', scaleMaxUnavailable: 1 }, slots: [identified(0, { phase: 'terminating' }), planned(1)], actions: [], end: { kind: 'break', reason: 'scale-max-unavailable', ordinal: 0 } },
    { story: 'a pod without its identity labels gets them', options: { podManagementPolicy: 'Parallel' }, slots: [pod(0, { lifecycle: 'Normal' })], actions: ['restore-identity 0'], end: { kind: 'complete' } },
  ])('$story', ({ slots, options, actions, end }) => {
    const loop = planReplicaLoop(loopContext(slots, options));
    expect(kinds(loop.actions)).toEqual(actions);
    expect(loop.end).toEqual(end);
  });

  it.each<{ story: string; slots: (Pod | undefined)[]; options?: StatefulSetOptions; refreshed: boolean[] }>([
    { story: 'OrderedReady stops at the first pod not available: it was refreshed, the later ones not', slots: [identified(0), identified(1, { phase: 'not-ready' }), identified(2)], refreshed: [true, true, false] },
    { story: 'a terminating pod that ends the pass is not refreshed', slots: [identified(0), identified(1, { phase: 'terminating' }), identified(2)], refreshed: [true, false, false] },
    { story: 'Parallel: every existing pod, not the created ones nor reserved slots', options: { podManagementPolicy: 'Parallel' }, slots: [identified(0), undefined, planned(2), identified(3)], refreshed: [true, false, false, true] },
  ])('refreshed, by slot: $story', ({ slots, options, refreshed }) => {
    expect(planReplicaLoop(loopContext(slots, options)).refreshed).toEqual(refreshed);
  });
});
