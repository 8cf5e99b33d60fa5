import { describe, expect, it } from 'vitest';
import { createDelayLine } from './delayLine.js';
import { createFakeClock } from './fakeClock.js';

describe('createDelayLine', () => {
  it('a +500, b +0, c +100: nothing until +500, then a, b, c in order', async () => {
    const clock = createFakeClock({ start: 0 });
    const out: string[] = [];
    const add = createDelayLine(clock, (item: string) => out.push(`${item}@${String(clock.now())}`), new AbortController().signal);
    add('a', 500);
    add('b', 0);
    add('c', 100);
    await clock.advance(499);
    expect(out).toEqual([]);
    await clock.advance(1);
    expect(out).toEqual(['a@500', 'b@500', 'c@500']);
    add('d', 0);
    expect(out).toEqual(['a@500', 'b@500', 'c@500', 'd@500']);
  });

  it('a +100, b +300: each at its own time', async () => {
    const clock = createFakeClock({ start: 0 });
    const out: string[] = [];
    const add = createDelayLine(clock, (item: string) => out.push(`${item}@${String(clock.now())}`), new AbortController().signal);
    add('a', 100);
    add('b', 300);
    await clock.advance(1000);
    expect(out).toEqual(['a@100', 'b@300']);
  });

  it('drops what it holds when the signal aborts', async () => {
    const clock = createFakeClock({ start: 0 });
    const out: string[] = [];
    const stop = new AbortController();
    const add = createDelayLine(clock, (item: string) => out.push(item), stop.signal);
    add('held', 100);
    stop.abort();
    add('late', 0);
    await clock.advance(1000);
    expect([out, clock.pending]).toEqual([[], 0]);
  });
});
