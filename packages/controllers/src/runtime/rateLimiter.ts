/** Per-key exponential backoff: the first failure waits `baseMs`, each next one twice as long, up to `maxMs`. */
export interface BackoffOptions {
  /** Delay after the first failure in ms (client-go: 5). */
  readonly baseMs: number;
  /** Longest delay in ms (client-go: 1000 s = 1_000_000). */
  readonly maxMs: number;
}

/** An overall token bucket over every key: `qps` requeues per second, `burst` at once. */
export interface QueueRateLimit {
  readonly qps: number;
  readonly burst: number;
}

/** client-go's `DefaultControllerRateLimiter` backoff: 5 ms doubling up to 1000 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5, maxMs: 1_000_000 };
/** client-go's `DefaultControllerRateLimiter` bucket: 10 qps with a burst of 100. */
export const DEFAULT_QUEUE_RATE_LIMIT: QueueRateLimit = { qps: 10, burst: 100 };

/**
 * Returns the backoff in ms after `failures` earlier failures of a key: `baseMs * 2^failures`,
 * capped at `maxMs`. With base 5 ms and max 1000 s: 0 → 5, 1 → 10, 4 → 80, 10 → 5120, 30 → 1_000_000.
 */
export function exponentialBackoffMs(backoff: BackoffOptions, failures: number): number {
  const delay = backoff.baseMs * 2 ** failures;
  return Number.isFinite(delay) ? Math.min(delay, backoff.maxMs) : backoff.maxMs;
}

/**
 * Decides how long a key waits before it is retried, and counts its failures (client-go's
 * `RateLimiter`: `When`, `Forget`, `NumRequeues`).
 */
export interface RequeueRateLimiter {
  /** Returns the delay in ms for the next retry of `key`, and counts one more failure. */
  when(key: string): number;
  /** Clears the failures of `key` (after a success or when giving up). */
  forget(key: string): void;
  /** Returns how many times `key` was rate-limited since it was last forgotten. */
  numRequeues(key: string): number;
}

/**
 * Returns client-go's default controller rate limiter: the larger of a per-key exponential
 * backoff and an overall token-bucket reservation. With the defaults, the 3rd failure of a key
 * waits 20 ms, and the 101st requeue within one second (any keys) waits 100 ms for a token.
 * `now` gives the time in ms; `qps <= 0` or `Infinity` disables the bucket.
 */
export function createRequeueRateLimiter(options: { backoff?: BackoffOptions | undefined; rateLimit?: QueueRateLimit | undefined; now: () => number }): RequeueRateLimiter {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const reserve = createTokenReservation(options.rateLimit ?? DEFAULT_QUEUE_RATE_LIMIT, options.now);
  const failures = new Map<string, number>();
  return {
    when(key) {
      const count = failures.get(key) ?? 0;
      failures.set(key, count + 1);
      return Math.max(exponentialBackoffMs(backoff, count), reserve());
    },
    forget: (key) => failures.delete(key),
    numRequeues: (key) => failures.get(key) ?? 0,
  };
}

/**
 * Returns a function that takes one token and answers how long in ms to wait for it (golang.org/x/time/rate
 * `Reserve().Delay()`): the balance may go negative, each reservation queues behind the earlier ones.
 * With qps 10 and burst 100: the first 100 calls at one instant get 0, the 101st 100, the 102nd 200.
 */
export function createTokenReservation(limit: QueueRateLimit, now: () => number): () => number {
  if (!(limit.qps > 0) || !Number.isFinite(limit.qps)) return () => 0;
  const burst = Math.max(1, limit.burst);
  const msPerToken = 1000 / limit.qps;
  let balance = burst;
  let updatedAt = now();
  return () => {
    const t = now();
    balance = Math.min(burst, balance + Math.max(0, t - updatedAt) / msPerToken) - 1;
    updatedAt = t;
    return balance >= 0 ? 0 : -balance * msPerToken;
  };
}
