import type { Clock } from '@kruise-ts/k8s-adapter';

/**
 * A {@link Clock} for tests that moves only when told: `sleep(100)` resolves once `advance`
 * passes its deadline. Sleeps end in deadline order, each followed by a macrotask so the code
 * they wake can run (and schedule more sleeps) before time moves on.
 */
export class FakeClock implements Clock {
  #now: number;
  #sleepers: { at: number; seq: number; wake: () => void }[] = [];
  #seq = 0;

  constructor(startMs = 1_700_000_000_000) {
    this.#now = startMs;
  }

  /** Returns the fake time in epoch ms. */
  now(): number {
    return this.#now;
  }

  /** Resolves when the fake time reaches now + `ms`; rejects with the reason when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(signal.reason as Error);
        return;
      }
      const sleeper = { at: this.#now + Math.max(0, ms), seq: this.#seq++, wake: resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
  }

  /** Returns the number of sleeps not yet ended. */
  get pendingSleeps(): number {
    return this.#sleepers.length;
  }

  /** Moves time forward by `ms`, ending due sleeps in order and letting their callers run. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#sleepers.filter((s) => s.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (next === undefined) break;
      this.#sleepers = this.#sleepers.filter((s) => s !== next);
      this.#now = Math.max(this.#now, next.at);
      next.wake();
      await settle();
    }
    this.#now = target;
    await settle();
  }
}

/** Resolves after pending promise callbacks (and one macrotask) have run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
