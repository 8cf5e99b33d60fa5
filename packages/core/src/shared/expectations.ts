import type { EpochMs } from './podState.js';

/**
 * Expectations as plain data: what a controller wrote but its (possibly stale) cache has not
 * shown yet. A reconcile that skips while expectations are unsatisfied never creates a pod twice
 * because the cache has not seen the first one. Same semantics as OpenKruise's
 * `pkg/util/expectations`, without the global mutable maps: every function returns a new value.
 */

/** How long OpenKruise waits for unsatisfied expectations before giving up on them: 5 minutes. */
export const EXPECTATION_TIMEOUT_MS = 5 * 60 * 1000;

/** A scale action whose result the cache must show: `create` (appears) or `delete` (disappears). */
export type ScaleAction = 'create' | 'delete';

/** Scale expectations of one workload. */
export interface ScaleExpectations {
  /** Names of pods and PVCs created but not yet seen in the cache. */
  readonly create: readonly string[];
  /** Names of pods and PVCs deleted but still seen in the cache. */
  readonly delete: readonly string[];
  /** When a check first found them unsatisfied (epoch ms); cleared once satisfied. */
  readonly firstUnsatisfiedAt?: EpochMs;
}

/** Scale expectations with nothing pending. */
export const NO_SCALE_EXPECTATIONS: ScaleExpectations = { create: [], delete: [] };

/**
 * Returns the expectations with `names` added to the pending `action` (duplicates are kept once).
 *
 * @example expectScale(NO_SCALE_EXPECTATIONS, 'create', ['web-a', 'web-b']) → { create: ['web-a', 'web-b'], delete: [] }
 */
export function expectScale(expectations: ScaleExpectations, action: ScaleAction, names: readonly string[]): ScaleExpectations {
  const pending = new Set([...expectations[action], ...names]);
  return { ...expectations, [action]: [...pending] };
}

/**
 * Returns the expectations with `names` no longer pending for `action` (the cache showed them, or
 * the write failed and will never show).
 */
export function observeScale(expectations: ScaleExpectations, action: ScaleAction, names: readonly string[]): ScaleExpectations {
  const seen = new Set(names);
  const next = { ...expectations, [action]: expectations[action].filter((name) => !seen.has(name)) };
  return isEmpty(next) ? NO_SCALE_EXPECTATIONS : next;
}

/**
 * Returns the expectations after looking at the names the cache holds now: a pending creation is
 * observed once its name is present, a pending deletion once its name is absent.
 *
 * @example pending create ['web-a'], cache holds ['web-a'] → nothing pending
 */
export function observeScaleFromCache(expectations: ScaleExpectations, cachedNames: Iterable<string>): ScaleExpectations {
  const present = new Set(cachedNames);
  const created = expectations.create.filter((name) => present.has(name));
  const deleted = expectations.delete.filter((name) => !present.has(name));
  return observeScale(observeScale(expectations, 'create', created), 'delete', deleted);
}

/** The outcome of checking scale expectations. */
export type ScaleExpectationsCheck =
  | {
      readonly kind: 'satisfied';
      /** The expectations to keep (always empty). */
      readonly expectations: ScaleExpectations;
    }
  | {
      /** `unsatisfied`: skip this reconcile; `timed-out`: waited longer than the timeout. */
      readonly kind: 'unsatisfied' | 'timed-out';
      /** Names still pending per action. */
      readonly pending: { readonly create: readonly string[]; readonly delete: readonly string[] };
      /** How long they have been unsatisfied, in ms. */
      readonly unsatisfiedForMs: number;
      /** How long to wait before checking again (0 once timed out). */
      readonly requeueAfterMs: number;
      /** The expectations to keep (with `firstUnsatisfiedAt` recorded). */
      readonly expectations: ScaleExpectations;
    };

/**
 * Returns whether a reconcile may act: `satisfied` when nothing is pending, else `unsatisfied`
 * (or `timed-out` after `timeoutMs`) with what is pending and when to look again.
 *
 * @example pending create ['web-a'] first seen unsatisfied at t, now t+60 s → unsatisfied, requeueAfterMs 240000
 */
export function checkScaleExpectations(
  expectations: ScaleExpectations,
  now: EpochMs,
  timeoutMs: number = EXPECTATION_TIMEOUT_MS,
): ScaleExpectationsCheck {
  if (isEmpty(expectations)) return { kind: 'satisfied', expectations: NO_SCALE_EXPECTATIONS };
  const since = expectations.firstUnsatisfiedAt ?? now;
  const unsatisfiedForMs = now - since;
  const timedOut = unsatisfiedForMs >= timeoutMs;
  return {
    kind: timedOut ? 'timed-out' : 'unsatisfied',
    pending: { create: expectations.create, delete: expectations.delete },
    unsatisfiedForMs,
    requeueAfterMs: timedOut ? 0 : timeoutMs - unsatisfiedForMs,
    expectations: { ...expectations, firstUnsatisfiedAt: since },
  };
}

