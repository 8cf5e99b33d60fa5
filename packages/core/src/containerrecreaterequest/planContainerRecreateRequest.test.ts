import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRR_ACTIVE_LABEL, CRR_POD_UID_LABEL, CRR_SYNC_CONTAINER_STATUSES_ANNOTATION, CRR_UNREADY_ACQUIRED_KEY, type ContainerRecreateRequest } from '../api/containerRecreateRequest.js';
import type { Pod } from '../api/pod.js';
import { parseTime } from '../shared/podState.js';
import { aContainerRecreateRequest } from '../testing/containerRecreateRequestBuilder.js';
import { crrSyncContainerStatuses, planContainerRecreateRequest, type CrrEffect } from './planContainerRecreateRequest.js';

const T0 = parseTime('2026-01-01T10:00:00Z') ?? 0;
const at = (seconds: number) => T0 + seconds * 1000;
const key = { userAgent: 'ContainerRecreateRequest', key: 'default/crr-web-0' };

function pod(options: { uid?: string; gate?: boolean; deleting?: boolean; appStartedAt?: string } = {}): Pod {
  return {
    metadata: { name: 'web-0', namespace: 'default', uid: options.uid ?? 'p1', ...(options.deleting === true ? { deletionTimestamp: '2026-01-01T10:00:01Z' } : {}) },
    spec: { containers: [{ name: 'app' }, { name: 'log' }], ...(options.gate === true ? { readinessGates: [{ conditionType: 'KruisePodReady' }] } : {}) },
    status: {
      phase: 'Running',
      containerStatuses: [
        { name: 'app', ready: true, restartCount: 1, containerID: 'containerd://b', state: { running: { startedAt: options.appStartedAt ?? '2026-01-01T10:00:05Z' } } },
        { name: 'log', ready: true, restartCount: 0, containerID: 'containerd://l', state: { running: { startedAt: '2026-01-01T09:00:00Z' } } },
      ],
    },
  };
}

function crr(options: Parameters<typeof aContainerRecreateRequest>[0] = {}): ContainerRecreateRequest {
  return aContainerRecreateRequest({ creationTimestamp: '2026-01-01T10:00:00Z', ...options, labels: { [CRR_POD_UID_LABEL]: 'p1', [CRR_ACTIVE_LABEL]: 'true', ...options.labels } });
}

const finished = (extra: Parameters<typeof aContainerRecreateRequest>[0] = {}) => crr({ status: { phase: 'Completed', completionTime: '2026-01-01T10:01:00Z' }, ...extra });

