import { createFakeClock } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { createKeyedWorker, retryBackoffMs } from './createKeyedWorker.js';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition not reached');
}

describe('createKeyedWorker', () => {
  it.each([[1, 500], [2, 1000], [3, 2000], [8, 50_000], [20, 50_000]])('retryBackoffMs(%i) = %i', (failures, ms) => {
    expect(retryBackoffMs(failures)).toBe(ms);
  });

  it('never runs two syncs of a key at once; events during a sync coalesce into one more', async () => {
    const abort = new AbortController();
    const releases: (() => void)[] = [];
    const log: string[] = [];
    const worker = createKeyedWorker({ clock: createFakeClock(), signal: abort.signal, sync: (key) => new Promise<void>((resolve) => { log.push(key); releases.push(resolve); }) });
    worker.schedule('a');
    worker.schedule('a');
    worker.schedule('a');
    worker.schedule('b');
    expect(log).toEqual(['a', 'b']);
    releases.shift()?.();
    await until(() => log.length === 3);
    expect(log).toEqual(['a', 'b', 'a']);
    for (const release of releases.splice(0)) release();
    abort.abort();
    await worker.settle();
    expect(log).toHaveLength(3);
  });

  it('retries a failing sync after 500 ms, then 1000 ms, and forgets the failures on success', async () => {
    const clock = createFakeClock({ mode: 'auto' });
    const abort = new AbortController();
    const at: number[] = [];
    const errors: number[] = [];
    const start = clock.now();
    const worker = createKeyedWorker({
      clock,
      signal: abort.signal,
      sync: () => {
        at.push(clock.now() - start);
        return at.length < 3 ? Promise.reject(new Error('boom')) : Promise.resolve();
      },
      onError: (_key, _error, failures) => errors.push(failures),
    });
    worker.schedule('a');
    await until(() => at.length === 3);
    expect(at).toEqual([0, 500, 1500]);
    expect(errors).toEqual([1, 2]);
    abort.abort();
    await worker.settle();
  });
});
