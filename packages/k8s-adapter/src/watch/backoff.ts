/** Settings of an exponential backoff with jitter. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms (default 800, as kube-rs). */
  readonly initialMs?: number;
  /** Upper bound of every delay, in ms (default 30 000). */
  readonly maxMs?: number;
  /** Growth per attempt (default 2). */
  readonly factor?: number;
  /** Spread of each delay as a fraction of it: 0.2 → ±20 % (default 0.2). */
  readonly jitter?: number;
  /** Source of randomness in [0, 1) (default `Math.random`). */
  readonly random?: () => number;
}

/**
 * Returns the delay before retry number `attempt` (0 = first retry): `initialMs * factor^attempt`
 * capped at `maxMs`, spread by ±`jitter` with `random` in [0, 1), and never above `maxMs`.
 *
 * @example defaults, attempt 0 → 800 ms ±160; attempt 3 → 6 400 ms ±1 280; attempt 6 → 30 000 ms −6 000
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: number = (options.random ?? Math.random)()): number {
  const { initialMs = 800, maxMs = 30_000, factor = 2, jitter = 0.2 } = options;
  const base = Math.min(maxMs, initialMs * factor ** attempt);
  return Math.round(Math.min(maxMs, base * (1 + jitter * (2 * random - 1))));
}

/** A backoff with state: the number of failures since the last success. */
export interface Backoff {
  /** Returns the delay before the next retry and counts one more failure. */
  next(): number;
  /** Forgets the failures after a success: the next delay is the initial one again. */
  reset(): void;
  /** Failures since the last reset. */
  readonly attempts: number;
}

/**
 * Returns a stateful exponential backoff over {@link backoffDelay}.
 *
 * @example next() → ~800, next() → ~1 600, reset(), next() → ~800
 */
export function createBackoff(options: BackoffOptions = {}): Backoff {
  let attempts = 0;
  return {
    next: () => backoffDelay(attempts++, options),
    reset: () => {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}
