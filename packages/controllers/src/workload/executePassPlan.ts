import { canonicalJson, effectObjectName, withFailureCondition, type EffectWave, type PassEvent, type WorkloadCondition, type WorkloadEffect, type WorkloadPassPlan } from '@kruise-ts/core';
import { NotFoundError, type EventSink } from '@kruise-ts/k8s-adapter';
import type { Logger } from '../runtime/logger.js';
import { applyEffect, type EffectDeps, type EffectResult } from './applyEffect.js';
import { DISRUPTION_RETRY_MS, type DisruptionCheck } from './disruptionCheck.js';
import type { WorkloadTarget } from './workloadTarget.js';

/** What a pass executor needs: the effect deps, where events go, and a logger. */
export interface PassExecutorDeps extends EffectDeps {
  readonly events: EventSink;
  readonly logger?: Logger | undefined;
  /**
   * Asked once per pod before its in-place update starts (effects with reason
   * `in-place-update-started`); a refused pod gets none of its writes this pass and the workload
   * is looked at again after {@link DISRUPTION_RETRY_MS}. PodUnavailableBudgetUpdateGate's
   * `pubDisruptionCheck`; absent = every update goes ahead.
   */
  readonly disruptionCheck?: DisruptionCheck | undefined;
}

/** A failed effect: which one, and the error. */
export interface EffectFailure {
  readonly effect: WorkloadEffect;
  readonly error: Error;
}

/**
 * How a pass went:
 * - `done`: every effect went through, or found its target gone; `wrote` counts writes, `gone`
 *   the effects that found their target gone or replaced (the workload must be looked at again:
 *   the cache may still show the old object, or the refusal was no replacement after all);
 * - `stage-failed`: an effect of the stage failed; the status records it (`failureCondition`);
 * - `prelude-failed`: a bookkeeping write failed before the stage; nothing else was written;
 * - `collision`: the update revision's name is taken by other data; `collisionCount` was bumped;
 * - `stale`: a precondition from the cache no longer held; look again soon.
 */
export type PassOutcome =
  | { readonly kind: 'done'; readonly wrote: number; readonly gone: number; readonly requeueAfterMs: number | undefined }
  | { readonly kind: 'stage-failed'; readonly failure: EffectFailure; readonly wrote: number }
  | { readonly kind: 'prelude-failed'; readonly failure: EffectFailure }
  | { readonly kind: 'collision'; readonly revision: string }
  | { readonly kind: 'stale'; readonly why: string };

/** What the waves of a pass did so far: writes that went through, effects that found their target gone, and the uids of those targets. */
interface WaveProgress {
  wrote: number;
  gone: number;
  readonly goneUids: Set<string>;
  /** Pods whose in-place update start was checked this pass, and those held back. */
  readonly checkedUids: Set<string>;
  readonly heldUids: Set<string>;
}

const IN_PLACE_START = 'in-place-update-started';

// Asks the disruption check about each pod whose in-place update this wave starts (once a pass).
async function checkDisruptions(deps: PassExecutorDeps, target: WorkloadTarget, wave: EffectWave, progress: WaveProgress, signal: AbortSignal): Promise<void> {
  const check = deps.disruptionCheck;
  if (check === undefined) return;
  for (const effect of wave) {
    if (effect.reason !== IN_PLACE_START || !('target' in effect)) continue;
    const ref = effect.target;
    if (progress.checkedUids.has(ref.uid) || progress.goneUids.has(ref.uid)) continue;
    progress.checkedUids.add(ref.uid);
    // One at a time: each check may take a unit of the budget the next one reads.
    const verdict = await check({ ...ref, namespace: ref.namespace ?? target.namespace ?? 'default' }, signal);
    if (verdict.kind === 'refused') {
      progress.heldUids.add(ref.uid);
      deps.logger?.debug({ pod: ref.name, message: verdict.message }, 'in-place update held back by a disruption budget');
    }
  }
}

type WaveStop = { readonly result: Exclude<EffectResult, { kind: 'applied' | 'gone' }>; readonly effect: WorkloadEffect };

/** The uid of the existing object an effect writes (none for creations and the workload itself). */
const targetUid = (effect: WorkloadEffect): string | undefined => ('target' in effect ? effect.target.uid : undefined);