function isEmpty(expectations: ScaleExpectations): boolean {
  return expectations.create.length === 0 && expectations.delete.length === 0;
}

/** An object a resource-version expectation is about: its uid and resourceVersion. */
export interface VersionedObject {
  /** The object's uid and resourceVersion. */
  readonly metadata: { readonly uid?: string | undefined; readonly resourceVersion?: string | undefined };
}

/** One resource-version expectation: the version our write produced and when we started waiting. */
export interface ExpectedResourceVersion {
  /** The `resourceVersion` returned by our write. */
  readonly resourceVersion: string;
  /** When the expectation was recorded (epoch ms). */
  readonly since: EpochMs;
}

/** Resource-version expectations by object uid. */
export type ResourceVersionExpectations = Readonly<Record<string, ExpectedResourceVersion>>;

/**
 * Returns whether resourceVersion `candidate` is at least `current` (OpenKruise's
 * `isResourceVersionNewer`): an empty or unparsable `current` is always superseded, an
 * unparsable `candidate` never supersedes. Versions compare as unsigned integers.
 *
 * @example isResourceVersionNewer('99', '100') → true; ('100', '99') → false; ('', 'x') → true
 */
export function isResourceVersionNewer(current: string, candidate: string): boolean {
  if (!/^\d+$/.test(current)) return true;
  if (!/^\d+$/.test(candidate)) return false;
  const a = current.replace(/^0+(?=\d)/, '');
  const b = candidate.replace(/^0+(?=\d)/, '');
  return b.length !== a.length ? b.length > a.length : b >= a;
}

/**
 * Returns the expectations after our write produced `object` (its uid and new resourceVersion):
 * later reconciles wait until the cache holds that version or a newer one.
 */
export function expectResourceVersion(
  expectations: ResourceVersionExpectations,
  object: VersionedObject,
  now: EpochMs,
): ResourceVersionExpectations {
  const uid = object.metadata.uid ?? '';
  const version = object.metadata.resourceVersion ?? '';
  const current = expectations[uid];
  if (current !== undefined && !isResourceVersionNewer(current.resourceVersion, version)) return expectations;
  // The wait starts with this write: an older expectation's start time would make a fresh write
  // look timed out at its first check.
  return { ...expectations, [uid]: { resourceVersion: version, since: now } };
}

/** Returns the expectations after the cache showed `object`: satisfied ones are dropped. */
export function observeResourceVersion(
  expectations: ResourceVersionExpectations,
  object: VersionedObject,
): ResourceVersionExpectations {
  const uid = object.metadata.uid ?? '';
  const current = expectations[uid];
  if (current === undefined || !isResourceVersionNewer(current.resourceVersion, object.metadata.resourceVersion ?? '')) {
    return expectations;
  }
  return Object.fromEntries(Object.entries(expectations).filter(([key]) => key !== uid));
}

/** The outcome of checking one object's resource-version expectation. */
export type ResourceVersionCheck =
  | { readonly kind: 'satisfied' }
  | {
      /** `unsatisfied`: the cache is older than our write; `timed-out`: waited longer than the timeout. */
      readonly kind: 'unsatisfied' | 'timed-out';
      /** The version the cache must reach. */
      readonly expected: string;
      /** How long to wait before checking again (0 once timed out). */
      readonly requeueAfterMs: number;
    };

/**
 * Returns whether the cached `object` is at least as new as our last write to it.
 *
 * @example expected '12' recorded at t, cached '11', now t+1 s → unsatisfied, requeueAfterMs 299000
 */
export function checkResourceVersion(
  expectations: ResourceVersionExpectations,
  object: VersionedObject,
  now: EpochMs,
  timeoutMs: number = EXPECTATION_TIMEOUT_MS,
): ResourceVersionCheck {
  const expected = expectations[object.metadata.uid ?? ''];
  if (expected === undefined || isResourceVersionNewer(expected.resourceVersion, object.metadata.resourceVersion ?? '')) {
    return { kind: 'satisfied' };
  }
  const waited = now - expected.since;
  return waited >= timeoutMs
    ? { kind: 'timed-out', expected: expected.resourceVersion, requeueAfterMs: 0 }
    : { kind: 'unsatisfied', expected: expected.resourceVersion, requeueAfterMs: timeoutMs - waited };
}
