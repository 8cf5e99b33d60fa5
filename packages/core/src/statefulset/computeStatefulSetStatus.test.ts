import { describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim, Pod } from '../api/pod.js';
import type { StatefulSet, StatefulSetStatus } from '../api/statefulSet.js';
import { aPod, aStatefulSet, at, iso, T0, type PodOptions } from '../testing/index.js';
import { computeStatefulSetStatus, isStatusInconsistent, volumeClaimsStatus, type StatefulSetStatusInput } from './computeStatefulSetStatus.js';

// Expected values follow OpenKruise's stateful_set_control.go `computeReplicaStatus` /
// `updateStatus` / `updateStatefulSetStatus`, stateful_set_utils.go `completeRollingUpdate` and
// `inconsistentStatus`, statefulset_resize_pvc.go `updatePVCStatus` and pkg/util/pvc
// `IsPVCCompatibleAndReady` / `IsClaimCompatibleWithoutSize`.

const R1 = 'web-r1';
const R2 = 'web-r2';

const pod = (i: number, options: PodOptions = {}): Pod => aPod({ name: `web-${String(i)}`, revision: R1, ...options });

function input(pods: readonly Pod[], overrides: Partial<StatefulSetStatusInput> = {}): StatefulSetStatusInput {
  return {
    set: aStatefulSet({ replicas: pods.length }),
    settings: { minReadySeconds: 0, updateType: 'RollingUpdate' },
    pods,
    replicas: pods,
    pvcs: [],
    currentRevision: R1,
    updateRevision: R2,
    collisionCount: 0,
    now: at(60),
    ...overrides,
  };
}

