import { CRR_POD_UID_LABEL, CRR_SYNC_CONTAINER_STATUSES_ANNOTATION, CRR_UNREADY_ACQUIRED_KEY, parseTime, type ContainerRecreateRequest } from '@kruise-ts/core';
import { aContainerRecreateRequest } from '@kruise-ts/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContainerInfo } from '../cri/containerRuntime.js';
import { observedCrrStates, planCrrDaemonSync } from './planCrrDaemonSync.js';

const T0 = parseTime('2026-01-01T10:00:00Z') ?? 0;
const at = (s: number) => T0 + s * 1000;

function container(id: string, name: string, attempt: number, createdAt: number, state: ContainerInfo['state'] = 'CONTAINER_RUNNING'): ContainerInfo {
  return { id, podSandboxId: 's', name, attempt, image: 'busybox', state, createdAt, labels: { 'io.kubernetes.pod.uid': 'u1', 'io.kubernetes.container.name': name } };
}

function crr(options: Parameters<typeof aContainerRecreateRequest>[0] = {}): ContainerRecreateRequest {
  return aContainerRecreateRequest({
    creationTimestamp: '2026-01-01T10:00:00Z',
    containers: [
      { name: 'app', statusContext: { containerID: 'containerd://a1', restartCount: 0 } },
      { name: 'log', statusContext: { containerID: 'containerd://l1', restartCount: 0 } },
    ],
    strategy: { failurePolicy: 'Fail', terminationGracePeriodSeconds: 20 },
    ...options,
    labels: { [CRR_POD_UID_LABEL]: 'u1', ...options.labels },
  });
}

const before = [container('a1', 'app', 0, at(-100)), container('l1', 'log', 0, at(-100))];
const recreating = { phase: 'Recreating' as const };

describe('planCrrDaemonSync', () => {
  it('first sets the phase Recreating', () => {
    expect(planCrrDaemonSync(crr(), before, at(1))).toEqual({ kind: 'set-recreating' });
  });

  it('waits for the controller to hold the pod not ready, then for the grace period', () => {
    const strategy = { unreadyGracePeriodSeconds: 5 };
    expect(planCrrDaemonSync(crr({ strategy, status: recreating }), before, at(1))).toEqual({ kind: 'wait-unready' });
    expect(planCrrDaemonSync(crr({ strategy, status: recreating, annotations: { [CRR_UNREADY_ACQUIRED_KEY]: '2026-01-01T10:00:01Z' } }), before, at(3))).toEqual({ kind: 'wait-unready', afterMs: 3000 });
  });

  it('fills a missing status context from the runtime', () => {
    expect(planCrrDaemonSync(crr({ containers: [{ name: 'app' }], status: recreating }), before, at(1))).toEqual({ kind: 'fill-status-context', contexts: [{ containerID: 'a1', restartCount: 0 }] });
  });

  it('records the observed states, then kills the first Pending container with the grace period and its preStop', () => {
    expect(planCrrDaemonSync(crr({ status: recreating }), before, at(1))).toEqual({ kind: 'patch-states', states: [{ name: 'app', phase: 'Pending' }, { name: 'log', phase: 'Pending' }] });
    const states = [{ name: 'app', phase: 'Pending' as const }, { name: 'log', phase: 'Pending' as const }];
    const withPreStop = crr({ containers: [{ name: 'app', preStop: { exec: { command: ['/stop'] } }, statusContext: { containerID: 'containerd://a1', restartCount: 0 } }, { name: 'log', statusContext: { containerID: 'containerd://l1', restartCount: 0 } }], status: { ...recreating, containerRecreateStates: states } });
    expect(planCrrDaemonSync(withPreStop, before, at(1))).toEqual({ kind: 'kill', name: 'app', containerId: 'a1', podSandboxId: 's', gracePeriodSeconds: 20, preStop: { exec: { command: ['/stop'] } }, states });
  });

  it('orderedRecreate waits for the Recreating container; unordered goes on with the next', () => {
    const states = [{ name: 'app', phase: 'Recreating' as const, isKilled: true }, { name: 'log', phase: 'Pending' as const }];
    const stopped = [container('a1', 'app', 0, at(-100), 'CONTAINER_EXITED'), container('l1', 'log', 0, at(-100))];
    expect(planCrrDaemonSync(crr({ strategy: { orderedRecreate: true }, status: { ...recreating, containerRecreateStates: states } }), stopped, at(2))).toEqual({ kind: 'idle' });
    expect(planCrrDaemonSync(crr({ status: { ...recreating, containerRecreateStates: states } }), stopped, at(2))).toMatchObject({ kind: 'kill', name: 'log', containerId: 'l1' });
  });

  it('completes on a Failed container under Fail, goes on under Ignore, completes when all are done', () => {
    const failed = [{ name: 'app', phase: 'Failed' as const, message: 'preStop hook failed' }, { name: 'log', phase: 'Pending' as const }];
    expect(planCrrDaemonSync(crr({ status: { ...recreating, containerRecreateStates: failed } }), before, at(2))).toEqual({ kind: 'complete' });
    expect(planCrrDaemonSync(crr({ strategy: { failurePolicy: 'Ignore' }, status: { ...recreating, containerRecreateStates: failed } }), before, at(2))).toMatchObject({ kind: 'kill', name: 'log' });
    const done = [{ name: 'app', phase: 'Succeeded' as const }, { name: 'log', phase: 'Failed' as const }];
    expect(planCrrDaemonSync(crr({ strategy: { failurePolicy: 'Ignore' }, status: { ...recreating, containerRecreateStates: done } }), before, at(2))).toEqual({ kind: 'complete' });
  });
});

