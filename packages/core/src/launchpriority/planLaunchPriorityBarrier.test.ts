import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../api/pod.js';
import { aPod } from '../testing/index.js';
import { planLaunchPriorityBarrier, type BarrierConfigMap } from './planLaunchPriorityBarrier.js';
import { barrierEnv } from './planLaunchPriorityInjection.js';

const c = (name: string, priority?: number): Container => ({ name, image: 'busybox', ...(priority !== undefined && { env: [barrierEnv(priority, 'web-0')] }) });
/** Pod web-0 with containers a(0) b(-1) c(-2), `ready` of them ready, ContainersReady False. */
function pod(ready: readonly string[], extra: { containers?: readonly Container[]; annotations?: Record<string, string>; containersReady?: 'True' | 'False' } = {}): Pod {
  const containers = extra.containers ?? [c('a', 0), c('b', -1), c('c', -2)];
  const base = aPod({ name: 'web-0', namespace: 'apps', uid: 'uid-web-0', containers, annotations: extra.annotations ?? {}, phase: 'pending' });
  return {
    ...base,
    status: {
      ...base.status,
      conditions: [{ type: 'ContainersReady', status: extra.containersReady ?? 'False' }],
      containerStatuses: containers.map((x) => ({ name: x.name, ready: ready.includes(x.name), restartCount: 0, image: 'busybox', imageID: '' })),
    },
  };
}
const data = (...keys: string[]): BarrierConfigMap => ({ data: Object.fromEntries(keys.map((k) => [k, 'true'])) });

describe('planLaunchPriorityBarrier', () => {
  it.each([
    { story: 'no container has a barrier', pod: pod([], { containers: [c('a'), c('b')] }), barrier: undefined, want: { kind: 'skip', reason: 'no-barrier-env' } },
    { story: 'already completed', pod: pod([], { annotations: { 'apps.kruise.io/container-launch-priority-completed': 'true' } }), barrier: data(), want: { kind: 'skip', reason: 'completed' } },
    { story: 'ContainersReady True', pod: pod(['a', 'b', 'c'], { containersReady: 'True' }), barrier: data('p_0'), want: { kind: 'skip', reason: 'containers-ready' } },
    { story: 'no barrier yet: create it, owned by the pod', pod: pod([]), barrier: undefined, want: { kind: 'create-barrier', configMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-0-barrier', namespace: 'apps', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'web-0', uid: 'uid-web-0' }] } } } },
    { story: 'an empty barrier: release the highest, p_0', pod: pod([]), barrier: data(), want: { kind: 'release', key: 'p_0', priority: 0, complete: false } },
    { story: 'p_0 released, a not ready yet: wait', pod: pod([]), barrier: data('p_0'), want: { kind: 'wait', key: 'p_0' } },
    { story: 'a ready: release p_-1', pod: pod(['a']), barrier: data('p_0'), want: { kind: 'release', key: 'p_-1', priority: -1, complete: false } },
    { story: 'a and b ready: release p_-2, the last, and complete', pod: pod(['a', 'b']), barrier: data('p_0', 'p_-1'), want: { kind: 'release', key: 'p_-2', priority: -2, complete: true } },
    { story: 'the lowest key already there: complete', pod: pod(['a', 'b']), barrier: data('p_0', 'p_-1', 'p_-2'), want: { kind: 'complete' } },
    { story: 'every container ready, ContainersReady not yet True: complete', pod: pod(['a', 'b', 'c']), barrier: data('p_0'), want: { kind: 'complete' } },
    { story: 'equal priorities released together (two at 1, one at 0)', pod: pod([], { containers: [c('a', 1), c('b', 1), c('c', 0)] }), barrier: data(), want: { kind: 'release', key: 'p_1', priority: 1, complete: false } },
  ])('$story → $want.kind', ({ pod: p, barrier, want }) => {
    expect(planLaunchPriorityBarrier(p, barrier)).toEqual(want);
  });

  it('property: driven to the end, keys appear from the highest priority down, each only once every higher container is ready, and it completes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 2, maxLength: 6 }), (priorities) => {
        const containers = priorities.map((p, i) => c(`c${String(i)}`, p));
        const released: string[] = [];
        const ready = new Set<string>();
        let completed = false;
        for (let step = 0; step < 50 && !completed; step++) {
          const p = pod([...ready], { containers });
          const decision = planLaunchPriorityBarrier(p, data(...released));
          if (decision.kind === 'release') {
            released.push(decision.key);
            if (decision.complete) completed = true;
          } else if (decision.kind === 'complete') completed = true;
          // The kubelet starts the containers whose key is released.
          for (const [i, x] of containers.entries()) if (released.includes(`p_${String(priorities[i])}`)) ready.add(x.name);
        }
        expect(completed).toBe(true);
        const distinct = [...new Set(priorities)].sort((a, b) => b - a).map((p) => `p_${String(p)}`);
        expect(released).toEqual(distinct);
      }),
    );
  });
});