describe('computeStatefulSetStatus', () => {
  it('3 ready pods at r2, current r1 → the rolling update is complete: current becomes r2', () => {
    const pods = [0, 1, 2].map((i) => pod(i, { revision: R2 }));
    expect(computeStatefulSetStatus(input(pods))).toEqual({
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      updatedReadyReplicas: 3,
      updatedAvailableReplicas: 3,
      currentRevision: R2,
      updateRevision: R2,
      collisionCount: 0,
      labelSelector: 'app=web',
    });
  });

  it.each<{ story: string; pods: Pod[]; overrides?: Partial<StatefulSetStatusInput>; expected: Partial<StatefulSetStatus>; absent?: (keyof StatefulSetStatus)[] }>([
    {
      story: 'mixed revisions: 2 ready at r1, 1 not ready at r2 → not complete',
      pods: [pod(0), pod(1), pod(2, { revision: R2, phase: 'not-ready' })],
      expected: { replicas: 3, readyReplicas: 2, availableReplicas: 2, currentReplicas: 2, updatedReplicas: 1, currentRevision: R1 },
      absent: ['updatedReadyReplicas', 'updatedAvailableReplicas'],
    },
    {
      story: 'all at r2 but one not ready → not complete (ready ≠ replicas)',
      pods: [pod(0, { revision: R2 }), pod(1, { revision: R2, phase: 'not-ready' })],
      expected: { replicas: 2, readyReplicas: 1, updatedReplicas: 2, updatedReadyReplicas: 1, currentRevision: R1 },
      absent: ['currentReplicas'],
    },
    {
      story: 'a terminating ready pod: counted in replicas, ready and available, not in current/updated',
      pods: [pod(0), pod(1, { phase: 'terminating' })],
      expected: { replicas: 2, readyReplicas: 2, availableReplicas: 2, currentReplicas: 1, currentRevision: R1 },
      absent: ['updatedReplicas'],
    },
    {
      story: 'a pod about to be created (no phase) counts nowhere',
      pods: [pod(0), { metadata: { name: 'web-1', labels: { 'controller-revision-hash': R2 } }, spec: { containers: [] } }],
      expected: { replicas: 1, readyReplicas: 1, availableReplicas: 1, currentReplicas: 1, currentRevision: R1 },
      absent: ['updatedReplicas'],
    },
    {
      story: 'a Pending pod: a replica, not ready',
      pods: [pod(0, { phase: 'pending' })],
      expected: { replicas: 1, availableReplicas: 0, currentReplicas: 1 },
      absent: ['readyReplicas'],
    },
    {
      story: 'minReadySeconds 10: ready 5 s ago → ready, not available',
      pods: [pod(0, { revision: R2, readySince: at(55) }), pod(1, { revision: R2, readySince: at(0) })],
      overrides: { settings: { minReadySeconds: 10, updateType: 'RollingUpdate' } },
      expected: { readyReplicas: 2, availableReplicas: 1, updatedReadyReplicas: 2, updatedAvailableReplicas: 1, currentRevision: R2 },
    },
    {
      story: 'minReadySeconds 10: ready exactly 10 s ago → available (waitTime 0)',
      pods: [pod(0, { readySince: at(50) })],
      overrides: { settings: { minReadySeconds: 10, updateType: 'RollingUpdate' } },
      expected: { availableReplicas: 1 },
    },
    {
      story: 'OnDelete never completes a rollout: current stays r1',
      pods: [pod(0, { revision: R2 }), pod(1, { revision: R2 })],
      overrides: { settings: { minReadySeconds: 0, updateType: 'OnDelete' } },
      expected: { updatedReplicas: 2, currentRevision: R1, updateRevision: R2 },
      absent: ['currentReplicas'],
    },
    {
      story: 'current = update (no rollout): every pod is both current and updated',
      pods: [pod(0), pod(1)],
      overrides: { updateRevision: R1 },
      expected: { currentReplicas: 2, updatedReplicas: 2, updatedReadyReplicas: 2, currentRevision: R1, updateRevision: R1 },
    },
    {
      story: 'the pass deleted one pod at r1 and one at r2: counts lowered (currentDecrease, updatedDecrease)',
      pods: [pod(0), pod(1), pod(2, { revision: R2 }), pod(3, { revision: R2 })],
      overrides: { currentDecrease: 1, updatedDecrease: 1 },
      expected: { replicas: 4, currentReplicas: 1, updatedReplicas: 1, currentRevision: R1 },
    },
    {
      story: 'updatedDecrease keeps the rollout open: 4 at r2, one deleted this pass → updated 3 ≠ replicas 4',
      pods: [pod(0, { revision: R2 }), pod(1, { revision: R2 }), pod(2, { revision: R2 }), pod(3, { revision: R2 })],
      overrides: { updatedDecrease: 1 },
      expected: { updatedReplicas: 3, currentRevision: R1 },
      absent: ['currentReplicas'],
    },
    {
      story: 'no pods: zeros, availableReplicas written, the others omitted',
      pods: [],
      expected: { replicas: 0, availableReplicas: 0, currentRevision: R2 },
      absent: ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'updatedReadyReplicas', 'updatedAvailableReplicas', 'conditions', 'volumeClaims'],
    },
    {
      story: 'collision count and generation as given',
      pods: [pod(0)],
      overrides: { collisionCount: 2, set: aStatefulSet({ generation: 7 }) },
      expected: { collisionCount: 2, observedGeneration: 7 },
    },
  ])('$story', ({ pods, overrides, expected, absent }) => {
    const status = computeStatefulSetStatus(input(pods, overrides));
    expect(status).toMatchObject(expected);
    for (const key of absent ?? []) expect(status).not.toHaveProperty(key);
  });

  it('drops the failure conditions of earlier passes and keeps the others', () => {
    const at1 = iso(at(1));
    const conditions = [
      { type: 'FailedCreatePod', status: 'True' as const, lastTransitionTime: at1, message: 'x' },
      { type: 'FailedUpdatePod', status: 'True' as const, lastTransitionTime: at1, message: 'y' },
    ];
    const set = aStatefulSet({ status: { replicas: 0, conditions } });
    expect(computeStatefulSetStatus(input([pod(0)], { set }))).not.toHaveProperty('conditions');
  });
});