describe('planContainerRecreateRequest', () => {
  it.each<[string, ContainerRecreateRequest, Pod | undefined, number, string, CrrEffect[], number | undefined]>([
    ['new, daemon not there yet', crr(), pod(), at(20), 'waiting-for-daemon', [], 40_000],
    ['new, daemon silent for a minute', crr(), pod(), at(60), 'no-response', [{ kind: 'complete', completionTime: '2026-01-01T10:01:00Z', message: 'daemon has not responded for a long time' }], undefined],
    ['pod deleted', crr(), undefined, at(5), 'pod-gone', [{ kind: 'complete', completionTime: '2026-01-01T10:00:05Z', message: 'pod has gone' }], undefined],
    ['pod re-created with another uid', crr(), pod({ uid: 'p2' }), at(5), 'pod-gone', [{ kind: 'complete', completionTime: '2026-01-01T10:00:05Z', message: 'pod has gone' }], undefined],
    ['pod terminating', crr(), pod({ deleting: true }), at(5), 'pod-gone', [{ kind: 'complete', completionTime: '2026-01-01T10:00:05Z', message: 'pod has gone' }], undefined],
    ['pending with a deadline: the nearer of timeout and deadline', crr({ activeDeadlineSeconds: 30, status: { phase: 'Pending' } }), pod(), at(10), 'waiting-for-daemon', [], 20_000],
    [
      'past the deadline: unfinished containers Failed',
      crr({ activeDeadlineSeconds: 30, status: { phase: 'Recreating', containerRecreateStates: [{ name: 'app', phase: 'Recreating' }, { name: 'log', phase: 'Succeeded' }] } }),
      pod(),
      at(31),
      'deadline-exceeded',
      [
        {
          kind: 'complete',
          completionTime: '2026-01-01T10:00:31Z',
          message: 'recreating has exceeded the activeDeadlineSeconds',
          containerRecreateStates: [{ name: 'app', phase: 'Failed', message: 'recreating has exceeded the activeDeadlineSeconds' }, { name: 'log', phase: 'Succeeded' }],
        },
      ],
      undefined,
    ],
    [
      'recreating: statuses synced (only containers started since the CRR)',
      crr({ containers: [{ name: 'app' }, { name: 'log' }], status: { phase: 'Recreating' } }),
      pod(),
      at(6),
      'recreating',
      [{ kind: 'sync-container-statuses', value: '[{"name":"app","ready":true,"restartCount":1,"containerID":"containerd://b"}]' }],
      undefined,
    ],
    [
      'recreating with unreadyGracePeriodSeconds, gated pod: finalizer, condition, annotation',
      crr({ strategy: { unreadyGracePeriodSeconds: 5 }, annotations: { [CRR_SYNC_CONTAINER_STATUSES_ANNOTATION]: '[]' }, status: { phase: 'Recreating' } }),
      pod({ gate: true, appStartedAt: '2026-01-01T09:00:00Z' }),
      at(2),
      'recreating',
      [{ kind: 'add-finalizer' }, { kind: 'hold-pod-not-ready', key }, { kind: 'annotate-unready-acquired', at: '2026-01-01T10:00:02Z' }],
      undefined,
    ],
    [
      'unreadyGracePeriodSeconds on a pod without the gate: only the annotation',
      crr({ strategy: { unreadyGracePeriodSeconds: 5 }, annotations: { [CRR_SYNC_CONTAINER_STATUSES_ANNOTATION]: '[]' }, status: { phase: 'Recreating' } }),
      pod({ appStartedAt: '2026-01-01T09:00:00Z' }),
      at(2),
      'recreating',
      [{ kind: 'annotate-unready-acquired', at: '2026-01-01T10:00:02Z' }],
      undefined,
    ],
    ['finished, still labelled active', finished(), pod(), at(61), 'finished', [{ kind: 'remove-active-label' }], undefined],
    [
      'finished holding the pod: released, finalizer removed, label removed',
      finished({ finalizers: [CRR_UNREADY_ACQUIRED_KEY] }),
      pod({ gate: true }),
      at(61),
      'finished',
      [{ kind: 'release-pod-not-ready', key }, { kind: 'remove-finalizer' }, { kind: 'remove-active-label' }],
      undefined,
    ],
    ['finished with TTL 30, 10 s ago', finished({ ttlSecondsAfterFinished: 30, labels: { [CRR_ACTIVE_LABEL]: '' } }), pod(), at(70), 'finished', [], 20_000],
    ['finished with TTL 30, 30 s ago', finished({ ttlSecondsAfterFinished: 30, labels: { [CRR_ACTIVE_LABEL]: '' } }), pod(), at(90), 'ttl-expired', [{ kind: 'delete', reason: 'ttl-after-finished' }], undefined],
  ])('%s', (_, object, thePod, now, reason, effects, requeueAfterMs) => {
    // The builder's labels merge: a '' active label stands for "removed" here.
    const input = object.metadata?.labels?.[CRR_ACTIVE_LABEL] === '' ? { ...object, metadata: { ...object.metadata, labels: { [CRR_POD_UID_LABEL]: 'p1' } } } : object;
    const plan = planContainerRecreateRequest(input, thePod, now);
    expect(plan).toEqual({ reason, effects, ...(requeueAfterMs === undefined ? {} : { requeueAfterMs }) });
  });

  it('property: an unfinished CRR past its deadline always completes, and no pass before it completes for the deadline', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 600 }), fc.integer({ min: 0, max: 1200 }), (deadline, elapsed) => {
        const plan = planContainerRecreateRequest(crr({ activeDeadlineSeconds: deadline, status: { phase: 'Recreating' }, annotations: { [CRR_SYNC_CONTAINER_STATUSES_ANNOTATION]: '[]' } }), pod({ appStartedAt: '2026-01-01T09:00:00Z' }), at(elapsed));
        if (elapsed >= deadline) return plan.reason === 'deadline-exceeded' && plan.effects[0]?.kind === 'complete';
        return plan.reason === 'recreating' && plan.requeueAfterMs === (deadline - elapsed) * 1000;
      }),
    );
  });
});

describe('crrSyncContainerStatuses', () => {
  it('writes [] when no container of the CRR runs since its creation', () => {
    expect(crrSyncContainerStatuses(crr({ containers: [{ name: 'log' }] }), pod())).toBe('[]');
  });
});
