import type { EffectWave } from './podEffects.js';
import type { PassEvent, WorkloadEffect } from './workloadEffect.js';

/**
 * What one reconcile pass of a workload does, decided by its kind's pure pass planner
 * (`planCloneSetPass`, `planSidecarSetPass`...) and carried out by one executor for every kind:
 *
 * 1. `prelude`: the bookkeeping a pass needs before it acts (release pods that no longer match,
 *    clean up PVCs, register the update revision). A failure ends the pass with an error, status
 *    untouched (as OpenKruise returns before its status update).
 * 2. `effects`: the one kind of change this pass makes to the pods (`step` says which and why),
 *    in waves: the effects of a wave run at the same time, the waves one after the other; a wave
 *    with a failure lets its other effects settle, then ends the stage.
 * 3. `status`: written next, whatever happened (with `failureCondition` set to the error when
 *    the stage failed), through a patch of what differs.
 * 4. `cleanups`: secondary writes after the status (old revisions, `podsToDelete` names of gone
 *    pods); a failure is logged and retried on a later pass, never hides the main outcome.
 *
 * @typeParam Step - the kind's description of the stage that acted.
 * @typeParam Status - the kind's status type.
 */
export interface WorkloadPassPlan<Step, Status> {
  /** The stage that acted this pass and why (or why nothing happens). */
  readonly step: Step;
  /** Writes that must succeed before the stage (release, PVC clean-up, update revision). */
  readonly prelude: readonly EffectWave[];
  /** The stage's writes, in waves. */
  readonly effects: readonly EffectWave[];
  /** The status to write after the stage: computed from what the pass observed. */
  readonly status: Status;
  /** Condition type set to True with the error message when the stage fails (`FailedScale`, `FailedUpdate`). */
  readonly failureCondition?: string;
  /** Writes after the status whose failure is only logged. */
  readonly cleanups: readonly WorkloadEffect[];
  /** Events to record that belong to no single effect (`ScaleUpLimited`, `FailedUpdatePodInPlace` of a refused update). */
  readonly events: readonly PassEvent[];
  /** Come back after this long even without an event (grace periods, minReadySeconds, progress deadline). */
  readonly requeueAfterMs: number | undefined;
}

/**
 * Returns the smallest of some optional delays (`undefined` when none is given).
 *
 * @example soonest(undefined, 3000, 1000) // 1000
 */
export function soonest(...delays: readonly (number | undefined)[]): number | undefined {
  const given = delays.filter((d): d is number => d !== undefined && Number.isFinite(d));
  return given.length === 0 ? undefined : Math.max(0, Math.min(...given));
}

/**
 * Returns every effect of a plan in the order the executor applies them (prelude, stage,
 * cleanups).
 */
export function allPlannedEffects(plan: Pick<WorkloadPassPlan<unknown, unknown>, 'prelude' | 'effects' | 'cleanups'>): WorkloadEffect[] {
  return [...plan.prelude.flat(), ...plan.effects.flat(), ...plan.cleanups];
}