describe('volumeClaimsStatus', () => {
  const set: StatefulSet = aStatefulSet({ replicas: 6, volumeClaimTemplates: ['data', 'logs'] });
  const pods = [0, 1, 2, 3, 4, 5].map((i) => pod(i));

  function pvc(name: string, spec: { request?: string; capacity?: string; storageClassName?: string; accessModes?: string[]; terminating?: boolean } = {}): PersistentVolumeClaim {
    return {
      metadata: { name, ...(spec.terminating === true ? { deletionTimestamp: iso(T0) } : {}) },
      spec: {
        accessModes: spec.accessModes ?? ['ReadWriteOnce'],
        ...(spec.storageClassName === undefined ? {} : { storageClassName: spec.storageClassName }),
        resources: { requests: spec.request === undefined ? {} : { storage: spec.request } },
      },
      ...(spec.capacity === undefined ? {} : { status: { capacity: { storage: spec.capacity } } }),
    };
  }

  it('counts, per template, the replicas whose PVC requests at least the template (compatible) and has that capacity (ready)', () => {
    const pvcs = [
      pvc('data-web-0', { request: '1Gi', capacity: '1Gi' }), // compatible, ready
      pvc('data-web-1', { request: '1Gi' }), // compatible, no capacity yet
      pvc('data-web-2', { request: '512Mi', capacity: '512Mi' }), // smaller than the template
      pvc('data-web-3', { request: '1Gi', capacity: '1Gi', terminating: true }), // terminating: skipped
      // data-web-4 missing: skipped
      pvc('data-web-5', { request: '2Gi', capacity: '1Gi' }), // compatible, resize pending
      pvc('logs-web-0', { request: '1Gi', capacity: '2Gi' }), // compatible, ready (more capacity)
      pvc('logs-web-1', { request: '1Gi', capacity: '1Gi', accessModes: ['ReadWriteMany'] }), // other access modes
      pvc('logs-web-2', { request: '1Gi', capacity: '1Gi', accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] }), // more access modes
    ];
    expect(volumeClaimsStatus(set, pods, pvcs)).toEqual([
      { volumeClaimName: 'data', compatibleReplicas: 3, compatibleReadyReplicas: 1 },
      { volumeClaimName: 'logs', compatibleReplicas: 1, compatibleReadyReplicas: 1 },
    ]);
  });

  it.each([
    { story: 'claim and template without storage class: compatible', claimClass: undefined, templateClass: undefined, compatible: 1 },
    { story: 'claim with a class, template without (default class): compatible', claimClass: 'fast', templateClass: undefined, compatible: 1 },
    { story: 'template with a class, claim without: compatible', claimClass: undefined, templateClass: 'fast', compatible: 1 },
    { story: 'same class: compatible', claimClass: 'fast', templateClass: 'fast', compatible: 1 },
    { story: 'different classes: not compatible', claimClass: 'slow', templateClass: 'fast', compatible: 0 },
  ])('$story', ({ claimClass, templateClass, compatible }) => {
    const base = aStatefulSet({ replicas: 1, volumeClaimTemplates: ['data'] });
    const templates = (base.spec.volumeClaimTemplates ?? []).map((t) => ({ ...t, spec: { ...t.spec, ...(templateClass === undefined ? {} : { storageClassName: templateClass }) } }));
    const classSet = { ...base, spec: { ...base.spec, volumeClaimTemplates: templates } };
    const claim = pvc('data-web-0', { request: '1Gi', capacity: '1Gi', ...(claimClass === undefined ? {} : { storageClassName: claimClass }) });
    expect(volumeClaimsStatus(classSet, [pod(0)], [claim])).toEqual([{ volumeClaimName: 'data', compatibleReplicas: compatible, compatibleReadyReplicas: compatible }]);
  });

  it('counts only the given replicas (a condemned pod’s PVC is not counted)', () => {
    const pvcs = [pvc('data-web-0', { request: '1Gi', capacity: '1Gi' }), pvc('data-web-9', { request: '1Gi', capacity: '1Gi' })];
    expect(volumeClaimsStatus(aStatefulSet({ volumeClaimTemplates: ['data'] }), [pod(0)], pvcs)).toEqual([{ volumeClaimName: 'data', compatibleReplicas: 1, compatibleReadyReplicas: 1 }]);
  });

  it('no claim templates → no entries, and computeStatefulSetStatus omits volumeClaims', () => {
    expect(volumeClaimsStatus(aStatefulSet(), pods, [])).toEqual([]);
    expect(computeStatefulSetStatus(input([pod(0)]))).not.toHaveProperty('volumeClaims');
  });

  it('computeStatefulSetStatus counts the claims of `replicas`', () => {
    const status = computeStatefulSetStatus(input([pod(0)], { set, replicas: [pod(0), pod(1)], pvcs: [pvc('data-web-0', { request: '1Gi', capacity: '1Gi' }), pvc('data-web-1', { request: '1Gi' })] }));
    expect(status.volumeClaims).toEqual([
      { volumeClaimName: 'data', compatibleReplicas: 2, compatibleReadyReplicas: 1 },
      { volumeClaimName: 'logs', compatibleReplicas: 0, compatibleReadyReplicas: 0 },
    ]);
  });
});

