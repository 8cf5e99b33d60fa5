import type { ResourceVersionExpectationsTracker, ScaleExpectationsTracker } from '@kruise-ts/k8s-adapter';
import type { ExpectationMetrics } from '../runtime/metrics.js';
import type { Logger } from '../runtime/logger.js';

/** What a pass may do given its expectations. */
export type ExpectationGate =
  | { readonly kind: 'proceed' }
  | {
      /** The cache has not shown our own writes yet: look again after `requeueAfterMs`. */
      readonly kind: 'wait';
      readonly requeueAfterMs: number;
      readonly reason: 'scale-expectations-pending' | 'pod-writes-not-seen';
    }
  | {
      /** Expectations waited out their timeout and were dropped: skip this pass, look again soon. */
      readonly kind: 'dropped';
      readonly requeueAfterMs: number;
      readonly reason: 'scale-expectations-timed-out' | 'pod-write-not-seen-timed-out';
    };

/** How long after dropping timed-out expectations the workload is looked at again (OpenKruise: 10 s). */
export const DROPPED_EXPECTATIONS_REQUEUE_MS = 10_000;

/** What {@link checkExpectations} reads and reports to. */
export interface ExpectationGateDeps {
  readonly scaleExpectations: ScaleExpectationsTracker;
  readonly resourceVersions: ResourceVersionExpectationsTracker;
  readonly metrics?: ExpectationMetrics | undefined;
  readonly log?: Logger | undefined;
}

/**
 * Returns whether a workload's pass may act on its cache, as OpenKruise's stale-cache guard:
 * pending creations/deletions (scale expectations of `key`) or pod writes the cache has not shown
 * yet (resourceVersion expectations of `podUids`) make it wait until they are seen or time out
 * (5 min). On a timeout the stale expectations are dropped (OpenKruise's
 * ForceDeleteTimeoutExpectation), logged and counted (`<controller>_scale_expectation_leakage`),
 * and the pass is skipped and retried in 10 s, so the guard works again from then on.
 *
 * @example create of web-a expected 60 s ago, not in the cache → { kind: 'wait', requeueAfterMs: 240000 }
 */
export function checkExpectations(deps: ExpectationGateDeps, key: string, podUids: Iterable<string>): ExpectationGate {
  const scale = deps.scaleExpectations.check(key);
  if (scale.kind === 'timed-out') {
    deps.scaleExpectations.forget(key);
    const [namespace = '', name = key] = key.includes('/') ? key.split('/') : ['', key];
    deps.metrics?.scaleExpectationLeaked(namespace, name);
    deps.log?.warn({ pending: scale.pending, unsatisfiedForMs: scale.unsatisfiedForMs }, 'scale expectations unsatisfied for too long; dropped');
    return { kind: 'dropped', requeueAfterMs: DROPPED_EXPECTATIONS_REQUEUE_MS, reason: 'scale-expectations-timed-out' };
  }
  if (scale.kind === 'unsatisfied') return { kind: 'wait', requeueAfterMs: scale.requeueAfterMs, reason: 'scale-expectations-pending' };
  let wait: number | undefined;
  for (const uid of podUids) {
    const check = deps.resourceVersions.check(uid);
    if (check.kind === 'timed-out') {
      deps.resourceVersions.forget(uid);
      deps.metrics?.resourceVersionExpectationTimedOut();
      deps.log?.warn({ uid, expected: check.expected }, 'our write (to a pod, or the workload status) was not seen by the cache in time; expectation dropped');
      return { kind: 'dropped', requeueAfterMs: DROPPED_EXPECTATIONS_REQUEUE_MS, reason: 'pod-write-not-seen-timed-out' };
    }
    if (check.kind === 'unsatisfied') wait = Math.min(wait ?? Infinity, check.requeueAfterMs);
  }
  return wait === undefined ? { kind: 'proceed' } : { kind: 'wait', requeueAfterMs: wait, reason: 'pod-writes-not-seen' };
}
