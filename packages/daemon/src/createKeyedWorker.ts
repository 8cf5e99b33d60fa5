import type { Clock } from '@kruise-ts/k8s-adapter';

/** Options of {@link createKeyedWorker}. */
export interface KeyedWorkerOptions {
  readonly clock: Clock;
  /** Stops every loop and pending wake-up. */
  readonly signal: AbortSignal;
  /** One sync of a key; the worker never runs two of the same key at once. */
  readonly sync: (key: string) => Promise<void>;
  /** Called with each failed sync before its retry (log it). */
  readonly onError?: ((key: string, error: unknown, failures: number) => void) | undefined;
}

/** The per-key work queue of a daemon loop. */
export interface KeyedWorker {
  /** Syncs `key` now, or once more after the sync in flight if one runs. */
  schedule(key: string): void;
  /** Schedules `key` after `ms` of the clock's time. */
  later(key: string, ms: number): void;
  /** Resolves once every loop and wake-up has settled (after the signal aborted). */
  settle(): Promise<void>;
}

/**
 * Returns the retry backoff of the `failures`-th failed sync in a row: 500 ms doubling up to 50 s
 * (OpenKruise's daemon queues).
 *
 * @example retryBackoffMs(1) // 500; retryBackoffMs(3) // 2000; retryBackoffMs(20) // 50000
 */
export function retryBackoffMs(failures: number): number {
  return Math.min(50_000, 500 * 2 ** Math.max(0, failures - 1));
}

/**
 * Returns the work queue the daemon's loops share (client-go's workqueue as OpenKruise's daemon
 * controllers use it): one sync at a time per key, an event during a sync runs it once more
 * afterwards (events coalesce), a failed sync is retried after {@link retryBackoffMs} of its
 * failures in a row, and a success forgets them.
 *
 * @example schedule('ns/a') twice while the first sync runs → 2 syncs in all; a sync that throws
 *   twice → retried after 500 ms, then 1000 ms
 */
export function createKeyedWorker(options: KeyedWorkerOptions): KeyedWorker {
  const { clock, signal } = options;
  const running = new Map<string, { again: boolean }>();
  const failures = new Map<string, number>();
  const pending = new Set<Promise<unknown>>();
  const track = (promise: Promise<unknown>): void => {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise));
  };
  const aborted = (): boolean => signal.aborted;

  function later(key: string, ms: number): void {
    if (aborted()) return;
    track(clock.sleep(ms, signal).then(() => { schedule(key); }, () => undefined));
  }

  function schedule(key: string): void {
    if (aborted()) return;
    const current = running.get(key);
    if (current !== undefined) {
      current.again = true;
      return;
    }
    const state = { again: true };
    running.set(key, state);
    const loop = async (): Promise<void> => {
      while (state.again && !aborted()) {
        state.again = false;
        try {
          await options.sync(key);
          failures.delete(key);
        } catch (error) {
          if (aborted()) return;
          const n = (failures.get(key) ?? 0) + 1;
          failures.set(key, n);
          options.onError?.(key, error, n);
          later(key, retryBackoffMs(n));
        }
      }
    };
    track(loop().finally(() => running.delete(key)));
  }

  return {
    schedule,
    later,
    async settle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
