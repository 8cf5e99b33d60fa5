import type { NodeImageStatus } from '@kruise-ts/core';
import type { Clock } from '@kruise-ts/k8s-adapter';

/** OpenKruise's daemon status write limit: 0.5 writes per second, bursts of 5. */
export const STATUS_WRITE_LIMIT = { qps: 0.5, burst: 5 } as const;
/** An unchanged status is written again this long after the last write (OpenKruise: 12 h)… */
export const STATUS_REFRESH_BASE_MS = 12 * 3600 * 1000;
/** …plus up to this much, drawn at random (OpenKruise: 0–60 min), so nodes do not refresh together. */
export const STATUS_REFRESH_JITTER_MS = 3600 * 1000;

/**
 * Returns how long after a write an unchanged status is written again (OpenKruise's `updateStatus`
 * refresh): 12 h plus `draw` (in [0, 1)) of an hour, whole seconds.
 *
 * @example statusRefreshMs(0) // 43200000 (12 h);  statusRefreshMs(0.5) // 45000000 (12 h 30 min)
 */
export function statusRefreshMs(draw: number): number {
  return STATUS_REFRESH_BASE_MS + Math.floor(draw * (STATUS_REFRESH_JITTER_MS / 1000)) * 1000;
}

/** Options of {@link createStatusWriter}. */
export interface StatusWriterOptions<S = NodeImageStatus> {
  /** The status to write now (read when a write is due, so changes in between coalesce). */
  readonly read: () => S | undefined;
  /** Writes it (a `/status` patch); a rejection is retried after `retryMs`. */
  readonly write: (status: S, signal: AbortSignal) => Promise<void>;
  readonly clock: Clock;
  /** Writes per second and burst (default {@link STATUS_WRITE_LIMIT}). */
  readonly limit?: { readonly qps: number; readonly burst: number } | undefined;
  /** Wait after a failed write (default 1000 ms). */
  readonly retryMs?: number | undefined;
  readonly onError?: ((error: unknown) => void) | undefined;
  /** Random draw in [0, 1) for the refresh interval ({@link statusRefreshMs}; default Math.random). */
  readonly random?: (() => number) | undefined;
}

/** A throttled writer of one object's status (a NodeImage's, a NodePodProbe's). */
export interface StatusWriter {
  /** Says the status may have changed; a write follows when the limit allows and it differs from the last one written. */
  notify(): void;
  /** Forgets the last written status (after the NodeImage was re-created), so the next notify writes. */
  reset(): void;
  /** Writes done so far. */
  writes(): number;
  /** Resolves when nothing is pending (tests and shutdown). */
  idle(): Promise<void>;
  stop(): void;
}

/**
 * Returns a status writer that coalesces change notifications into few writes: one writer loop,
 * at most `qps` writes per second after a burst (OpenKruise's 0.5/s, burst 5), the status read
 * when the write is due (progress ticks in between are folded in), and no write when the status
 * equals the last one written. A 1,000-tag pull therefore costs tens of writes, not thousands.
 * An unchanged status is still written again 12 h + 0–60 min after the last write (OpenKruise's
 * periodic refresh, which keeps the NodeImage's status fresh for readers that look at its age).
 *
 * @example 300 notifications over 10 s with qps 0.5, burst 5 → at most 5 + 5 = 10 writes
 */
export function createStatusWriter<S = NodeImageStatus>(options: StatusWriterOptions<S>): StatusWriter {
  const limit = options.limit ?? STATUS_WRITE_LIMIT;
  const interval = limit.qps > 0 && Number.isFinite(limit.qps) ? 1000 / limit.qps : 0;
  const abort = new AbortController();
  let tokens = Math.max(1, limit.burst);
  let refilledAt = options.clock.now();
  let dirty = false;
  let loop: Promise<void> | undefined;
  let last: string | undefined;
  let count = 0;
  const random = options.random ?? Math.random;
  let writtenAt = Number.NEGATIVE_INFINITY;
  let refreshAfter = statusRefreshMs(random());
  let refreshTimer: AbortController | undefined;
  // Written already and not yet due for its refresh.
  const unchanged = (text: string): boolean => text === last && options.clock.now() - writtenAt < refreshAfter;

  const takeToken = async (): Promise<void> => {
    if (interval === 0) return;
    const now = options.clock.now();
    tokens = Math.min(Math.max(1, limit.burst), tokens + (now - refilledAt) / interval);
    refilledAt = now;
    if (tokens < 1) {
      await options.clock.sleep(Math.ceil((1 - tokens) * interval), abort.signal);
      tokens = Math.min(Math.max(1, limit.burst), tokens + (options.clock.now() - refilledAt) / interval);
      refilledAt = options.clock.now();
    }
    tokens -= 1;
  };

  const stopped = (): boolean => abort.signal.aborted;
  const run = async (): Promise<void> => {
    while (dirty && !stopped()) {
      dirty = false;
      const first = options.read();
      if (first === undefined || unchanged(JSON.stringify(first))) continue;
      await takeToken();
      const status = options.read();
      const text = JSON.stringify(status);
      if (status === undefined || unchanged(text)) continue;
      try {
        await options.write(status, abort.signal);
        count += 1;
        last = text;
        scheduleRefresh();
      } catch (error) {
        if (stopped()) return;
        options.onError?.(error);
        dirty = true;
        await options.clock.sleep(options.retryMs ?? 1000, abort.signal);
      }
    }
  };

  // After each write: a timer that asks for the refresh write once it is due.
  const scheduleRefresh = (): void => {
    writtenAt = options.clock.now();
    refreshAfter = statusRefreshMs(random());
    refreshTimer?.abort();
    refreshTimer = new AbortController();
    options.clock.sleep(refreshAfter, AbortSignal.any([abort.signal, refreshTimer.signal])).then(
      () => {
        notify();
      },
      () => undefined,
    );
  };

  function notify(): void {
    dirty = true;
    loop ??= run()
      .catch(() => undefined)
      .finally(() => {
        loop = undefined;
        if (dirty && !abort.signal.aborted) notify();
      });
  }

  return {
    notify,
    reset() {
      last = undefined;
    },
    writes: () => count,
    async idle() {
      while (loop !== undefined) await loop;
    },
    stop() {
      abort.abort(new Error('status writer stopped'));
      refreshTimer?.abort();
    },
  };
}
