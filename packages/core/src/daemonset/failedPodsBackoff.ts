import type { DaemonSet } from '../api/daemonSet.js';
import type { EpochMs } from '../shared/podState.js';

/**
 * The back-off of deleting failed daemon pods (OpenKruise's `failedPodsBackoff`, a Kubernetes
 * `flowcontrol.Backoff` of 1 s doubling to 15 min, per set generation and node): a kubelet that
 * rejects the pod again and again is not fought in a hot loop. The controller keeps the entries
 * between passes; core reads them from the snapshot and returns the ones a pass changes.
 */

/** First back-off of a node's failed pods. */
export const FAILED_POD_BACKOFF_INITIAL_MS = 1000;
/** Longest back-off. */
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60 * 1000;

/** One back-off: how long the node waits after its last failed-pod deletion, and when that was. */
export interface BackoffEntry {
  readonly backoffMs: number;
  readonly lastUpdateMs: EpochMs;
}

/** The back-off entries the controller keeps, by {@link failedPodsBackoffKey}. */
export type FailedPodsBackoff = ReadonlyMap<string, BackoffEntry>;

/** A back-off entry a pass sets. */
export interface FailedPodBackoffUpdate {
  readonly key: string;
  readonly entry: BackoffEntry;
}

/**
 * Returns the back-off key of a node of the set: `<uid>/<status.observedGeneration>/<node>`, so a
 * new generation starts afresh.
 *
 * @example uid 'u1', observedGeneration 3, node 'n1' → 'u1/3/n1'
 */
export function failedPodsBackoffKey(ds: DaemonSet, node: string): string {
  return `${ds.metadata?.uid ?? ''}/${String(ds.status?.observedGeneration ?? 0)}/${node}`;
}

// Kubernetes forgets an entry not touched for twice the longest back-off.
const expired = (entry: BackoffEntry, now: EpochMs): boolean => now - entry.lastUpdateMs > 2 * FAILED_POD_BACKOFF_MAX_MS;

/**
 * Returns whether a failed pod's deletion is still held back at `now` (`IsInBackOffSinceUpdate`):
 * the entry is recent and its back-off has not run out since its last update.
 *
 * @example entry { backoffMs: 2000, lastUpdateMs: T0 }, now T0 + 1 s → true; now T0 + 2 s → false
 */
export function isInFailedPodBackoff(entry: BackoffEntry | undefined, now: EpochMs): boolean {
  return entry !== undefined && !expired(entry, now) && now - entry.lastUpdateMs < entry.backoffMs;
}

/**
 * Returns the entry after a failed pod is deleted at `now` (`Backoff.Next`): 1 s the first time
 * (or after the entry expired), else twice the last back-off, at most 15 min.
 *
 * @example undefined → { backoffMs: 1000, lastUpdateMs: now }; { backoffMs: 1000 } → { backoffMs: 2000, ... }
 */
export function nextFailedPodBackoff(entry: BackoffEntry | undefined, now: EpochMs): BackoffEntry {
  if (entry === undefined || expired(entry, now)) return { backoffMs: FAILED_POD_BACKOFF_INITIAL_MS, lastUpdateMs: now };
  return { backoffMs: Math.min(2 * entry.backoffMs, FAILED_POD_BACKOFF_MAX_MS), lastUpdateMs: now };
}

/**
 * Returns the entries with `updates` applied and expired ones dropped (the periodic GC of
 * OpenKruise's back-off), for a controller that keeps them between passes.
 */
export function withFailedPodBackoffUpdates(backoff: FailedPodsBackoff, updates: readonly FailedPodBackoffUpdate[], now: EpochMs): Map<string, BackoffEntry> {
  const next = new Map<string, BackoffEntry>();
  for (const [key, entry] of backoff) if (!expired(entry, now)) next.set(key, entry);
  for (const { key, entry } of updates) next.set(key, entry);
  return next;
}
