import type { EpochMs, FieldProblem, WorkloadPassPlan } from '@kruise-ts/core';
import type { KubeObject, ResourceType } from '@kruise-ts/k8s-adapter';
import type { ReconcileContext, ReconcileResult } from '../runtime/createController.js';
import type { ExpectationMetrics } from '../runtime/metrics.js';
import { TerminalError } from '../runtime/terminalError.js';
import { checkExpectations } from './checkExpectations.js';
import { executePassPlan, writeWorkloadStatus, type PassExecutorDeps } from './executePassPlan.js';
import { workloadTarget } from './workloadTarget.js';

/** What a workload controller's caches hold for one key. */
export type WorkloadObservation<Observed> =
  | { readonly kind: 'gone' }
  | { readonly kind: 'deleting' }
  | { readonly kind: 'invalid'; readonly object: KubeObject; readonly problems: readonly FieldProblem[] }
  | {
      readonly kind: 'observed';
      /** The workload object as stored (its status is what the pass compares its new status with). */
      readonly object: KubeObject;
      /** What the kind's planner reads. */
      readonly observed: Observed;
      /** Uids of the pods the pass may act on (their resourceVersion expectations gate it). */
      readonly podUids: readonly string[];
    };

/**
 * One workload kind, as the shared reconcile sees it: where its objects live, how to read one
 * from the caches, and its pure pass planner.
 */
export interface WorkloadKind<Observed, Step, Status> {
  /** The workload's resource type. */
  readonly resource: ResourceType;
  /** Returns what the caches hold for `key` (never the network). */
  observe(key: string): WorkloadObservation<Observed>;
  /** Returns the pass plan (core's `plan<Kind>Pass`) for what was observed, at `now`. */
  plan(observed: Observed, now: EpochMs): WorkloadPassPlan<Step, Status>;
  /** A few fields that say what the step is, for the debug log (default: none). */
  describe?(step: Step): Record<string, unknown>;
  /**
   * The status to write while the expectations hold the pass back (default: none, nothing is
   * written): OpenKruise's DaemonSet controller still updates its counts then.
   */
  statusWhileWaiting?(observed: Observed, now: EpochMs): Status;
}

/** What {@link reconcileWorkload} uses. */
export interface WorkloadReconcileDeps extends PassExecutorDeps {
  readonly expectationMetrics?: ExpectationMetrics | undefined;
}

/** A pass whose stage or prelude failed; the error the apiserver gave is its `cause`. */
export class WorkloadPassError extends Error {
  readonly _tag = 'WorkloadPassError' as const;
  constructor(message: string, options: { cause: Error }) {
    super(message, options);
    this.name = 'WorkloadPassError';
  }
}

const done: ReconcileResult = { kind: 'done' };

/**
 * Reconciles one workload the same way for every kind: observe (caches) → expectations gate →
 * plan (the kind's pure pass planner, with one clock reading) → execute (the shared executor) →
 * result. The gate waits for the cache to show our own writes: pod creations and deletions, pod
 * writes, and the workload's last status write (its resourceVersion, by the workload's uid). An invalid spec is reported once per pass as an `InvalidSpec` Warning and not retried
 * until the object changes; a failed stage is recorded in the status by the executor and thrown
 * so the work queue backs off; a stale precondition, a target found gone or a revision collision
 * comes back at once (rate-limited).
 */
export async function reconcileWorkload<Observed, Step, Status>(
  deps: WorkloadReconcileDeps,
  kind: WorkloadKind<Observed, Step, Status>,
  key: string,
  context: ReconcileContext,
): Promise<ReconcileResult> {
  const observation = kind.observe(key);
  if (observation.kind === 'gone') {
    deps.scaleExpectations.forget(key);
    return done;
  }
  if (observation.kind === 'deleting') return done;
  const target = workloadTarget(kind.resource, key, observation.object);
  if (observation.kind === 'invalid') {
    const text = observation.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    deps.events.emit({ subject: target.subject, type: 'Warning', reason: 'InvalidSpec', message: text });
    throw new TerminalError(`${kind.resource.kind} ${key} is invalid: ${text}`);
  }
  // The workload's own last status write gates the pass like a pod write: a pass planned on a
  // cached status older than the one it wrote would write that older state back (a UnitedDeployment
  // lost its Adaptive Schedulable condition this way, and put pods back in a cordoned zone).
  deps.resourceVersions.observe(observation.object);
  const gate = checkExpectations({ ...deps, metrics: deps.expectationMetrics, log: context.log }, key, [...observation.podUids, target.uid]);
  if (gate.kind !== 'proceed') {
    context.log.debug({ reason: gate.reason, requeueAfterMs: gate.requeueAfterMs }, 'pass skipped');
    if (kind.statusWhileWaiting !== undefined) {
      const stored = (observation.object as { status?: Status }).status;
      await writeWorkloadStatus(deps, target, stored, kind.statusWhileWaiting(observation.observed, deps.clock.now()), context.signal);
    }
    return { kind: 'requeue', afterMs: Math.max(1, gate.requeueAfterMs) };
  }
  const plan = kind.plan(observation.observed, deps.clock.now());
  const outcome = await executePassPlan(deps, target, plan, (observation.object as { status?: Status }).status, context.signal);
  context.log.debug({ ...kind.describe?.(plan.step), outcome: outcome.kind, ...('wrote' in outcome ? { wrote: outcome.wrote } : {}), ...('gone' in outcome ? { gone: outcome.gone } : {}) }, 'pass applied');
  switch (outcome.kind) {
    case 'done':
      // A target found gone: its replacement (or the object itself, when the refusal was no
      // replacement) may bring no event of its own, so look again rather than wait for one.
      if (outcome.gone > 0) return { kind: 'requeue', afterMs: 0 };
      return outcome.requeueAfterMs === undefined ? done : { kind: 'requeue', afterMs: Math.max(1, outcome.requeueAfterMs) };
    case 'collision':
      context.log.info({ revision: outcome.revision }, 'revision name taken by other data; collisionCount bumped');
      return { kind: 'requeue', afterMs: 1 };
    case 'stale':
      context.log.debug({ why: outcome.why }, 'cache behind a precondition; looking again');
      return { kind: 'requeue', afterMs: 0 };
    case 'prelude-failed':
    case 'stage-failed': {
      const { effect, error } = outcome.failure;
      throw new WorkloadPassError(`${effect.kind} (${effect.reason}) failed: ${error.message}`, { cause: error });
    }
  }
}
