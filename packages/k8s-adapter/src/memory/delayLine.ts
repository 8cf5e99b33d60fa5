import type { Clock } from '../ports.js';

/**
 * Returns the input of a delay line on `clock`: each item given is passed to `emit` after its
 * delay, in the order given (an item waits behind a later-due one before it, as events behind a
 * slow one on a lagging connection); items with no delay and nothing held go straight through.
 * When `signal` aborts, what is held is dropped.
 *
 * @example
 * ```ts
 * const add = createDelayLine(clock, emit, signal);
 * add('a', 500); add('b', 0); add('c', 100);
 * await clock.advance(500); // emit('a'), emit('b'), emit('c'), all at +500
 * ```
 */
export function createDelayLine<T>(clock: Clock, emit: (item: T) => void, signal: AbortSignal): (item: T, delayMs: number) => void {
  const held: { readonly at: number; readonly item: T }[] = [];

  async function release(): Promise<void> {
    try {
      for (let first = held[0]; first !== undefined; first = held[0]) {
        const wait = first.at - clock.now();
        if (wait > 0) await clock.sleep(wait, signal);
        const now = clock.now();
        for (let next = held[0]; next !== undefined && next.at <= now; next = held[0]) {
          held.shift();
          emit(next.item);
        }
      }
    } catch {
      held.length = 0;
    }
  }

  return (item, delayMs) => {
    if (signal.aborted) return;
    if (held.length === 0 && delayMs <= 0) {
      emit(item);
      return;
    }
    const at = Math.max(clock.now() + Math.max(0, delayMs), held.at(-1)?.at ?? -Infinity);
    held.push({ at, item });
    if (held.length === 1) void release();
  };
}
