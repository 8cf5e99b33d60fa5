import type { Pod } from '../api/pod.js';
import type { StatefulSet } from '../api/statefulSet.js';
import type { EpochMs } from '../shared/podState.js';
import { planStatefulSetPass, type StatefulSetPassPlan, type StatefulSetSnapshot } from '../statefulset/planStatefulSetPass.js';
import { simulateWorkloadPlan, type SimulatedWorld } from '../workload/simulateWorkloadEffects.js';
import type { WorkloadEffect } from '../workload/workloadEffect.js';

/**
 * An Advanced StatefulSet driven pass after pass without a cluster: the real pass planner
 * (`planStatefulSetPass`), its effects applied to a simulated world, and the caller's kubelet
 * (`becomeReady`, or its own). For tests, offline plans and previews.
 */

/** A simulated Advanced StatefulSet: the object, with the status its last pass wrote, and its objects. */
export interface StatefulSetSimulation {
  readonly statefulSet: StatefulSet;
  readonly world: SimulatedWorld;
}

/** Options of {@link simulateStatefulSetPass}. */
export interface SimulatedStatefulSetPassOptions {
  /** The pass's moment. */
  readonly now: EpochMs;
  readonly featureGates?: StatefulSetSnapshot['featureGates'];
  /** Effects that fail, as the apiserver would refuse them (fault injection). */
  readonly fails?: (effect: WorkloadEffect) => boolean;
}

/** What one simulated pass planned, and the set afterwards. */
export interface SimulatedStatefulSetPass {
  readonly plan: StatefulSetPassPlan;
  readonly next: StatefulSetSimulation;
  /** The first effect that failed (by `fails`), if any. */
  readonly failed?: WorkloadEffect;
}

/**
 * Returns one Advanced StatefulSet pass planned by `planStatefulSetPass` and carried out as the
 * controller's executor would: prelude (a failure ends the pass, status untouched), stage waves
 * (the first failing wave ends them), the status (with the failed effect's condition), clean-ups.
 * Deleted pods go at once; created pods have no status until the caller's kubelet gives them one.
 *
 * @example simulateStatefulSetPass({ statefulSet: aStatefulSet({ replicas: 2 }), world: { pods: [], pvcs: [], revisions: [] } }, { now: T0 }).plan.step.stage // 'replicas'
 */
export function simulateStatefulSetPass(simulation: StatefulSetSimulation, options: SimulatedStatefulSetPassOptions): SimulatedStatefulSetPass {
  const { now } = options;
  const plan = planStatefulSetPass({
    statefulSet: simulation.statefulSet,
    ...simulation.world,
    now,
    ...(options.featureGates === undefined ? {} : { featureGates: options.featureGates }),
  });
  const done = simulateWorkloadPlan(simulation.world, plan, now, options.fails);
  const next = { statefulSet: done.status === undefined ? simulation.statefulSet : { ...simulation.statefulSet, status: done.status }, world: done.world };
  return done.failed === undefined ? { plan, next } : { plan, next, failed: done.failed };
}

/** Returns the simulation with `pods` changed by `change` (a kubelet, a user deleting a pod...). */
export function withPods(simulation: StatefulSetSimulation, change: (pods: readonly Pod[]) => readonly Pod[]): StatefulSetSimulation {
  return { ...simulation, world: { ...simulation.world, pods: change(simulation.world.pods) } };
}
