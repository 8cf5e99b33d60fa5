import type { KubeEvent } from '../ports.js';

/** Options of `createEventCorrelator` (the event correlator of `createEventRecorder`); the defaults are client-go's `EventCorrelator`'s. */
export interface EventCorrelatorOptions {
  /** Distinct messages of one object, type and reason within `aggregateWindowMs` before they are combined (default 10). */
  readonly aggregateMaxEvents?: number | undefined;
  /** How long a run of similar events is remembered (default 10 min). */
  readonly aggregateWindowMs?: number | undefined;
  /** Events about one object and type that may be written in a burst (default 25). */
  readonly spamBurst?: number | undefined;
  /** How long one more event about that object and type takes to be allowed again (default 5 min). */
  readonly spamRefillMs?: number | undefined;
  /** Most objects remembered by the aggregator and the spam filter each, least recent forgotten first (default 4096). */
  readonly cacheSize?: number | undefined;
}

/**
 * What becomes of one emitted event:
 * - `record`: write it, deduplicated under `key` (identical events share a key and raise one Event's
 *   count); `event` may be the combined event (`(combined from similar events): ...`).
 * - `skip`: the object has had too many events lately (`reason: 'spam'`): nothing is written, as
 *   client-go's spam filter drops it, but the count kept under `key` still rises, as client-go's cache.
 */
export type EventVerdict =
  | { readonly kind: 'record'; readonly event: KubeEvent; readonly key: string }
  | { readonly kind: 'skip'; readonly reason: 'spam'; readonly event: KubeEvent; readonly key: string };

/** Decides, event by event, what a recorder writes; see {@link createEventCorrelator}. */
export interface EventCorrelator {
  correlate(event: KubeEvent, nowMs: number): EventVerdict;
}

/** The prefix client-go gives an event that stands for similar ones. */
export const COMBINED_EVENT_PREFIX = '(combined from similar events): ';

/**
 * Returns client-go's event correlation (`tools/record/events_cache.go`) for one recorder:
 * - similar events (same object, type and reason, other messages): the 10th distinct message
 *   within 10 minutes and every later one become one Event whose message is
 *   `(combined from similar events): <latest message>` and whose count rises;
 * - spam filter: a token bucket per object and type (burst 25, one more every 5 minutes); an event
 *   without a token is skipped. Every event takes a token, an identical repeat too.
 *
 * @example 500 pods created by one CloneSet in a minute ("succeed to create pod web-…", each
 * message distinct): events 1–9 are recorded as they are, 10–25 as one combined Event (count 16),
 * 26–500 are skipped: 10 Events and at most 25 writes instead of 500.
 */
export function createEventCorrelator(options: EventCorrelatorOptions = {}): EventCorrelator {
  const maxEvents = options.aggregateMaxEvents ?? 10;
  const windowMs = options.aggregateWindowMs ?? 10 * 60 * 1000;
  const burst = options.spamBurst ?? 25;
  const refillMs = options.spamRefillMs ?? 5 * 60 * 1000;
  const cacheSize = options.cacheSize ?? 4096;
  const similar = new Map<string, { messages: Set<string>; lastMs: number }>();
  const buckets = new Map<string, { tokens: number; lastMs: number }>();

  const aggregate = (event: KubeEvent, nowMs: number): { event: KubeEvent; key: string } => {
    const groupKey = objectKey(event, [event.reason]);
    let record = similar.get(groupKey);
    if (record === undefined || nowMs - record.lastMs > windowMs) record = { messages: new Set(), lastMs: nowMs };
    record.messages.add(event.message);
    record.lastMs = nowMs;
    remember(similar, groupKey, record, cacheSize);
    if (record.messages.size < maxEvents) return { event, key: objectKey(event, [event.reason, event.message]) };
    // client-go pops one message so the set stays below the limit: every later distinct message combines too.
    const first = record.messages.values().next().value;
    if (first !== undefined) record.messages.delete(first);
    return { event: { ...event, message: `${COMBINED_EVENT_PREFIX}${event.message}` }, key: groupKey };
  };

  const allowed = (event: KubeEvent, nowMs: number): boolean => {
    const key = objectKey(event, []);
    const bucket = buckets.get(key) ?? { tokens: burst, lastMs: nowMs };
    bucket.tokens = Math.min(burst, bucket.tokens + (nowMs - bucket.lastMs) / refillMs);
    bucket.lastMs = nowMs;
    remember(buckets, key, bucket, cacheSize);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };

  return {
    correlate(event, nowMs) {
      const aggregated = aggregate(event, nowMs);
      return allowed(event, nowMs) ? { kind: 'record', ...aggregated } : { kind: 'skip', reason: 'spam', ...aggregated };
    },
  };
}

/** The subject and type of an event, plus `more` (reason, message), as one string. */
function objectKey(event: KubeEvent, more: readonly string[]): string {
  const { subject } = event;
  return JSON.stringify([subject.apiVersion, subject.kind, subject.namespace, subject.name, subject.uid, event.type, ...more]);
}

/** Sets `key` as the most recently used entry, forgetting the least recent past `size`. */
function remember<V>(map: Map<string, V>, key: string, value: V, size: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > size) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}