function emit(deps: PassExecutorDeps, target: WorkloadTarget, event: PassEvent | undefined, suffix = ''): void {
  if (event !== undefined) deps.events.emit({ subject: target.subject, type: event.type, reason: event.reason, message: `${event.message}${suffix}` });
}

async function runWave(deps: PassExecutorDeps, target: WorkloadTarget, wave: EffectWave, progress: WaveProgress, signal: AbortSignal): Promise<WaveStop | undefined> {
  await checkDisruptions(deps, target, wave, progress, signal);
  // An object found gone (or replaced) gets no more writes this pass: a pod whose InPlaceUpdateReady
  // patch was refused must not get its new image after it. Nor does a pod held back by the
  // disruption check.
  const live = wave.filter((effect) => {
    const uid = targetUid(effect);
    return uid === undefined || (!progress.goneUids.has(uid) && !progress.heldUids.has(uid));
  });
  // Every effect of a wave settles (none is abandoned half-way) before the first problem ends the stage.
  const results = await Promise.all(live.map((effect) => applyEffect(deps, target, effect, signal)));
  let stop: WaveStop | undefined;
  results.forEach((result, i) => {
    const effect = live[i] as WorkloadEffect;
    if (result.kind === 'applied') {
      progress.wrote++;
      emit(deps, target, effect.events?.success);
      return;
    }
    if (result.kind === 'gone') {
      progress.gone++;
      const uid = targetUid(effect);
      if (uid !== undefined) progress.goneUids.add(uid);
      return;
    }
    if (result.kind === 'failed') emit(deps, target, effect.events?.failure, `: ${result.error.message}`);
    stop ??= { result, effect };
  });
  return stop;
}

async function runWaves(deps: PassExecutorDeps, target: WorkloadTarget, waves: readonly EffectWave[], progress: WaveProgress, signal: AbortSignal): Promise<WaveStop | undefined> {
  for (const wave of waves) {
    const stop = await runWave(deps, target, wave, progress, signal);
    if (stop !== undefined) return stop;
  }
  return undefined;
}

type StatusLike = { conditions?: readonly WorkloadCondition[] | undefined };

/**
 * Returns `status` with the condition `type` of the stored status put back where it was, when the
 * plan's status dropped it (a plan's status is what to write if the stage succeeds, so it clears
 * its failure conditions). A failure that persists then keeps its first entry, as
 * `withFailureCondition` intends: its message (which names a new random pod every pass) does not
 * rewrite the status, and the status write does not wake the workload again before the work
 * queue's backoff does.
 *
 * @example stored [FailedScale "pods \"web-a\" is forbidden", Progressing], plan [Progressing] → [FailedScale "…web-a…", Progressing]
 */
function withStoredCondition<S extends StatusLike>(status: S, stored: StatusLike | undefined, type: string): S {
  const conditions = status.conditions ?? [];
  const storedConditions = stored?.conditions ?? [];
  const index = storedConditions.findIndex((c) => c.type === type);
  const previous = storedConditions[index];
  if (previous === undefined || conditions.some((c) => c.type === type)) return status;
  const before = Math.min(storedConditions.slice(0, index).filter((c) => conditions.some((d) => d.type === c.type)).length, conditions.length);
  return { ...status, conditions: [...conditions.slice(0, before), previous, ...conditions.slice(before)] };
}

/**
 * Writes `status` when it differs from `observed`, as a JSON merge patch of the status
 * subresource carrying every field of `status` (fields `observed` has and `status` lacks as
 * `null`). Every field is sent, not only what differs from `observed`: the cached `observed` may
 * lag behind what is stored, and a field left out would keep a stale stored value. A workload
 * deleted meanwhile is not an error. Returns whether it wrote. With `resourceVersions`, the
 * written object's resourceVersion is expected there (keyed by the workload's uid), so the next
 * pass waits for the cache to show this status (see `reconcileWorkload`).
 *
 * @example observed { replicas: 3, ready: 2, x: 1 }, status { replicas: 3, ready: 3 } → patch { status: { replicas: 3, ready: 3, x: null } }
 */
