import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTROLLER_REVISION_HASH_LABEL, INPLACE_UPDATE_READY_CONDITION } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import type { ReserveOrdinal, StatefulSet } from '../api/statefulSet.js';
import { checkInPlaceUpdateCompleted } from '../inplace/checkInPlaceUpdateCompleted.js';
import { getPodCondition, isPodTerminating, isRunningAndReady } from '../shared/podState.js';
import { aStatefulSet, at, becomeReady, iso, simulateStatefulSetPass, withPods, type StatefulSetOptions, type StatefulSetSimulation } from '../testing/index.js';
import { allPlannedEffects } from '../workload/workloadPassPlan.js';
import { podOrdinal } from './statefulSetPod.js';
import { resolveStatefulSetSettings, type StatefulSetSettings } from './statefulSetSettings.js';

/**
 * The Advanced StatefulSet pass driven pass after pass (`simulateStatefulSetPass`) under a random
 * kubelet: after each pass a random subset of the pods that are not settled become Ready
 * (`becomeReady`), the others stay Pending (or, mid in-place update, Running but not Ready, as
 * the InPlaceUpdateReady readiness gate makes them). Then an all-Ready kubelet lets the set
 * converge. OpenKruise semantics checked: OrderedReady creates one pod at a time, Parallel scale-up
 * stays within scaleStrategy.maxUnavailable, a rolling update stays within maxUnavailable, the
 * partition keeps `partition` pods (the lowest ordinals when ordered) on the old revision, and
 * reserved ordinals never get a pod.
 */

const RANDOM_PASSES = 20;
const SETTLE_PASSES = 80;

interface Scenario {
  readonly options: StatefulSetOptions;
  /** Per random pass of the scale-up, then of the rolling update: which pods become Ready after it (see {@link randomReady}). */
  readonly scaleUp: readonly number[];
  readonly rollout: readonly number[];
}

const reserveArb: fc.Arbitrary<ReserveOrdinal[]> = fc.array(
  fc.oneof(
    fc.integer({ min: 0, max: 15 }),
    fc.tuple(fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 2 })).map(([a, n]) => `${String(a)}-${String(a + n)}`),
  ),
  { maxLength: 3 },
);

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    replicas: fc.integer({ min: 0, max: 12 }),
    podManagementPolicy: fc.constantFrom('OrderedReady' as const, 'Parallel' as const),
    scaleMaxUnavailable: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    reserveOrdinals: reserveArb,
    partition: fc.integer({ min: 0, max: 12 }),
    maxUnavailable: fc.integer({ min: 1, max: 3 }),
    podUpdatePolicy: fc.constantFrom('ReCreate' as const, 'InPlaceIfPossible' as const),
    unordered: fc.boolean(),
    scaleUp: fc.array(fc.nat(), { minLength: RANDOM_PASSES, maxLength: RANDOM_PASSES }),
    rollout: fc.array(fc.nat(), { minLength: RANDOM_PASSES, maxLength: RANDOM_PASSES }),
  })
  .map(({ scaleUp, rollout, scaleMaxUnavailable, unordered, ...rest }) => ({
    scaleUp,
    rollout,
    options: { ...rest, ...(scaleMaxUnavailable === undefined ? {} : { scaleMaxUnavailable }), ...(unordered ? { unorderedUpdate: true as const } : {}) },
  }));

/** A pod the kubelet has nothing left to do for: Running, Ready, its in-place update (if any) done. */
function settled(pod: Pod, now: number): boolean {
  const gate = getPodCondition(pod, INPLACE_UPDATE_READY_CONDITION);
  return isRunningAndReady(pod) && (gate === undefined || gate.status === 'True') && checkInPlaceUpdateCompleted(pod, now).kind === 'completed';
}