describe('isStatusInconsistent', () => {
  const stored: StatefulSetStatus = {
    observedGeneration: 2,
    replicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    currentReplicas: 3,
    updatedReplicas: 3,
    updatedReadyReplicas: 3,
    updatedAvailableReplicas: 3,
    currentRevision: R1,
    updateRevision: R1,
    collisionCount: 0,
    labelSelector: 'app=web',
    volumeClaims: [{ volumeClaimName: 'data', compatibleReplicas: 3, compatibleReadyReplicas: 3 }],
  };

  it.each<{ story: string; computed: StatefulSetStatus; stored?: StatefulSetStatus | undefined; inconsistent: boolean }>([
    { story: 'the same status → consistent', computed: stored, inconsistent: false },
    { story: 'a newer observedGeneration → inconsistent', computed: { ...stored, observedGeneration: 3 }, inconsistent: true },
    { story: 'an older observedGeneration → consistent (only ">" counts)', computed: { ...stored, observedGeneration: 1 }, inconsistent: false },
    { story: 'replicas differ', computed: { ...stored, replicas: 4 }, inconsistent: true },
    { story: 'currentReplicas differ', computed: { ...stored, currentReplicas: 2 }, inconsistent: true },
    { story: 'readyReplicas differ', computed: { ...stored, readyReplicas: 2 }, inconsistent: true },
    { story: 'availableReplicas differ', computed: { ...stored, availableReplicas: 2 }, inconsistent: true },
    { story: 'updatedReplicas differ', computed: { ...stored, updatedReplicas: 2 }, inconsistent: true },
    { story: 'a field omitted on one side counts as 0', computed: { ...stored, readyReplicas: 0 }, stored: { ...stored, readyReplicas: undefined }, inconsistent: false },
    { story: 'only updatedReadyReplicas differ → consistent (not compared)', computed: { ...stored, updatedReadyReplicas: 1 }, inconsistent: false },
    { story: 'only updatedAvailableReplicas differ → consistent', computed: { ...stored, updatedAvailableReplicas: 1 }, inconsistent: false },
    { story: 'only collisionCount differs → consistent', computed: { ...stored, collisionCount: 1 }, inconsistent: false },
    { story: 'only conditions differ → consistent', computed: { ...stored, conditions: [{ type: 'FailedCreatePod', status: 'True' }] }, inconsistent: false },
    { story: 'currentRevision differs', computed: { ...stored, currentRevision: R2 }, inconsistent: true },
    { story: 'updateRevision differs', computed: { ...stored, updateRevision: R2 }, inconsistent: true },
    { story: 'labelSelector differs', computed: { ...stored, labelSelector: 'app=db' }, inconsistent: true },
    { story: 'a stored claim template missing from the computed status', computed: { ...stored, volumeClaims: [] }, inconsistent: true },
    { story: 'a claim template new in the computed status → consistent (stored ones only)', computed: { ...stored, volumeClaims: [...(stored.volumeClaims ?? []), { volumeClaimName: 'logs', compatibleReplicas: 0, compatibleReadyReplicas: 0 }] }, inconsistent: false },
    { story: 'compatibleReplicas differ', computed: { ...stored, volumeClaims: [{ volumeClaimName: 'data', compatibleReplicas: 2, compatibleReadyReplicas: 3 }] }, inconsistent: true },
    { story: 'compatibleReadyReplicas differ', computed: { ...stored, volumeClaims: [{ volumeClaimName: 'data', compatibleReplicas: 3, compatibleReadyReplicas: 2 }] }, inconsistent: true },
    { story: 'nothing stored yet, a computed selector → inconsistent', computed: { replicas: 0, labelSelector: 'app=web' }, stored: undefined, inconsistent: true },
    { story: 'nothing stored yet, an empty computed status → consistent', computed: { replicas: 0 }, stored: undefined, inconsistent: false },
  ])('$story', (row) => {
    expect(isStatusInconsistent('stored' in row ? row.stored : stored, row.computed)).toBe(row.inconsistent);
  });
});
