import {
  EXPECTATION_TIMEOUT_MS,
  NO_SCALE_EXPECTATIONS,
  checkScaleExpectations,
  expectScale,
  observeScale,
  observeScaleFromCache,
  type ScaleAction,
  type ScaleExpectations,
  type ScaleExpectationsCheck,
} from '@kruise-ts/core';
import type { Clock } from '../ports.js';
import type { KubeObject } from '../resourceType.js';
import type { InformerEventObserver } from './controllerKey.js';
import { controllerKeyOf } from './controllerKey.js';

/** Options of {@link createScaleExpectations}. */
export interface ScaleExpectationsOptions {
  readonly clock: Clock;
  /** How long expectations may stay unsatisfied before they expire (default 5 min, as OpenKruise). */
  readonly timeoutMs?: number | undefined;
  /** Returns the controller key an object's events count for (default {@link controllerKeyOf}). */
  readonly keyOf?: ((object: KubeObject) => string | undefined) | undefined;
}

/**
 * Creations and deletions a controller issued but its cache has not shown yet, per controller
 * key (`namespace/name`). Record an expectation **before** the write (the watch event may beat
 * the response) and observe it again if the write fails. A stateful wrapper over core's
 * `expectScale` / `observeScale` / `checkScaleExpectations`.
 */
export interface ScaleExpectationsTracker extends InformerEventObserver {
  /** Records that `names` are about to be created or deleted for `controllerKey`. */
  expect(controllerKey: string, action: ScaleAction, names: readonly string[]): void;
  /** Marks `names` as seen (or as never coming, after a failed write). */
  observe(controllerKey: string, action: ScaleAction, names: readonly string[]): void;
  /** Marks as seen what the cache shows now: created names present, deleted names absent. */
  observeCache(controllerKey: string, cachedNames: Iterable<string>): void;
  /** Returns the check of core's `checkScaleExpectations`: satisfied, unsatisfied (with requeueAfterMs) or timed-out. */
  check(controllerKey: string): ScaleExpectationsCheck;
  /** Returns true when nothing is pending, or when it expired (the expectations are then dropped). */
  satisfied(controllerKey: string): boolean;
  /** Returns what is pending for `controllerKey`. */
  pending(controllerKey: string): ScaleExpectations;
  /** Drops everything for `controllerKey` (its controller object was deleted). */
  forget(controllerKey: string): void;
}

/**
 * Returns an empty {@link ScaleExpectationsTracker}. Feed it the pod (and PVC) informer's events
 * with `connectObserver(tracker, pods.events$)`: `added` (or `updated`) observes a creation,
 * `deleted` or a `deletionTimestamp` observes a deletion.
 *
 * @example expect('default/web', 'create', ['web-a']) → satisfied false; event added web-a → satisfied true
 */
export function createScaleExpectations(options: ScaleExpectationsOptions): ScaleExpectationsTracker {
  const { clock, timeoutMs = EXPECTATION_TIMEOUT_MS, keyOf = controllerKeyOf } = options;
  const state = new Map<string, ScaleExpectations>();
  const get = (key: string): ScaleExpectations => state.get(key) ?? NO_SCALE_EXPECTATIONS;
  const set = (key: string, next: ScaleExpectations): void => {
    if (next.create.length === 0 && next.delete.length === 0) state.delete(key);
    else state.set(key, next);
  };
  const check = (key: string): ScaleExpectationsCheck => {
    const result = checkScaleExpectations(get(key), clock.now(), timeoutMs);
    set(key, result.expectations);
    return result;
  };

  const tracker: ScaleExpectationsTracker = {
    expect(key, action, names) {
      set(key, expectScale(get(key), action, names));
      check(key); // starts the expiry clock now, as controller-runtime does, if nothing was pending
    },
    observe: (key, action, names) => {
      set(key, observeScale(get(key), action, names));
    },
    observeCache: (key, cachedNames) => {
      set(key, observeScaleFromCache(get(key), cachedNames));
    },
    check,
    satisfied(key) {
      const result = check(key);
      if (result.kind === 'timed-out') state.delete(key);
      return result.kind !== 'unsatisfied';
    },
    pending: get,
    forget: (key) => {
      state.delete(key);
    },
    observeEvent(event) {
      const key = keyOf(event.object);
      const name = event.object.metadata.name;
      if (key === undefined || name === undefined || !state.has(key)) return;
      // A deleted event clears a pending create too: the object existed (its creation was
      // served) even if the cache never saw it before it went.
      tracker.observe(key, 'create', [name]);
      // A graceful deletion shows first as a deletionTimestamp: count it, as OpenKruise does.
      if (event.type === 'deleted' || event.object.metadata.deletionTimestamp !== undefined) tracker.observe(key, 'delete', [name]);
    },
  };
  return tracker;
}
