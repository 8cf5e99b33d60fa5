import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { at, T0 } from '../testing/index.js';
import { planInPlaceUpdatePatch } from './planInPlaceUpdatePatch.js';
import { planNextContainerBatch } from './planNextContainerBatch.js';
import { barrierEnv, podWith, simulateKubelet, updateSpec } from './inplace.testkit.js';

/** Sidecar (p_1) and app (p_0) both move to new images; the first batch (sidecar) is applied at T0. */
function firstBatchApplied(): Pod {
  const pod = podWith([
    { name: 'app', image: 'app:1', env: barrierEnv(0) },
    { name: 'sidecar', image: 'envoy:1', env: barrierEnv(1) },
  ]);
  return planInPlaceUpdatePatch(pod, updateSpec({ containerImages: { app: 'app:2', sidecar: 'envoy:2' } }), { now: T0 }).pod;
}

describe('planNextContainerBatch', () => {
  it.each<[string, () => Pod, object]>([
    ['no in-place update on the pod', () => podWith([{ name: 'main', image: 'nginx:1' }]), { kind: 'no-update' }],
    ['the sidecar has not restarted yet', firstBatchApplied, { kind: 'wait-current-batch', completion: { kind: 'waiting-image', container: 'sidecar' } }],
    ['the sidecar restarted but is not Ready', () => simulateKubelet(firstBatchApplied(), false), { kind: 'wait-container-ready', container: 'sidecar' }],
    ['the sidecar is Ready: the app goes next', () => simulateKubelet(firstBatchApplied()), { kind: 'apply-batch', batch: ['app'] }],
  ])('%s', (_story, pod, expected) => {
    expect(planNextContainerBatch(pod(), { now: at(20) })).toMatchObject(expected);
  });

  it('the second batch records itself and clears the parked images and the pre-check', () => {
    const decision = planNextContainerBatch(simulateKubelet(firstBatchApplied()), { now: at(20) });
    if (decision.kind !== 'apply-batch') throw new Error(`expected apply-batch, got ${decision.kind}`);
    expect(decision.pod.spec.containers.map((c) => c.image)).toEqual(['app:2', 'envoy:2']);
    expect(decision.state.nextContainerImages).toEqual({});
    expect(decision.state.preCheckBeforeNext).toBeUndefined();
    expect(decision.state.containerBatchesRecord).toEqual([
      { timestamp: '2025-01-01T00:00:00Z', containers: ['sidecar'] },
      { timestamp: '2025-01-01T00:00:20Z', containers: ['app'] },
    ]);
    expect(Object.keys(decision.state.lastContainerStatuses ?? {}).sort()).toEqual(['app', 'sidecar']);
  });

  it('after the last batch there is no next batch', () => {
    const second = planNextContainerBatch(simulateKubelet(firstBatchApplied()), { now: at(20) });
    if (second.kind !== 'apply-batch') throw new Error(`expected apply-batch, got ${second.kind}`);
    expect(planNextContainerBatch(simulateKubelet(second.pod), { now: at(40) })).toEqual({ kind: 'no-next-batch' });
  });
});