describe('observedCrrStates', () => {
  const killed = { status: { ...recreating, containerRecreateStates: [{ name: 'app', phase: 'Recreating' as const, isKilled: true }] }, containers: [{ name: 'app', statusContext: { containerID: 'containerd://a1', restartCount: 0 } }] };
  it.each<[string, ContainerInfo[], string | undefined, number, string]>([
    ['no container on the node', [], undefined, 0, 'Pending'],
    ['stopped, not restarted yet', [container('a1', 'app', 0, at(-100), 'CONTAINER_EXITED')], undefined, 0, 'Recreating'],
    ['new container, not reported ready', [container('a1', 'app', 0, at(-100), 'CONTAINER_EXITED'), container('a2', 'app', 1, at(5))], undefined, 0, 'Recreating'],
    ['new container reported ready', [container('a2', 'app', 1, at(5))], '[{"name":"app","ready":true,"restartCount":1,"containerID":"containerd://a2"}]', 0, 'Succeeded'],
    ['ready but younger than minStartedSeconds', [container('a2', 'app', 1, at(5))], '[{"name":"app","ready":true,"restartCount":1,"containerID":"containerd://a2"}]', 10, 'Recreating'],
  ])('%s → %s', (_, containers, annotation, minStartedSeconds, phase) => {
    const object = crr({ ...killed, strategy: { minStartedSeconds }, ...(annotation === undefined ? {} : { annotations: { [CRR_SYNC_CONTAINER_STATUSES_ANNOTATION]: annotation } }) });
    expect(observedCrrStates(object, containers, at(10))[0]?.phase).toBe(phase);
  });

  it('a container created within the CRR’s creation second is still the old one (whole-second creationTimestamp)', () => {
    const object = crr({ containers: [{ name: 'app', statusContext: { containerID: 'containerd://a1', restartCount: 0 } }], annotations: { [CRR_SYNC_CONTAINER_STATUSES_ANNOTATION]: '[{"name":"app","ready":true,"restartCount":0,"containerID":"containerd://a1"}]' } });
    expect(observedCrrStates(object, [container('a1', 'app', 0, at(0) + 700)], at(5))).toEqual([{ name: 'app', phase: 'Pending' }]);
    expect(observedCrrStates(object, [container('a1', 'app', 0, at(1) + 1)], at(5))).toEqual([{ name: 'app', phase: 'Succeeded' }]);
  });

  it('forceRecreate: a container already restarted since the CRR but not killed by it is still Pending (to be killed once)', () => {
    const restarted = [container('a2', 'app', 1, at(5))];
    const object = (isKilled: boolean) => crr({ strategy: { forceRecreate: true }, containers: [{ name: 'app', statusContext: { containerID: 'containerd://a1', restartCount: 0 } }], status: { ...recreating, containerRecreateStates: [{ name: 'app', phase: 'Recreating', ...(isKilled ? { isKilled } : {}) }] } });
    expect(observedCrrStates(object(false), restarted, at(10))).toEqual([{ name: 'app', phase: 'Pending' }]);
    expect(observedCrrStates(object(true), restarted, at(10))).toEqual([{ name: 'app', phase: 'Recreating', isKilled: true }]);
  });

  it('property: a container still the one of the status context is never Succeeded', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 0, max: 100 }), (ready, now) => {
        const annotation = JSON.stringify([{ name: 'app', ready, restartCount: 0, containerID: 'containerd://a1' }]);
        return observedCrrStates(crr({ annotations: { [CRR_SYNC_CONTAINER_STATUSES_ANNOTATION]: annotation } }), before, at(now)).every((s) => s.phase === 'Pending');
      }),
    );
  });
});
