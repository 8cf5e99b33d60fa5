import type { CloneSet } from '../api/cloneSet.js';
import { SPECIFIED_DELETE_LABEL } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import { planCloneSetPass, type CloneSetPassPlan, type CloneSetSnapshot } from '../cloneset/planCloneSetPass.js';
import type { InstanceIdSuffixes } from '../cloneset/scaleCreations.js';
import { formatTime, isPodReady, type EpochMs } from '../shared/podState.js';
import type { NodeLabels } from '../workload/podSorter.js';
import { simulateWorkloadPlan, type SimulatedWorld } from '../workload/simulateWorkloadEffects.js';
import type { WorkloadEffect } from '../workload/workloadEffect.js';

/**
 * A CloneSet driven pass after pass without a cluster: the real pass planner
 * (`planCloneSetPass`), its effects applied to a simulated world (`simulateWorkloadEffects`),
 * and a kubelet that makes pods ready ({@link becomeReady}). For tests, offline plans and previews.
 */

/** A simulated CloneSet: the object, with the status its last pass wrote, and its objects. */
export interface CloneSetSimulation {
  readonly cloneSet: CloneSet;
  readonly world: SimulatedWorld;
}

/** Options of {@link simulateCloneSetPass}. */
export interface SimulatedCloneSetPassOptions {
  /** The pass's moment. */
  readonly now: EpochMs;
  /** Instance-id suffixes (default: `s<pass time>x<n>`, unique per pass). */
  readonly instanceIdSuffixes?: InstanceIdSuffixes;
  readonly featureGates?: CloneSetSnapshot['featureGates'];
  readonly nodeLabels?: NodeLabels;
  /** Effects that fail, as the apiserver would refuse them (fault injection). */
  readonly fails?: (effect: WorkloadEffect) => boolean;
}

/** What one simulated pass planned, and the CloneSet afterwards. */
export interface SimulatedCloneSetPass {
  readonly plan: CloneSetPassPlan;
  readonly next: CloneSetSimulation;
  /** The first effect that failed (by `fails`), if any. */
  readonly failed?: WorkloadEffect;
}

/**
 * Returns one CloneSet pass planned by `planCloneSetPass` and carried out as the controller's
 * executor would: prelude (a failure ends the pass, status untouched), stage waves (the first
 * failing wave ends the stage), the status (with `FailedScale`/`FailedUpdate` when the stage
 * failed), clean-ups. Pods are left as written: call {@link becomeReady} for the kubelet.
 *
 * @example simulateCloneSetPass({ cloneSet: aCloneSet({ replicas: 2 }), world: { pods: [], pvcs: [], revisions: [] } }, { now: T0 }).plan.step.stage // 'scale'
 */
export function simulateCloneSetPass(simulation: CloneSetSimulation, options: SimulatedCloneSetPassOptions): SimulatedCloneSetPass {
  const { now } = options;
  const fails = options.fails ?? (() => false);
  let n = 0;
  const plan = planCloneSetPass({
    cloneSet: simulation.cloneSet,
    ...simulation.world,
    now,
    instanceIdSuffixes: options.instanceIdSuffixes ?? (() => `s${String(now % 100_000)}x${String(n++)}`),
    ...(options.featureGates === undefined ? {} : { featureGates: options.featureGates }),
    ...(options.nodeLabels === undefined ? {} : { nodeLabels: options.nodeLabels }),
  });
  const done = simulateWorkloadPlan(simulation.world, plan, now, fails);
  const next = { cloneSet: done.status === undefined ? simulation.cloneSet : { ...simulation.cloneSet, status: done.status }, world: done.world };
  return done.failed === undefined ? { plan, next } : { plan, next, failed: done.failed };
}

/**
 * Returns the pods as a kubelet leaves them once they are up: scheduled (`node-a` when unset),
 * Running, Ready since `now` (or since they became ready), containers reporting the spec's images.
 * Pods labelled for deletion keep their label: the next scale pass removes them.
 */
export function becomeReady(pods: readonly Pod[], now: EpochMs): Pod[] {
  return pods.map((pod) => {
    const wasReady = isPodReady(pod);
    const others = (pod.status?.conditions ?? []).filter((c) => c.type !== 'Ready' && c.type !== 'InPlaceUpdateReady');
    const ready = { type: 'Ready', status: 'True' as const, lastTransitionTime: wasReady ? (pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? formatTime(now)) : formatTime(now) };
    const inPlace = (pod.spec.readinessGates ?? []).some((g) => g.conditionType === 'InPlaceUpdateReady') ? [{ type: 'InPlaceUpdateReady', status: 'True' as const }] : [];
    return {
      ...pod,
      spec: { ...pod.spec, nodeName: pod.spec.nodeName ?? 'node-a' },
      status: {
        ...pod.status,
        phase: 'Running' as const,
        conditions: [...others, ready, ...inPlace],
        containerStatuses: pod.spec.containers.map((c) => ({ name: c.name, ...(c.image === undefined ? {} : { image: c.image }), imageID: `${c.image ?? ''}@sha256:0`, ready: true, restartCount: 0 })),
      },
    };
  });
}

/** Returns whether the pod was asked to be recreated or deleted (`apps.kruise.io/specified-delete`). */
export function isMarkedForDeletion(pod: Pod): boolean {
  return pod.metadata.labels?.[SPECIFIED_DELETE_LABEL] !== undefined;
}
