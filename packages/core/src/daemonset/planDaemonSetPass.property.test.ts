import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INPLACE_UPDATE_READY_CONDITION } from '../api/labels.js';
import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import { checkInPlaceUpdateCompleted } from '../inplace/checkInPlaceUpdateCompleted.js';
import { getPodCondition, isPodTerminating, isRunningAndReady, type EpochMs } from '../shared/podState.js';
import { becomeReady, bindDaemonPods, iso, simulateDaemonSetPass, T0, withDaemonPods, type DaemonSetOptions, type DaemonSetSimulation } from '../testing/index.js';
import { allPlannedEffects } from '../workload/workloadPassPlan.js';
import { converge, hashOf, startSimulation, withImage, zoneNodes } from './daemonset.testkit.js';
import { daemonPodPlacement, nodeShouldRunDaemonPod, shouldRunDaemonPod } from './daemonSetNodes.js';
import { isDaemonPodAvailable } from './daemonSetPod.js';

/**
 * The Advanced DaemonSet pass driven pass after pass (`simulateDaemonSetPass`) over random nodes
 * (zones, a template nodeSelector, untolerated taints) under a random kubelet: after each pass the
 * scheduler binds every pinned pod, and a random subset of the pods not yet settled become Ready;
 * the others stay Pending (or, mid in-place update, Running but not Ready, as the
 * InPlaceUpdateReady readiness gate makes them). OpenKruise semantics checked: a rolling update
 * never leaves more than maxUnavailable eligible nodes without an available pod; with maxSurge
 * (and maxUnavailable 0) never fewer than all of them; at convergence exactly one pod per eligible
 * node, none elsewhere, and all but `partition` of them at the update revision; with writes the
 * apiserver refuses at random, the set still converges, every pod available.
 */

const RANDOM_PASSES = 25;

interface Scenario {
  readonly nodeCount: number;
  /** Nodes (by index mod 7) with an untolerated NoSchedule taint. */
  readonly tainted: number;
  /** Template nodeSelector on one zone, or none. */
  readonly zone: 'a' | 'b' | undefined;
  readonly options: DaemonSetOptions;
  /** Per random pass of the rollout: which pods become Ready after it. */
  readonly rollout: readonly number[];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    nodeCount: fc.integer({ min: 1, max: 14 }),
    tainted: fc.integer({ min: 0, max: 6 }),
    zone: fc.constantFrom(undefined, 'a' as const, 'b' as const),
    maxUnavailable: fc.integer({ min: 1, max: 4 }),
    maxSurge: fc.integer({ min: 0, max: 3 }),
    partition: fc.integer({ min: 0, max: 8 }),
    rollingUpdateType: fc.constantFrom('Standard' as const, 'InPlaceIfPossible' as const),
    burstReplicas: fc.integer({ min: 1, max: 10 }),
    rollout: fc.array(fc.nat(), { minLength: RANDOM_PASSES, maxLength: RANDOM_PASSES }),
  })
  .map(({ nodeCount, tainted, zone, maxSurge, maxUnavailable, rollout, ...rest }) => ({
    nodeCount,
    tainted,
    zone,
    rollout,
    // OpenKruise's validation: maxSurge and maxUnavailable are not both set above 0.
    options: { ...rest, ...(maxSurge > 0 ? { maxSurge, maxUnavailable: 0 } : { maxUnavailable }) },
  }));

function nodesOf(scenario: Scenario): Node[] {
  return zoneNodes(scenario.nodeCount, (node, i) => (i % 7 < scenario.tainted && i % 2 === 1 ? { ...node, spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } } : node));
}

function withZoneSelector(sim: DaemonSetSimulation, zone: string | undefined): DaemonSetSimulation {
  if (zone === undefined) return sim;
  const { daemonSet: ds } = sim;
  return { ...sim, daemonSet: { ...ds, spec: { ...ds.spec, template: { ...ds.spec.template, spec: { ...ds.spec.template.spec, nodeSelector: { zone } } } } } };
}

/** A pod the kubelet has nothing left to do for: Running, Ready, its in-place update (if any) done. */
function settled(pod: Pod, now: EpochMs): boolean {
  const gate = getPodCondition(pod, INPLACE_UPDATE_READY_CONDITION);
  return isRunningAndReady(pod) && (gate === undefined || gate.status === 'True') && checkInPlaceUpdateCompleted(pod, now).kind === 'completed';
}

/** The scheduler and kubelet after a pass: pinned pods bound; `ready(pod)` pods become Ready, the others do not. */
function kubelet(sim: DaemonSetSimulation, now: EpochMs, ready: (pod: Pod) => boolean): DaemonSetSimulation {
  return withDaemonPods(sim, (pods) =>
    bindDaemonPods(pods, sim.nodes).map((pod) => {
      if (settled(pod, now)) return pod;
      if (ready(pod)) return becomeReady([pod], now)[0] ?? pod;
      if ((pod.status?.phase ?? 'Pending') === 'Pending') return { ...pod, status: { ...pod.status, phase: 'Pending' } };
      const conditions = (pod.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False' as const, lastTransitionTime: c.status === 'True' ? iso(now) : c.lastTransitionTime } : c));
      return { ...pod, status: { ...pod.status, conditions } };
    }),
  );
}

/** Pod `i` (by name hash) becomes Ready unless two bits of `mask` are clear: 3 chances in 4. */
function randomReady(mask: number): (pod: Pod) => boolean {
  return (pod) => {
    const name = pod.metadata.name ?? '';
    let h = 0;
    for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) % 15;
    return ((mask >> (2 * h)) & 3) !== 0;
  };
}

