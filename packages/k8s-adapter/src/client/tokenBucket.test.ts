import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createTokenBucket } from './tokenBucket.js';

describe('createTokenBucket', () => {
  it('qps 5 burst 2: two go at once, then one every 200 ms', async () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      const acquire = createTokenBucket({ qps: 5, burst: 2 }, () => clock);
      const done: number[] = [];
      const all = [0, 1, 2, 3].map((i) => acquire().then(() => done.push(i)));
      await Promise.resolve();
      await Promise.resolve();
      expect(done).toEqual([0, 1]);
      clock = 200;
      await vi.advanceTimersByTimeAsync(200);
      expect(done).toEqual([0, 1, 2]);
      clock = 400;
      await vi.advanceTimersByTimeAsync(200);
      expect(done).toEqual([0, 1, 2, 3]);
      await Promise.all(all);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is unlimited without a positive finite qps', async () => {
    for (const limit of [undefined, { qps: 0, burst: 1 }, { qps: Infinity, burst: 1 }]) {
      const acquire = createTokenBucket(limit);
      let granted = 0;
      for (let i = 0; i < 1000; i++) void acquire().then(() => granted++);
      await Promise.resolve();
      expect(granted).toBe(1000); // all in the same microtask turn: no waiting
    }
  });

  it('an aborted wait rejects and gives its token back', async () => {
    let clock = 0;
    const acquire = createTokenBucket({ qps: 1, burst: 1 }, () => clock);
    await acquire();
    const abort = new AbortController();
    const waiting = acquire(abort.signal);
    abort.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    clock = 1000;
    await acquire(); // one token refilled, none owed: resolves at once
  });

  it('a wait that ends leaves no listener on the caller’s signal (a controller’s signal lives as long as the process)', async () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      const acquire = createTokenBucket({ qps: 10, burst: 1 }, () => clock);
      const lifetime = new AbortController();
      const waits = [0, 1, 2, 3].map(() => acquire(lifetime.signal));
      expect(getEventListeners(lifetime.signal, 'abort')).toHaveLength(3);
      clock = 300;
      await vi.advanceTimersByTimeAsync(300);
      await Promise.all(waits);
      expect(getEventListeners(lifetime.signal, 'abort')).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
