import { describe, expect, it } from 'vitest';
import type { StatefulSet } from '../api/statefulSet.js';
import { aStatefulSet, becomeReady, simulateStatefulSetPass, T0, withPods, type StatefulSetOptions, type StatefulSetSimulation } from '../testing/index.js';
import { allPlannedEffects } from '../workload/workloadPassPlan.js';
import { explainStatefulSetPods } from './explainStatefulSetPods.js';

function converged(options: StatefulSetOptions): StatefulSetSimulation {
  let sim: StatefulSetSimulation = { statefulSet: aStatefulSet(options), world: { pods: [], pvcs: [], revisions: [] } };
  for (let i = 0; i < 60; i++) {
    const pass = simulateStatefulSetPass(sim, { now: T0 + i * 1000 });
    sim = withPods(pass.next, (pods) => becomeReady(pods, T0 + i * 1000));
    if (allPlannedEffects(pass.plan).length === 0) return sim;
  }
  throw new Error('did not converge');
}

function newImage(sim: StatefulSetSimulation, spec: Partial<StatefulSet['spec']> = {}): StatefulSetSimulation {
  const set = sim.statefulSet;
  const containers = [{ name: 'main', image: 'nginx:2' }];
  return { ...sim, statefulSet: { ...set, metadata: { ...set.metadata, generation: (set.metadata?.generation ?? 1) + 1 }, spec: { ...set.spec, ...spec, template: { ...set.spec.template, spec: { ...set.spec.template.spec, containers } } } } };
}

const reasons = (sim: StatefulSetSimulation, now: number) =>
  explainStatefulSetPods({ statefulSet: sim.statefulSet, ...sim.world, now }).pods.map((p) => `${p.pod}:${p.reason}${p.position === undefined ? '' : `#${String(p.position)}`}`).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

describe('explainStatefulSetPods', () => {
  const base = { replicas: 10, podManagementPolicy: 'Parallel' as const, partition: 3, maxUnavailable: 2 };

  it('ordered, partition 3, maxUnavailable 2, a new image: the two highest go now, five wait for maxUnavailable, three are kept', () => {
    const sim = newImage(converged(base));
    const now = T0 + 120_000;
    expect(reasons(sim, now)).toEqual([
      'web-0:partition',
      'web-1:partition',
      'web-2:partition',
      'web-3:max-unavailable-reached#7',
      'web-4:max-unavailable-reached#6',
      'web-5:max-unavailable-reached#5',
      'web-6:max-unavailable-reached#4',
      'web-7:max-unavailable-reached#3',
      'web-8:recreate#2',
      'web-9:recreate#1',
    ]);
    // The pass does what it says: it removes exactly web-9 and web-8.
    const pass = simulateStatefulSetPass(sim, { now });
    expect(pass.plan.step.update?.actions.map((a) => `${a.kind} ${a.pod.metadata.name ?? ''}`)).toEqual(['recreate web-9', 'recreate web-8']);
  });

  it('in place under InPlaceIfPossible names the changed path', () => {
    const sim = newImage(converged({ ...base, podUpdatePolicy: 'InPlaceIfPossible' }));
    const got = explainStatefulSetPods({ statefulSet: sim.statefulSet, ...sim.world, now: T0 + 120_000 }).pods.find((p) => p.pod === 'web-9');
    expect(got).toMatchObject({ reason: 'update-in-place', position: 1, paths: ['/spec/containers/0/image'] });
  });

  it('Parallel: the next pass creates the two again and goes on (their slots keep places 1 and 2); the others keep their reasons', () => {
    const next = simulateStatefulSetPass(newImage(converged(base)), { now: T0 + 120_000 }).next;
    expect(reasons(next, T0 + 121_000)).toEqual(['web-0:partition', 'web-1:partition', 'web-2:partition', 'web-3:max-unavailable-reached#7', 'web-4:max-unavailable-reached#6', 'web-5:max-unavailable-reached#5', 'web-6:max-unavailable-reached#4', 'web-7:max-unavailable-reached#3']);
  });

  it('OrderedReady: the next pass only creates the removed pod again (scale-first for the others)', () => {
    const sim = newImage(converged({ ...base, podManagementPolicy: 'OrderedReady' }));
    const next = simulateStatefulSetPass(sim, { now: T0 + 120_000 }).next;
    const got = reasons(next, T0 + 121_000);
    expect(got.filter((r) => r.endsWith(':scale-first')).length).toBe(got.length);
    expect(got.length).toBeGreaterThan(0);
  });

  it.each([
    { story: 'paused', spec: { paused: true }, want: 'paused' },
    { story: 'OnDelete', spec: { updateType: 'OnDelete' as const }, want: 'on-delete' },
    { story: 'partition 10', spec: { partition: 10 }, want: 'partition' },
  ])('every old pod is held back: $story', ({ spec, want }) => {
    expect(new Set(reasons(newImage(converged({ ...base, ...spec })), T0 + 120_000).map((r) => r.split(':')[1]))).toEqual(new Set([want]));
  });
});
