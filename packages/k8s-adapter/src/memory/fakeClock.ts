import type { Clock } from '../ports.js';

/** Options of {@link createFakeClock}. */
export interface FakeClockOptions {
  /** Start time in epoch ms (default 2026-01-01T00:00:00Z). */
  readonly start?: number;
  /**
   * `manual` (default): time moves only with `advance`. `auto`: whenever the event loop is idle
   * and something sleeps, time jumps to the next wake-up (a discrete-event simulation: hours of
   * rollout in milliseconds). `realtime`: time flows with the wall clock times `speed`.
   */
  readonly mode?: 'manual' | 'auto' | 'realtime';
  /** Speed of `realtime` mode (default 1; 10 = ten fake seconds per real second). */
  readonly speed?: number;
  /** Event-loop turns given to woken code after each wake-up (default 5). */
  readonly flushTurns?: number;
}

/** A {@link Clock} under test control. */
export interface FakeClock extends Clock {
  /**
   * Moves time forward by `ms`, waking due sleepers one by one in time order; each wake-up is
   * followed by a few event-loop turns so that the woken code (and what it awaits) runs before the
   * next. Resolves once time is `now() + ms` and everything due has run.
   */
  advance(ms: number): Promise<void>;
  /** Lets pending promise chains and immediate callbacks run, without moving time. */
  flush(): Promise<void>;
  /** Number of sleepers waiting. */
  readonly pending: number;
  /** Epoch ms of the next wake-up, or undefined when nobody sleeps. */
  readonly nextWakeUp: number | undefined;
  /** Stops the timers of `auto` and `realtime` modes. */
  dispose(): void;
}

interface Sleeper {
  readonly at: number;
  readonly seq: number;
  readonly wake: () => void;
}

/**
 * Resolves after `turns` turns of the event loop (default 1): the promise chains and immediate
 * callbacks already pending run first, and so does what they set going within those turns. What a
 * {@link FakeClock} does after each wake-up, for tests that need the same without moving time
 * (or without a clock at all).
 *
 * @example
 * ```ts
 * emitter.emit('SIGTERM');
 * await flushEventLoop(); // the async handler has run
 * ```
 */
export async function flushEventLoop(turns = 1): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Returns a fake clock: `now()` starts at `start`, `sleep(ms)` resolves when `advance` (or the
 * `auto`/`realtime` mode) moves time past it, in order of wake-up time then of sleeping.
 *
 * @example
 * ```ts
 * const clock = createFakeClock();
 * const woke = clock.sleep(1000).then(() => clock.now());
 * await clock.advance(5000); // woke resolves to start + 1000
 * ```
 */
export function createFakeClock(options: FakeClockOptions = {}): FakeClock {
  const mode = options.mode ?? 'manual';
  const speed = options.speed ?? 1;
  const flushTurns = options.flushTurns ?? 5;
  let base = options.start ?? Date.UTC(2026, 0, 1);
  const realStart = Date.now();
  let sleepers: Sleeper[] = [];
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let autoScheduled = false;
  let disposed = false;
  let advancing = Promise.resolve();

  const now = (): number => (mode === 'realtime' ? base + (Date.now() - realStart) * speed : base);
  const flush = (): Promise<void> => flushEventLoop(flushTurns);

  async function fireDue(until: number): Promise<void> {
    for (;;) {
      const next = sleepers[0];
      if (next === undefined || next.at > until) break;
      sleepers.shift();
      if (mode !== 'realtime' && next.at > base) base = next.at;
      next.wake();
      await flush();
    }
  }

  function schedule(): void {
    if (disposed) return;
    if (mode === 'realtime') {
      clearTimeout(timer);
      const next = sleepers[0];
      // After waking what is due, arm the timer again for the next sleeper still waiting.
      if (next !== undefined) {
        timer = setTimeout(() => {
          void serialize(async () => {
            await fireDue(now());
            schedule();
          });
        }, Math.max(0, (next.at - now()) / speed));
      }
    } else if (mode === 'auto' && !autoScheduled && sleepers.length > 0) {
      autoScheduled = true;
      setImmediate(() => {
        void serialize(async () => {
          await flush();
          autoScheduled = false;
          const next = sleepers[0];
          if (next !== undefined && !disposed) await fireDue(next.at);
          schedule();
        });
      });
    }
  }

  /** Runs wake-up passes one at a time, so two `advance` calls never interleave. */
  function serialize(pass: () => Promise<void>): Promise<void> {
    advancing = advancing.then(pass, pass);
    return advancing;
  }

  return {
    now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        const aborted = (): Error => (signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
        if (signal?.aborted === true) {
          reject(aborted());
          return;
        }
        const onAbort = (): void => {
          sleepers = sleepers.filter((s) => s !== sleeper);
          reject(aborted());
        };
        const sleeper: Sleeper = {
          at: now() + Math.max(0, ms),
          seq: seq++,
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const index = sleepers.findIndex((s) => s.at > sleeper.at);
        sleepers.splice(index < 0 ? sleepers.length : index, 0, sleeper);
        schedule();
      });
    },
    advance(ms) {
      return serialize(async () => {
        const target = now() + Math.max(0, ms);
        await flush();
        await fireDue(target);
        if (mode === 'realtime') base += Math.max(0, ms);
        else base = Math.max(base, target);
        schedule();
      });
    },
    flush,
    get pending() {
      return sleepers.length;
    },
    get nextWakeUp() {
      return sleepers[0]?.at;
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}
