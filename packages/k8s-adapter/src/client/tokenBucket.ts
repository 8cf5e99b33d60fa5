import { systemClock } from './systemClock.js';

const clock = systemClock();

/** A client-side rate limit: `qps` tokens per second, at most `burst` saved up. */
export interface RateLimit {
  readonly qps: number;
  readonly burst: number;
}

/** Waits for a token; resolves at once when the limit is unlimited. */
export type AcquireToken = (signal?: AbortSignal) => Promise<void>;

/**
 * Returns a token-bucket limiter like client-go's: with qps 5 and burst 10, ten requests go at
 * once, then one every 200 ms. Each caller reserves a token (the balance may go negative) and
 * waits until its reservation is due. `qps <= 0` or `Infinity` means unlimited.
 */
export function createTokenBucket(limit: RateLimit | undefined, now: () => number = () => performance.now()): AcquireToken {
  if (limit === undefined || !(limit.qps > 0) || !Number.isFinite(limit.qps)) return () => Promise.resolve();
  const burst = Math.max(1, limit.burst);
  const interval = 1000 / limit.qps;
  let tokens = burst;
  let last = now();
  return (signal) => {
    const t = now();
    tokens = Math.min(burst, tokens + (t - last) / interval) - 1;
    last = t;
    if (tokens >= 0) return Promise.resolve();
    const wait = -tokens * interval;
    // An aborted wait gives its reservation back. systemClock's sleep leaves no listener on the
    // signal once it ends (the signal is usually the controller's, alive as long as the process).
    return clock.sleep(wait, signal).catch((error: unknown) => {
      tokens += 1;
      throw error;
    });
  };
}
