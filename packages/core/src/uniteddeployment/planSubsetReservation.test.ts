import { describe, expect, it } from 'vitest';
import { KRUISE_CONTROLLER_REVISION_HASH_LABEL, SUBSET_NAME_LABEL, UNITED_DEPLOYMENT_RESERVED_POD_LABEL } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import { formatTime } from '../shared/podState.js';
import { aUnitedDeployment } from '../testing/unitedDeploymentBuilder.js';
import type { OwnedObject, WorkloadEffect } from '../workload/workloadEffect.js';
import { planUnitedDeploymentPass } from './planUnitedDeploymentPass.js';
import { classifyReservedPod, planSubsetReservation } from './planSubsetReservation.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const s = (seconds: number): number => T0 + seconds * 1000;
const strategy = { type: 'Adaptive', adaptive: { rescheduleCriticalSeconds: 30, unschedulableDuration: 300, reserveUnschedulablePods: true } } as const;

function pod(name: string, state: 'pending' | 'running', labels: Record<string, string> = {}, readySince = s(0)): Pod {
  const running = state === 'running';
  return {
    metadata: { name, uid: `uid-${name}`, namespace: 'default', creationTimestamp: formatTime(s(0)), labels: { app: 'web', [SUBSET_NAME_LABEL]: 'a', [KRUISE_CONTROLLER_REVISION_HASH_LABEL]: 'rev-1', ...labels } },
    spec: { containers: [{ name: 'main', image: 'nginx' }], ...(running ? { nodeName: 'n1' } : {}) },
    status: running
      ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: formatTime(readySince) }] }
      : { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
  };
}

const classify = (p: Pod, now: number, markedUnschedulable = false) => classifyReservedPod(p, { updatedRevision: 'rev-1', markedUnschedulable, strategy, now });

describe('classifyReservedPod', () => {
  it.each<[string, Pod, number, boolean, ReturnType<typeof classifyReservedPod>]>([
    ['pending past rescheduleCriticalSeconds', pod('p', 'pending'), s(40), false, { reserved: true, afterMs: 300_000 }],
    ['pending, not yet past it', pod('p', 'pending'), s(10), false, { reserved: false, afterMs: 20_000 }],
    ['new in a subset marked unschedulable', pod('p', 'running'), s(10), true, { reserved: true, afterMs: 300_000 }],
    ['reserved, Ready for 50 s of 300', pod('p', 'running', { [UNITED_DEPLOYMENT_RESERVED_POD_LABEL]: 'true' }, s(100)), s(150), false, { reserved: true, afterMs: 250_000 }],
    ['reserved, Ready for longer than unschedulableDuration', pod('p', 'running', { [UNITED_DEPLOYMENT_RESERVED_POD_LABEL]: 'true' }, s(100)), s(401), false, { reserved: false, afterMs: undefined }],
    ['reserved, running an old revision', pod('p', 'running', { [UNITED_DEPLOYMENT_RESERVED_POD_LABEL]: 'true', [KRUISE_CONTROLLER_REVISION_HASH_LABEL]: 'rev-0' }), s(401), false, { reserved: true, afterMs: 300_000 }],
  ])('%s', (_story, p, now, marked, expected) => {
    expect(classify(p, now, marked)).toEqual(expected);
  });
});

describe('planSubsetReservation', () => {
  it('labels the pods whose reserved state is new or changed, and marks the subset while a pod is reserved', () => {
    const plan = planSubsetReservation({ pods: [pod('a-1', 'pending'), pod('a-2', 'running', { [UNITED_DEPLOYMENT_RESERVED_POD_LABEL]: 'false' })], condition: undefined, updatedRevision: 'rev-1', strategy, now: s(40) });
    expect(plan).toMatchObject({ reservedPods: 1, unschedulable: true, previouslyUnschedulable: false, condition: { status: 'False', reason: 'reschedule', message: 'reserved pods found' } });
    expect(plan.effects).toEqual([{ kind: 'patch-pod', reason: 'pod-reserved', target: { namespace: 'default', name: 'a-1', uid: 'uid-a-1' }, patch: { metadata: { labels: { [UNITED_DEPLOYMENT_RESERVED_POD_LABEL]: 'true' } } } }]);
  });
});

describe('planUnitedDeploymentPass with reserveUnschedulablePods', () => {
  it('keeps the reserved pods of subset a and runs substitutes in b; the status counts only pods not reserved', () => {
    const ud = aUnitedDeployment({ replicas: 2, subsets: [{ name: 'a' }, { name: 'b' }], scheduleStrategy: strategy });
    const first = planUnitedDeploymentPass({ unitedDeployment: ud, children: [], pods: [], revisions: [], now: s(0) });
    const created = first.effects.flat().map((e) => (e as Extract<WorkloadEffect, { kind: 'create-owned' }>).object);
    const revision = first.status.updatedRevision ?? '';
    const children: OwnedObject[] = created.map((o, i) => ({ ...o, metadata: { ...o.metadata, name: `child-${String(i)}`, uid: `uid-child-${String(i)}`, creationTimestamp: formatTime(s(i)) }, status: { replicas: (o.spec as { replicas: number }).replicas, readyReplicas: 0 } }));
    const pods = [pod('a-1', 'pending', { [KRUISE_CONTROLLER_REVISION_HASH_LABEL]: revision }), pod('a-2', 'pending', { [KRUISE_CONTROLLER_REVISION_HASH_LABEL]: revision })];
    const plan = planUnitedDeploymentPass({ unitedDeployment: { ...ud, status: first.status }, children, pods, revisions: first.prelude.flat().flatMap((e) => (e.kind === 'create-revision' ? [{ ...e.revision, metadata: { ...e.revision.metadata, uid: 'r1' } }] : [])), now: s(40) });
    expect(plan.step).toMatchObject({ allocator: 'reservation', replicas: { a: 2, b: 2 }, reasons: { a: 'reserved' } });
    expect(plan.prelude.flat().filter((e) => e.kind === 'patch-pod').map((e) => e.reason)).toEqual(['pod-reserved', 'pod-reserved']);
    expect(plan.status).toMatchObject({ replicas: 0, reservedPods: 2, labelSelector: `app=web,${UNITED_DEPLOYMENT_RESERVED_POD_LABEL}=false` });
    expect(plan.status.subsetStatuses?.[0]).toMatchObject({ name: 'a', reservedPods: 2, conditions: [{ status: 'False', message: 'reserved pods found' }] });
  });
});