export async function writeWorkloadStatus(
  deps: Pick<PassExecutorDeps, 'client'> & { readonly resourceVersions?: PassExecutorDeps['resourceVersions'] | undefined },
  target: WorkloadTarget,
  observed: unknown,
  status: unknown,
  signal: AbortSignal,
): Promise<boolean> {
  if (canonicalJson(observed ?? {}) === canonicalJson(status)) return false;
  const removed = Object.fromEntries(Object.keys(observed ?? {}).filter((key) => !(key in (status as object))).map((key) => [key, null]));
  const body = { metadata: { uid: target.uid }, status: { ...removed, ...(status as object) } };
  try {
    const written = await deps.client.patch(target.resource, { name: target.name, namespace: target.namespace }, { type: 'merge', body }, { subresource: 'status', signal });
    deps.resourceVersions?.expect(written);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

/**
 * Carries out a {@link WorkloadPassPlan} for `target`, the same way for every kind: the plan's
 * events; the prelude waves (a failure ends the pass, status untouched; a revision collision bumps
 * `status.collisionCount`); the stage's waves (the first failing wave ends the stage; an object
 * found gone or replaced gets no more writes this pass); the status, written whatever the stage
 * did (its `failureCondition` set to the error when it failed, through {@link writeWorkloadStatus});
 * then the clean-ups, whose failures are only logged.
 */
export async function executePassPlan(deps: PassExecutorDeps, target: WorkloadTarget, plan: WorkloadPassPlan<unknown, unknown>, observedStatus: unknown, signal: AbortSignal): Promise<PassOutcome> {
  for (const event of plan.events) emit(deps, target, event);
  const progress: WaveProgress = { wrote: 0, gone: 0, goneUids: new Set(), checkedUids: new Set(), heldUids: new Set() };
  const prelude = await runWaves(deps, target, plan.prelude, progress, signal);
  if (prelude !== undefined) {
    const { result, effect } = prelude;
    if (result.kind === 'collision') {
      const previous = (observedStatus ?? {}) as { collisionCount?: number };
      await writeWorkloadStatus(deps, target, previous, { ...previous, collisionCount: (previous.collisionCount ?? 0) + 1 }, signal);
      return { kind: 'collision', revision: result.revision };
    }
    if (result.kind === 'stale') return { kind: 'stale', why: result.why };
    return { kind: 'prelude-failed', failure: { effect, error: result.error } };
  }
  const stage = await runWaves(deps, target, plan.effects, progress, signal);
  if (stage?.result.kind === 'stale') return { kind: 'stale', why: stage.result.why };
  const failure = stage?.result.kind === 'failed' ? { effect: stage.effect, error: stage.result.error } : undefined;
  const condition = failure === undefined ? undefined : (failure.effect.failureCondition ?? (plan.failureCondition === undefined ? undefined : { type: plan.failureCondition }));
  const status =
    failure !== undefined && condition !== undefined
      ? withFailureCondition(withStoredCondition(plan.status as StatusLike, observedStatus as StatusLike | undefined, condition.type), condition.type, `${condition.messagePrefix ?? ''}${failure.error.message}`, deps.clock.now())
      : plan.status;
  await writeWorkloadStatus(deps, target, observedStatus, status, signal);
  await runCleanups(deps, target, plan.cleanups, signal);
  const { wrote, gone } = progress;
  const requeueAfterMs = progress.heldUids.size === 0 ? plan.requeueAfterMs : Math.min(plan.requeueAfterMs ?? DISRUPTION_RETRY_MS, DISRUPTION_RETRY_MS);
  return failure === undefined ? { kind: 'done', wrote, gone, requeueAfterMs } : { kind: 'stage-failed', failure, wrote };
}

async function runCleanups(deps: PassExecutorDeps, target: WorkloadTarget, cleanups: readonly WorkloadEffect[], signal: AbortSignal): Promise<void> {
  const results = await Promise.all(cleanups.map((effect) => applyEffect(deps, target, effect, signal)));
  results.forEach((result, i) => {
    if (result.kind !== 'failed') return;
    const effect = cleanups[i] as WorkloadEffect;
    deps.logger?.warn({ err: result.error, effect: effect.kind, object: effectObjectName(effect) }, 'clean-up failed; retried on a later pass');
  });
}
