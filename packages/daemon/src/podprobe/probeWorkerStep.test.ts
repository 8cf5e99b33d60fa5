import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContainerInfo } from '../cri/containerRuntime.js';
import { NEW_PROBE_WORKER, prepareProbe, probeTiming, recordProbeOutcome, type ProbeWorkerState } from './probeWorkerStep.js';

const container = (over: Partial<ContainerInfo> = {}): ContainerInfo => ({ id: 'c1', podSandboxId: 's1', name: 'main', attempt: 0, image: 'busybox', state: 'CONTAINER_RUNNING', labels: {}, createdAt: 0, ...over });
const exec = { exec: { command: ['cat', '/tmp/ready'] } };

describe('probeTiming', () => {
  it('counts every timing field below 1 as 1, keeps the others (OpenKruise worker)', () => {
    expect(probeTiming({ ...exec })).toEqual({ periodSeconds: 1, initialDelaySeconds: 1, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 1 });
    expect(probeTiming({ ...exec, periodSeconds: 10, initialDelaySeconds: 5, timeoutSeconds: 3, successThreshold: 2, failureThreshold: 3 })).toEqual({ periodSeconds: 10, initialDelaySeconds: 5, timeoutSeconds: 3, successThreshold: 2, failureThreshold: 3 });
  });
});

describe('prepareProbe', () => {
  it.each<[string, ProbeWorkerState, ContainerInfo | undefined, number, { probe: boolean; writes: string[] }]>([
    ['no container yet → skip, nothing written', NEW_PROBE_WORKER, undefined, 10_000, { probe: false, writes: [] }],
    ['first container, started 10 s ago → Unknown then probe', NEW_PROBE_WORKER, container(), 10_000, { probe: true, writes: ['set c1 Unknown'] }],
    ['same container, 3 s after start with initialDelaySeconds 5 → skip', { ...NEW_PROBE_WORKER, containerId: 'c1' }, container(), 3_000, { probe: false, writes: [] }],
    ['a new container → the old result forgotten, the new one Unknown', { ...NEW_PROBE_WORKER, containerId: 'c0' }, container(), 10_000, { probe: true, writes: ['forget c0', 'set c1 Unknown'] }],
    ['an exited container → Failed Non-running, probed anyway', { ...NEW_PROBE_WORKER, containerId: 'c1' }, container({ state: 'CONTAINER_EXITED' }), 10_000, { probe: true, writes: ['set c1 Failed'] }],
  ])('%s', (_story, state, c, now, expected) => {
    const prepared = prepareProbe(state, c, 'main', { ...exec, initialDelaySeconds: 5 }, now);
    expect({ probe: prepared.probe, writes: prepared.writes.map((w) => (w.kind === 'forget' ? `forget ${w.containerId}` : `set ${w.containerId} ${w.state}`)) }).toEqual(expected);
  });

  it('says why a non-running container fails', () => {
    expect(prepareProbe({ ...NEW_PROBE_WORKER, containerId: 'c1' }, container({ state: 'CONTAINER_EXITED' }), 'main', exec, 10_000).writes).toEqual([{ kind: 'set', containerId: 'c1', state: 'Failed', message: 'Container(main) is Non-running' }]);
  });
});

describe('recordProbeOutcome', () => {
  it('failureThreshold 3: the third Failed in a row is reported, not the first two', () => {
    let state: ProbeWorkerState = { containerId: 'c1', lastResult: 'Succeeded', resultRun: 4 };
    const spec = { ...exec, failureThreshold: 3 };
    const writes: (string | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      const recorded = recordProbeOutcome(state, { state: 'Failed', message: 'no' }, spec);
      state = recorded.state;
      writes.push(recorded.write?.kind === 'set' ? recorded.write.state : undefined);
    }
    expect(writes).toEqual([undefined, undefined, 'Failed']);
  });

  it('property: a result is written exactly when the run of equal outcomes reaches its threshold or goes beyond', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), (outcomes, success, failure) => {
        const spec = { ...exec, successThreshold: success, failureThreshold: failure };
        let state: ProbeWorkerState = { ...NEW_PROBE_WORKER, containerId: 'c1' };
        let run = 0;
        let last: boolean | undefined;
        for (const ok of outcomes) {
          run = last === ok ? run + 1 : 1;
          last = ok;
          const recorded = recordProbeOutcome(state, { state: ok ? 'Succeeded' : 'Failed', message: '' }, spec);
          state = recorded.state;
          expect(recorded.write !== undefined).toBe(run >= Math.max(1, ok ? success : failure));
          if (recorded.write?.kind === 'set') expect(recorded.write.state).toBe(ok ? 'Succeeded' : 'Failed');
        }
      }),
    );
  });
});
