import { describe, expect, it } from 'vitest';
import { createFakeClock, flushEventLoop } from './fakeClock.js';

const START = Date.UTC(2026, 0, 1);

describe('createFakeClock', () => {
  it('starts at the given time and moves only with advance (manual mode)', async () => {
    const clock = createFakeClock({ start: 1000 });
    expect(clock.now()).toBe(1000);
    await clock.advance(250);
    expect(clock.now()).toBe(1250);
  });

  it('wakes sleepers in time order, each seeing its own wake-up time', async () => {
    const clock = createFakeClock();
    const seen: [string, number][] = [];
    void clock.sleep(300).then(() => seen.push(['c', clock.now()]));
    void clock.sleep(100).then(() => seen.push(['a', clock.now()]));
    void clock.sleep(100).then(() => seen.push(['b', clock.now()]));
    await clock.advance(200);
    expect(seen).toEqual([
      ['a', START + 100],
      ['b', START + 100],
    ]);
    await clock.advance(200);
    expect(seen.at(-1)).toEqual(['c', START + 300]);
    expect(clock.now()).toBe(START + 400);
  });

  it('lets woken code run, and sleep again within the same advance', async () => {
    const clock = createFakeClock();
    const ticks: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(1000);
        await Promise.resolve();
        ticks.push(clock.now() - START);
      }
    })();
    await clock.advance(2500);
    expect(ticks).toEqual([1000, 2000]);
    expect(clock.pending).toBe(1);
    expect(clock.nextWakeUp).toBe(START + 3000);
  });

  it('rejects a sleep when its signal aborts, and forgets it', async () => {
    const clock = createFakeClock();
    const abort = new AbortController();
    const sleeping = clock.sleep(1000, abort.signal);
    abort.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pending).toBe(0);
    await expect(clock.sleep(1, abort.signal)).rejects.toThrow('stop');
  });

  it('jumps to the next wake-up when idle (auto mode)', async () => {
    const clock = createFakeClock({ mode: 'auto' });
    await clock.sleep(60_000);
    expect(clock.now()).toBe(START + 60_000);
    clock.dispose();
  });

  it('follows the wall clock times speed (realtime mode)', async () => {
    const clock = createFakeClock({ mode: 'realtime', speed: 100 });
    const before = clock.now();
    await clock.sleep(1000);
    expect(clock.now() - before).toBeGreaterThanOrEqual(1000);
    clock.dispose();
  });

  it('wakes every sleeper in turn in realtime mode, not only the first', async () => {
    const clock = createFakeClock({ mode: 'realtime', speed: 10 });
    const woke: number[] = [];
    await Promise.all([clock.sleep(1000).then(() => woke.push(1000)), clock.sleep(3000).then(() => woke.push(3000))]);
    expect(woke).toEqual([1000, 3000]);
    clock.dispose();
  });
});

describe('flushEventLoop', () => {
  it('lets what is pending run, one event-loop turn per turn asked for', async () => {
    let turns = 0;
    const next = (): void => {
      if (++turns < 10) setImmediate(next);
    };
    setImmediate(next);
    await flushEventLoop();
    expect(turns).toBe(1);
    await flushEventLoop(3);
    expect(turns).toBe(4);
    await flushEventLoop(0);
    expect(turns).toBe(4);
  });
});
