/**
 * One time the apiserver stamped on an object this process wrote (`creationTimestamp` of a create,
 * `metadata.managedFields[].time` of an update), with when, by the local clock, the request was
 * sent and its answer received.
 */
export interface ServerTimeSample {
  /** The stamp in epoch ms, truncated to the stamp's granularity (RFC 3339 seconds: a multiple of 1000). */
  readonly serverTimeMs: number;
  /** Local time the request was sent. */
  readonly sentAtMs: number;
  /** Local time the answer was received (≥ `sentAtMs`). */
  readonly receivedAtMs: number;
  /**
   * The stamp was made by this very request (a create; an update that changed the
   * resourceVersion), so it also bounds the offset from above. A patch's answer may carry the
   * time of an earlier write (a patch that changed nothing): only a lower bound.
   */
  readonly fresh: boolean;
}

/**
 * What the samples say of `server time − local time`, with why:
 * - `no-samples`: nothing written yet; the local clock is used (`offsetMs` 0).
 * - `in-sync`: every stamp fits the local clock to within its granularity and the round trip
 *   (`offsetMs` 0: exactly what OpenKruise does, which trusts the local clock).
 * - `skewed`: the clocks differ by more than that; `offsetMs` is the largest lower bound, so
 *   `local + offsetMs` is never later than the apiserver's time — a pod is never counted available
 *   early, at worst up to the stamps' granularity (plus a round trip) late.
 */
export type ClockOffsetEstimate =
  | { readonly kind: 'no-samples'; readonly offsetMs: 0 }
  | { readonly kind: 'in-sync'; readonly offsetMs: 0; readonly lowerMs: number; readonly upperMs: number }
  | { readonly kind: 'skewed'; readonly offsetMs: number; readonly lowerMs: number; readonly upperMs: number };

/** The stamps' granularity: `metav1.Time` is serialized to the second. */
export const SERVER_TIME_GRANULARITY_MS = 1000;

/**
 * Returns the offset `server − local` the samples prove, as a {@link ClockOffsetEstimate}.
 *
 * A stamp `T` (truncated to `granularityMs`) was made before the answer arrived, so
 * `T − receivedAt ≤ offset` (for any stamp, stale or not), and `offset < T + granularity − sentAt`
 * when it is fresh (made by this very request). The lower bound is the largest of the former, the
 * upper the smallest of the latter, taken from the newest sample back; a sample that contradicts
 * the newer ones (its bound crosses theirs) and every older one are left out: one of the clocks
 * was stepped since.
 *
 * @example the manager 120 s ahead; a pod created at local 1_000_120_400 (sent) → 1_000_120_420
 *   (received), stamped 1_000_000_000 (server 1_000_000_410, truncated) → lower −120_420, upper
 *   −119_400 → `{ kind: 'skewed', offsetMs: -120_420 }`: now = local − 120.42 s, 420 ms behind the
 *   apiserver (the truncation); stamps at other fractions of a second close the gap.
 * @example clocks in sync: sent 5_000_700, received 5_000_720, stamped 5_000_000 → lower −720, upper
 *   300 → `{ kind: 'in-sync', offsetMs: 0 }`.
 */
export function estimateClockOffset(samples: readonly ServerTimeSample[], granularityMs: number = SERVER_TIME_GRANULARITY_MS): ClockOffsetEstimate {
  if (samples.length === 0) return { kind: 'no-samples', offsetMs: 0 };
  let lowerMs = -Infinity;
  let upperMs = Infinity;
  for (let i = samples.length - 1; i >= 0; i--) {
    const s = samples[i] as ServerTimeSample;
    const lower = Math.max(lowerMs, s.serverTimeMs - s.receivedAtMs);
    const upper = s.fresh ? Math.min(upperMs, s.serverTimeMs + granularityMs - s.sentAtMs) : upperMs;
    if (lower >= upper) break;
    lowerMs = lower;
    upperMs = upper;
  }
  if (lowerMs <= 0 && upperMs > 0) return { kind: 'in-sync', offsetMs: 0, lowerMs, upperMs };
  return { kind: 'skewed', offsetMs: lowerMs, lowerMs, upperMs };
}
