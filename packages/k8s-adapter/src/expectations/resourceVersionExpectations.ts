import {
  EXPECTATION_TIMEOUT_MS,
  checkResourceVersion,
  expectResourceVersion,
  observeResourceVersion,
  type ExpectedResourceVersion,
  type ResourceVersionCheck,
  type ResourceVersionExpectations,
  type VersionedObject,
} from '@kruise-ts/core';
import type { Clock } from '../ports.js';
import type { KubeObject } from '../resourceType.js';
import { UID_INDEX } from '../watch/indexes.js';
import type { ObjectStore } from '../watch/informer.js';
import type { InformerEventObserver } from './controllerKey.js';

/** Options of {@link createResourceVersionExpectations}. */
export interface ResourceVersionExpectationsOptions {
  readonly clock: Clock;
  /** How long an expectation may stay unsatisfied before it expires (default 5 min, as OpenKruise). */
  readonly timeoutMs?: number | undefined;
  /**
   * The informer cache of the objects (its `uid` index is used). With it, a write whose watch
   * event arrived before `expect` is recognised as seen, and `check` reads the cached version.
   */
  readonly cache?: Pick<ObjectStore<KubeObject>, 'byIndex'> | undefined;
}

/**
 * Our own writes the cache has not shown yet, by object uid: after writing object X at
 * resourceVersion N the controller waits until the informer has seen X at N or later
 * (resourceVersions compare numerically, as OpenKruise does). A stateful wrapper over core's
 * `expectResourceVersion` / `observeResourceVersion` / `checkResourceVersion`.
 */
export interface ResourceVersionExpectationsTracker extends InformerEventObserver {
  /** Records the uid and resourceVersion our write returned. */
  expect(written: VersionedObject): void;
  /** Drops the expectation of `seen`'s uid when `seen` is at least as new. */
  observe(seen: VersionedObject): void;
  /** Returns satisfied, unsatisfied (with requeueAfterMs) or timed-out for the object `uid`. */
  check(uid: string): ResourceVersionCheck;
  /** Returns true when the cache caught up with our write of `uid`, or the wait expired (then dropped). */
  satisfied(uid: string): boolean;
  /** Drops the expectation of `uid` (the object is gone). */
  forget(uid: string): void;
  /** Number of objects with a pending expectation. */
  readonly size: number;
}

/**
 * Returns an empty {@link ResourceVersionExpectationsTracker}. Feed it the informer's events
 * with `connectObserver(tracker, informer.events$)`, or pass the informer's store as `cache`.
 *
 * @example write returns pod uid u at rv '12' → expect; event with rv '11' → unsatisfied; rv '12' → satisfied
 */
export function createResourceVersionExpectations(options: ResourceVersionExpectationsOptions): ResourceVersionExpectationsTracker {
  const { clock, timeoutMs = EXPECTATION_TIMEOUT_MS, cache } = options;
  // One entry per uid, changed in place: core's functions decide over the one entry concerned.
  // (Copying a record of every pending uid on each call allocated O(pods²) per pass: a third of
  // everything the manager allocated in a 500-pod rollout.)
  const state = new Map<string, ExpectedResourceVersion>();
  const only = (uid: string): ResourceVersionExpectations => {
    const entry = state.get(uid);
    return entry === undefined ? {} : { [uid]: entry };
  };
  const cached = (uid: string): KubeObject | undefined => cache?.byIndex(UID_INDEX, uid)[0];
  const forget = (uid: string): void => {
    state.delete(uid);
  };
  const observe = (seen: VersionedObject): void => {
    const uid = seen.metadata.uid ?? '';
    if (state.has(uid) && observeResourceVersion(only(uid), seen)[uid] === undefined) state.delete(uid);
  };
  const check = (uid: string): ResourceVersionCheck => {
    const current = cached(uid);
    if (current !== undefined) observe(current);
    const version = { metadata: { uid, resourceVersion: current?.metadata.resourceVersion ?? '' } };
    return state.has(uid) ? checkResourceVersion(only(uid), version, clock.now(), timeoutMs) : { kind: 'satisfied' };
  };

  return {
    expect(written) {
      const uid = written.metadata.uid ?? '';
      const entry = expectResourceVersion(only(uid), written, clock.now())[uid];
      if (entry !== undefined) state.set(uid, entry);
      const current = cached(uid);
      if (current !== undefined) observe(current);
    },
    observe,
    check,
    satisfied(uid) {
      const result = check(uid);
      if (result.kind === 'timed-out') forget(uid);
      return result.kind !== 'unsatisfied';
    },
    forget,
    get size() {
      return state.size;
    },
    observeEvent(event) {
      if (event.type === 'deleted') forget(event.object.metadata.uid ?? '');
      else observe(event.object);
    },
  };
}