/** The eligible nodes, and how many of them have a live pod the status counts as available. */
function availability(sim: DaemonSetSimulation, now: EpochMs): { eligible: string[]; available: number } {
  const placement = daemonPodPlacement(sim.daemonSet.spec.template.spec);
  const eligible = sim.nodes.filter((n) => shouldRunDaemonPod(nodeShouldRunDaemonPod(n, placement))).map((n) => n.metadata.name ?? '');
  const live = sim.world.pods.filter((p) => !isPodTerminating(p) && isDaemonPodAvailable(p, 0, now));
  const withPod = new Set(live.map((p) => p.spec.nodeName ?? ''));
  return { eligible, available: eligible.filter((n) => withPod.has(n)).length };
}

function scenarioStart(scenario: Scenario): DaemonSetSimulation {
  return converge(withZoneSelector(startSimulation(scenario.options, nodesOf(scenario)), scenario.zone), T0);
}

describe('planDaemonSetPass properties', () => {
  it('a rolling update keeps within maxUnavailable (or, with maxSurge, every eligible node available) and converges to one pod per eligible node, all but partition updated', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        let sim = scenarioStart(scenario);
        const start = T0 + 100_000;
        const { eligible } = availability(sim, start);
        expect(availability(sim, start).available).toBe(eligible.length);
        sim = { ...sim, daemonSet: withImage(sim.daemonSet, 'nginx:2') };
        const maxUnavailable = scenario.options.maxSurge === undefined ? Math.max(1, Number(scenario.options.maxUnavailable ?? 1)) : 0;
        scenario.rollout.forEach((mask, i) => {
          const now = start + i * 1000;
          const pass = simulateDaemonSetPass(sim, { now });
          const after = availability(pass.next, now);
          expect(eligible.length - after.available).toBeLessThanOrEqual(maxUnavailable);
          sim = kubelet(pass.next, now, randomReady(mask));
        });
        const end = start + RANDOM_PASSES * 1000;
        let last = simulateDaemonSetPass(sim, { now: end });
        // Until a pass writes nothing and the kubelet has nothing left to do (a pass waiting for a
        // surge pod to become Ready writes nothing, yet the rollout is not over).
        for (let i = 1; i < 80; i++) {
          const now = end + i * 1000;
          const before = availability(last.next, now);
          expect(eligible.length - before.available).toBeLessThanOrEqual(maxUnavailable);
          sim = kubelet(last.next, now, () => true);
          if (allPlannedEffects(last.plan).length === 0 && JSON.stringify(sim.world.pods) === JSON.stringify(last.next.world.pods)) break;
          last = simulateDaemonSetPass(sim, { now: now + 500 });
        }
        expect(allPlannedEffects(last.plan)).toEqual([]);
        const pods = last.next.world.pods.filter((p) => !isPodTerminating(p));
        expect(pods.map((p) => p.spec.nodeName ?? '').sort()).toEqual([...eligible].sort());
        const updated = pods.filter((p) => hashOf(p) === last.plan.hash).length;
        expect(updated).toBe(Math.max(0, eligible.length - Number(scenario.options.partition ?? 0)));
        expect(last.next.daemonSet.status?.desiredNumberScheduled).toBe(eligible.length);
        expect(last.next.daemonSet.status?.updatedNumberScheduled).toBe(updated);
      }),
      { numRuns: 60 },
    );
  });

  it('writes the apiserver refuses at random during a rollout: the set still converges to one pod per eligible node once they stop', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.nat(), { minLength: RANDOM_PASSES, maxLength: RANDOM_PASSES }), (scenario, refusals) => {
        let sim = scenarioStart(scenario);
        const start = T0 + 100_000;
        const { eligible } = availability(sim, start);
        sim = { ...sim, daemonSet: withImage(sim.daemonSet, 'nginx:2') };
        // No budget check here: a refused in-place patch leaves its pod's InPlaceUpdateReady False,
        // the kubelet makes it unready, and an old pod that is unavailable is replaced outside the
        // budget, as OpenKruise (and upstream) do.
        refusals.forEach((mask, i) => {
          const now = start + i * 1000;
          let n = 0;
          // Effect n of the pass is refused when bit n % 30 of the mask is set.
          const pass = simulateDaemonSetPass(sim, { now, fails: () => ((mask >> (n++ % 30)) & 1) === 1 });
          sim = kubelet(pass.next, now, randomReady(mask));
        });
        const settledSim = converge(sim, start + RANDOM_PASSES * 1000);
        const pods = settledSim.world.pods.filter((p) => !isPodTerminating(p));
        expect(pods.map((p) => p.spec.nodeName ?? '').sort()).toEqual([...eligible].sort());
        expect(pods.every((p) => isDaemonPodAvailable(p, 0, start + 200_000))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('nodes that come and go: after the set settles, exactly one pod per eligible node', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.integer({ min: 0, max: 13 }), { maxLength: 6 }), (scenario, relabel) => {
        const sim = scenarioStart(scenario);
        // Some nodes change zone (moving in or out of the selector), one node is added.
        const changed = [...sim.nodes, zoneNodes(scenario.nodeCount + 1)[scenario.nodeCount] as Node].map((node, i) =>
          relabel.includes(i) ? { ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels, zone: node.metadata.labels?.zone === 'a' ? 'b' : 'a' } } } : node,
        );
        const settledSim = converge({ ...sim, nodes: changed }, T0 + 200_000);
        const { eligible } = availability(settledSim, T0 + 300_000);
        const pods = settledSim.world.pods.filter((p) => !isPodTerminating(p));
        expect(pods.map((p) => p.spec.nodeName ?? '').sort()).toEqual([...eligible].sort());
      }),
      { numRuns: 60 },
    );
  });
});
