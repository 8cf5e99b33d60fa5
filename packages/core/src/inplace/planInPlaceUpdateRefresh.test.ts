import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { at, T0 } from '../testing/index.js';
import { planInPlaceUpdatePatch } from './planInPlaceUpdatePatch.js';
import { planInPlaceUpdateRefresh, type InPlaceRefreshPlan } from './planInPlaceUpdateRefresh.js';
import { barrierEnv, podWith, simulateKubelet, updateSpec } from './inplace.testkit.js';

const toNginx2 = updateSpec({ containerImages: { main: 'nginx:2' } });

/** A pod switched to nginx:2 at T0 (parked for `gracePeriodSeconds`), with or without the readiness gate. */
function started(gracePeriodSeconds = 0, readinessGate = true): Pod {
  return planInPlaceUpdatePatch(podWith([{ name: 'main', image: 'nginx:1' }], {}, readinessGate ? false : undefined), toNginx2, { now: T0, gracePeriodSeconds }).pod;
}

/** Applies whatever pod write a plan asks for, then lets the kubelet sync. */
function follow(pod: Pod, plan: InPlaceRefreshPlan): Pod {
  if (plan.kind === 'update-pod') return simulateKubelet(plan.pod);
  if (plan.kind === 'update-status') return { ...pod, status: { ...pod.status, conditions: [...plan.conditions] } };
  return pod;
}

describe('planInPlaceUpdateRefresh', () => {
  it.each<[string, () => Pod, number, Partial<InPlaceRefreshPlan>]>([
    ['parked for 30 s, 10 s in', () => started(30), at(10), { kind: 'wait', reason: 'grace-period', requeueAfterSeconds: 20 }],
    ['parked for 30 s, 30 s in', () => started(30), at(30), { kind: 'update-pod', reason: 'grace-period-ended' }],
    ['image changed but the kubelet has not restarted the container', () => started(), at(5), { kind: 'wait', reason: 'containers-updating' }],
    ['the kubelet reports the new image', () => simulateKubelet(started()), at(5), { kind: 'update-status', reason: 'in-place-update-completed' }],
    ['completed without readiness gate', () => simulateKubelet(started(0, false)), at(5), { kind: 'nothing-to-do', reason: 'no-readiness-gate' }],
    [
      'batches: the next one starts once the first is Ready',
      () => {
        const pod = podWith([{ name: 'app', image: 'app:1', env: barrierEnv(0) }, { name: 'sidecar', image: 'envoy:1', env: barrierEnv(1) }]);
        return simulateKubelet(planInPlaceUpdatePatch(pod, updateSpec({ containerImages: { app: 'app:2', sidecar: 'envoy:2' } }), { now: T0 }).pod);
      },
      at(5),
      { kind: 'update-pod', reason: 'next-container-batch', batch: ['app'] },
    ],
  ])('%s', (_story, pod, now, expected) => {
    expect(planInPlaceUpdateRefresh(pod(), { now })).toMatchObject(expected);
  });

  it('following the plans from a parked update reaches InPlaceUpdateReady=True in a bounded number of passes', () => {
    let pod = started(10);
    const kinds: string[] = [];
    for (let pass = 0; pass < 6; pass++) {
      const plan = planInPlaceUpdateRefresh(pod, { now: at(10 + pass) });
      kinds.push(plan.kind === 'wait' || plan.kind === 'nothing-to-do' ? `${plan.kind}:${plan.reason}` : plan.kind);
      pod = follow(pod, plan);
    }
    expect(kinds).toEqual(['update-pod', 'update-status', 'nothing-to-do:condition-unchanged', 'nothing-to-do:condition-unchanged', 'nothing-to-do:condition-unchanged', 'nothing-to-do:condition-unchanged']);
    expect(pod.status?.conditions?.find((c) => c.type === 'InPlaceUpdateReady')?.status).toBe('True');
  });
});