/** The kubelet after a pass: `ready(pod)` pods become Ready; the others stay Pending, or lose Ready mid in-place update. */
function kubelet(sim: StatefulSetSimulation, now: number, ready: (pod: Pod) => boolean): StatefulSetSimulation {
  return withPods(sim, (pods) =>
    pods.map((pod) => {
      if (settled(pod, now)) return pod;
      if (ready(pod)) return becomeReady([pod], now)[0] ?? pod;
      if ((pod.status?.phase ?? '') === '') return { ...pod, spec: { ...pod.spec, nodeName: 'node-a' }, status: { phase: 'Pending' } };
      const conditions = (pod.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False' as const, lastTransitionTime: c.status === 'True' ? iso(now) : c.lastTransitionTime } : c));
      return { ...pod, status: { ...pod.status, conditions } };
    }),
  );
}

/** Pod `o` becomes Ready unless bits 2(o % 15) and 2(o % 15) + 1 of `mask` are both clear: 3 chances in 4. */
const randomReady = (mask: number) => (pod: Pod) => ((mask >>> (2 * (podOrdinal(pod) % 15))) & 3) !== 0;
const allReady = () => true;

/** The ordinals the replicas should have: [start, end) without the reserved ones. */
function replicaOrdinals(settings: StatefulSetSettings): number[] {
  const ordinals: number[] = [];
  for (let o = settings.startOrdinal; o < settings.endOrdinal; o++) if (!settings.reserved.has(o)) ordinals.push(o);
  return ordinals;
}

const revisionOf = (pod: Pod): string => pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';

/** What each property check sees after a pass (before the kubelet). */
type Check = (pods: readonly Pod[], settings: StatefulSetSettings) => void;

/**
 * Runs the random passes then the settling ones, calling `check` after every pass; returns the
 * converged simulation (no effects, every pod settled) and the update revision's name.
 */
function drive(start: StatefulSetSimulation, masks: readonly number[], from: number, check: Check): { sim: StatefulSetSimulation; updateRevision: string; settings: StatefulSetSettings } {
  let sim = start;
  for (let pass = 0; pass < masks.length + SETTLE_PASSES; pass++) {
    const now = at(from + pass);
    const { plan, next } = simulateStatefulSetPass(sim, { now });
    check(next.world.pods, plan.settings);
    if (allPlannedEffects(plan).length === 0 && next.world.pods.every((p) => settled(p, now))) {
      return { sim: next, updateRevision: plan.updateRevision.metadata.name ?? '', settings: plan.settings };
    }
    sim = kubelet(next, now, pass < masks.length ? randomReady(masks[pass] ?? 0) : allReady);
  }
  throw new Error(`did not converge: ${JSON.stringify(sim.statefulSet.spec)}`);
}

function withImage(set: StatefulSet, image: string): StatefulSet {
  const [main, ...rest] = set.spec.template.spec.containers;
  const containers = [{ ...main, name: main?.name ?? 'main', image }, ...rest];
  return { ...set, metadata: { ...set.metadata, generation: (set.metadata?.generation ?? 1) + 1 }, spec: { ...set.spec, template: { ...set.spec.template, spec: { ...set.spec.template.spec, containers } } } };
}

/** (e) Reserved ordinals never get a pod. */
const noReservedPod: Check = (pods, settings) => {
  for (const pod of pods) expect(settings.reserved.has(podOrdinal(pod)), `pod ${pod.metadata.name ?? ''} at a reserved ordinal`).toBe(false);
};

/** (f) After convergence the pod names are exactly the expected ordinals. */
function expectExactOrdinals(sim: StatefulSetSimulation, settings: StatefulSetSettings): void {
  expect(sim.world.pods.map(podOrdinal).sort((a, b) => a - b)).toEqual(replicaOrdinals(settings));
}

describe('Advanced StatefulSet pass properties (random kubelet)', () => {
  it('scale-up from 0, then a rolling update from the all-ready set: OrderedReady one pod at a time, Parallel within scaleStrategy.maxUnavailable, the update within maxUnavailable, replicas − partition updated (the highest ordinals when ordered), reserved ordinals empty, the expected ordinals', () => {
    fc.assert(
      fc.property(scenarioArb, ({ options, scaleUp, rollout }) => {
        const set = aStatefulSet(options);
        const expected = replicaOrdinals(resolveStatefulSetSettings(set));
        const replicas = new Set(expected);

        // Scale-up from 0.
        const scaleUpCheck: Check = (pods, s) => {
          noReservedPod(pods, s);
          const notReady = pods.filter((p) => !isRunningAndReady(p));
          // (a) OrderedReady: never two pods not Ready at the same time.
          if (s.podManagementPolicy === 'OrderedReady') expect(notReady.length, `not ready: ${notReady.map((p) => p.metadata.name ?? '').join(', ')}`).toBeLessThanOrEqual(1);
          // (b) Parallel with scaleStrategy.maxUnavailable k: at most k replicas not available (minReadySeconds 0).
          if (s.podManagementPolicy === 'Parallel' && s.scaleMaxUnavailable !== undefined) {
            expect(notReady.filter((p) => replicas.has(podOrdinal(p))).length).toBeLessThanOrEqual(s.scaleMaxUnavailable);
          }
        };
        const ready = drive({ statefulSet: set, world: { pods: [], pvcs: [], revisions: [] } }, scaleUp, 0, scaleUpCheck);
        // (f) The expected ordinals, every pod at the only revision.
        expectExactOrdinals(ready.sim, ready.settings);

        // A rolling update to nginx:2 from the all-ready set.
        const rolloutCheck: Check = (pods, s) => {
          noReservedPod(pods, s);
          // (c) Replica ordinals missing, not Ready or terminating never exceed maxUnavailable.
          const byOrdinal = new Map(pods.map((p) => [podOrdinal(p), p]));
          const down = expected.filter((o) => {
            const pod = byOrdinal.get(o);
            return pod === undefined || !isRunningAndReady(pod) || isPodTerminating(pod);
          });
          expect(down.length, `down: ${down.join(', ')}`).toBeLessThanOrEqual(s.maxUnavailable);
        };
        const updated = drive({ ...ready.sim, statefulSet: withImage(ready.sim.statefulSet, 'nginx:2') }, rollout, 1000, rolloutCheck);
        expectExactOrdinals(updated.sim, updated.settings);
        // (d) replicas − partition pods at the update revision; ordered: the highest ordinals.
        const atUpdate = updated.sim.world.pods.filter((p) => revisionOf(p) === updated.updateRevision).map(podOrdinal).sort((a, b) => a - b);
        const count = Math.max(0, updated.settings.replicas - updated.settings.partition);
        expect(atUpdate).toHaveLength(count);
        if (!updated.settings.unordered) expect(atUpdate).toEqual(expected.slice(expected.length - count));
      }),
      { numRuns: 100 },
    );
  });
});
