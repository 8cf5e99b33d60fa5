import type { DaemonSet } from '../api/daemonSet.js';
import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import { daemonPodTarget } from '../daemonset/daemonSetPod.js';
import { withFailedPodBackoffUpdates, type FailedPodsBackoff } from '../daemonset/failedPodsBackoff.js';
import { planDaemonSetPass, type DaemonSetPassPlan, type DaemonSetSnapshot } from '../daemonset/planDaemonSetPass.js';
import type { EpochMs } from '../shared/podState.js';
import { simulateWorkloadPlan, type SimulatedWorld } from '../workload/simulateWorkloadEffects.js';
import type { WorkloadEffect } from '../workload/workloadEffect.js';

/**
 * An Advanced DaemonSet driven pass after pass without a cluster: the real pass planner
 * (`planDaemonSetPass`), its effects applied to a simulated world, the failed-pod back-off kept
 * between passes as the controller keeps it, and the caller's scheduler and kubelet
 * (`bindDaemonPods`, `becomeReady`, or its own). For tests, offline plans and previews.
 */

/** A simulated Advanced DaemonSet: the object (with the status its last pass wrote), its nodes, its objects. */
export interface DaemonSetSimulation {
  readonly daemonSet: DaemonSet;
  readonly nodes: readonly Node[];
  readonly world: SimulatedWorld;
  /** The failed-pod back-off the controller keeps. */
  readonly failedPodsBackoff?: FailedPodsBackoff;
}

/** Options of {@link simulateDaemonSetPass}. */
export interface SimulatedDaemonSetPassOptions {
  /** The pass's moment. */
  readonly now: EpochMs;
  readonly featureGates?: DaemonSetSnapshot['featureGates'];
  /** Pod name suffixes (default: derived from the set, the node and `now`). */
  readonly podNameSuffixes?: DaemonSetSnapshot['podNameSuffixes'];
  /** Effects that fail, as the apiserver would refuse them (fault injection). */
  readonly fails?: (effect: WorkloadEffect) => boolean;
}

/** What one simulated pass planned, and the set afterwards. */
export interface SimulatedDaemonSetPass {
  readonly plan: DaemonSetPassPlan;
  readonly next: DaemonSetSimulation;
  /** The first effect that failed (by `fails`), if any. */
  readonly failed?: WorkloadEffect;
}

/**
 * Returns one Advanced DaemonSet pass planned by `planDaemonSetPass` and carried out as the
 * controller's executor would: prelude (a failure ends the pass, status untouched), stage waves
 * (the first failing wave ends them), the status, clean-ups. Deleted pods go at once; created pods
 * are unbound and have no status until the caller's scheduler and kubelet act.
 *
 * @example simulateDaemonSetPass({ daemonSet: aDaemonSet(), nodes: someNodes(3), world: { pods: [], pvcs: [], revisions: [] } }, { now: T0 }).plan.step.stage // 'manage'
 */
export function simulateDaemonSetPass(simulation: DaemonSetSimulation, options: SimulatedDaemonSetPassOptions): SimulatedDaemonSetPass {
  const { now } = options;
  const plan = planDaemonSetPass({
    daemonSet: simulation.daemonSet,
    pods: simulation.world.pods,
    nodes: simulation.nodes,
    revisions: simulation.world.revisions,
    now,
    ...(simulation.failedPodsBackoff === undefined ? {} : { failedPodsBackoff: simulation.failedPodsBackoff }),
    ...(options.featureGates === undefined ? {} : { featureGates: options.featureGates }),
    ...(options.podNameSuffixes === undefined ? {} : { podNameSuffixes: options.podNameSuffixes }),
  });
  const done = simulateWorkloadPlan(simulation.world, plan, now, options.fails);
  const next: DaemonSetSimulation = {
    ...simulation,
    daemonSet: done.status === undefined ? simulation.daemonSet : { ...simulation.daemonSet, status: done.status },
    world: done.world,
    failedPodsBackoff: withFailedPodBackoffUpdates(simulation.failedPodsBackoff ?? new Map(), plan.failedPodsBackoff, now),
  };
  return done.failed === undefined ? { plan, next } : { plan, next, failed: done.failed };
}

/** Returns the simulation with `pods` changed by `change` (a kubelet, a user deleting a pod...). */
export function withDaemonPods(simulation: DaemonSetSimulation, change: (pods: readonly Pod[]) => readonly Pod[]): DaemonSetSimulation {
  return { ...simulation, world: { ...simulation.world, pods: change(simulation.world.pods) } };
}

/**
 * Returns the pods as the default scheduler leaves them: each unbound pod pinned to a node through
 * `matchFields` `metadata.name` is bound there (`spec.nodeName`) when `nodes` has that node, and
 * Pending.
 */
export function bindDaemonPods(pods: readonly Pod[], nodes: readonly Node[]): Pod[] {
  const names = new Set(nodes.map((n) => n.metadata.name ?? ''));
  return pods.map((pod) => {
    if ((pod.spec.nodeName ?? '') !== '') return pod;
    const target = daemonPodTarget(pod);
    if (target.kind !== 'node' || !names.has(target.node)) return pod;
    return { ...pod, spec: { ...pod.spec, nodeName: target.node }, status: { ...pod.status, phase: pod.status?.phase ?? 'Pending' } };
  });
}
