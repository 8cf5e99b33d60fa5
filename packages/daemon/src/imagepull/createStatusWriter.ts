import type { NodeImageStatus } from '@kruise-ts/core';
import type { Clock } from '@kruise-ts/k8s-adapter';

/** OpenKruise's daemon status write limit: 0.5 writes per second, bursts of 5. */
export const STATUS_WRITE_LIMIT = { qps: 0.5, burst: 5 } as const;

/** Options of {@link createStatusWriter}. */
export interface StatusWriterOptions {
  /** The status to write now (read when a write is due, so changes in between coalesce). */
  readonly read: () => NodeImageStatus | undefined;
  /** Writes it (a `/status` patch); a rejection is retried after `retryMs`. */
  readonly write: (status: NodeImageStatus, signal: AbortSignal) => Promise<void>;
  readonly clock: Clock;
  /** Writes per second and burst (default {@link STATUS_WRITE_LIMIT}). */
  readonly limit?: { readonly qps: number; readonly burst: number } | undefined;
  /** Wait after a failed write (default 1000 ms). */
  readonly retryMs?: number | undefined;
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** A throttled writer of one NodeImage's status. */
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
 *
 * @example 300 notifications over 10 s with qps 0.5, burst 5 → at most 5 + 5 = 10 writes
 */
export function createStatusWriter(options: StatusWriterOptions): StatusWriter {
  const limit = options.limit ?? STATUS_WRITE_LIMIT;
  const interval = limit.qps > 0 && Number.isFinite(limit.qps) ? 1000 / limit.qps : 0;
  const abort = new AbortController();
  let tokens = Math.max(1, limit.burst);
  let refilledAt = options.clock.now();
  let dirty = false;
  let loop: Promise<void> | undefined;
  let last: string | undefined;
  let count = 0;

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
      if (first === undefined || JSON.stringify(first) === last) continue;
      await takeToken();
      const status = options.read();
      const text = JSON.stringify(status);
      if (status === undefined || text === last) continue;
      try {
        await options.write(status, abort.signal);
        count += 1;
        last = text;
      } catch (error) {
        if (stopped()) return;
        options.onError?.(error);
        dirty = true;
        await options.clock.sleep(options.retryMs ?? 1000, abort.signal);
      }
    }
  };

  const notify = (): void => {
    dirty = true;
    loop ??= run()
      .catch(() => undefined)
      .finally(() => {
        loop = undefined;
        if (dirty && !abort.signal.aborted) notify();
      });
  };

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
    },
  };
}
