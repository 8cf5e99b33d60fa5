import { createFakeClock, flushEventLoop } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { createWorkQueue, type WorkQueue, type WorkQueueItem, type WorkQueueMetrics } from './workQueue.js';

function setup(options: { rateLimit?: { qps: number; burst: number } } = {}) {
  const clock = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
  const queue = createWorkQueue({ name: 'test', clock, rateLimit: options.rateLimit ?? { qps: 0, burst: 0 } });
  return { clock, queue };
}

/** Takes every key that is ready now (marking each in flight). */
async function drainReady(queue: WorkQueue): Promise<string[]> {
  const keys: string[] = [];
  while (queue.len() > 0) {
    const item = await queue.get();
    if (item.kind === 'key') keys.push(item.key);
  }
  return keys;
}

describe('createWorkQueue', () => {
  it('coalesces duplicate adds of a waiting key and keeps FIFO order', async () => {
    const { queue } = setup();
    for (const key of ['a', 'b', 'a', 'c', 'b']) queue.add(key);
    expect(queue.len()).toBe(3);
    expect(await drainReady(queue)).toEqual(['a', 'b', 'c']);
  });

  it('re-queues a key added while it is processed only after done, once', async () => {
    const { queue } = setup();
    queue.add('a');
    expect(await queue.get()).toEqual({ kind: 'key', key: 'a' });
    queue.add('a');
    queue.add('a');
    expect(queue.len()).toBe(0); // never handed out twice at once
    queue.done('a');
    expect(await drainReady(queue)).toEqual(['a']);
    queue.done('a');
    expect(queue.len()).toBe(0);
  });

  it('hands a key to a waiting get() as soon as it is added', async () => {
    const { queue } = setup();
    const pending = queue.get();
    queue.add('x');
    expect(await pending).toEqual({ kind: 'key', key: 'x' });
  });

  it.each([
    { story: 'a delay of 0 adds at once', delays: [0], readyAfter: 0 },
    { story: 'one delay of 100 ms', delays: [100], readyAfter: 100 },
    { story: 'the earlier of two delays wins (100 then 30)', delays: [100, 30], readyAfter: 30 },
    { story: 'a later delay does not postpone (30 then 100)', delays: [30, 100], readyAfter: 30 },
  ])('addAfter: $story', async ({ delays, readyAfter }) => {
    const { clock, queue } = setup();
    for (const ms of delays) queue.addAfter('k', ms);
    if (readyAfter > 0) {
      await clock.advance(readyAfter - 1);
      expect(queue.len()).toBe(0);
      await clock.advance(1);
    }
    expect(await drainReady(queue)).toEqual(['k']);
    await clock.advance(1000);
    expect(queue.len()).toBe(0);
  });

  it('releases delayed keys in due order', async () => {
    const { clock, queue } = setup();
    queue.addAfter('late', 50);
    queue.addAfter('early', 10);
    queue.addAfter('mid', 20);
    await clock.advance(50);
    expect(await drainReady(queue)).toEqual(['early', 'mid', 'late']);
  });

  it('backs a key off 5, 10, 20, 40 ms and starts again after forget', async () => {
    const { clock, queue } = setup();
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      queue.addRateLimited('k');
      const start = clock.now();
      while (queue.len() === 0) await clock.advance(1);
      waits.push(clock.now() - start);
      await drainReady(queue);
      queue.done('k');
    }
    expect(waits).toEqual([5, 10, 20, 40]);
    expect(queue.numRequeues('k')).toBe(4);
    queue.forget('k');
    expect(queue.numRequeues('k')).toBe(0);
  });

  it('combines the backoff with the overall token bucket (max of the two)', async () => {
    const { clock, queue } = setup({ rateLimit: { qps: 10, burst: 2 } });
    for (const key of ['a', 'b', 'c']) queue.addRateLimited(key);
    await clock.advance(5);
    expect(await drainReady(queue)).toEqual(['a', 'b']); // the burst
    await clock.advance(94);
    expect(queue.len()).toBe(0); // c waits for a token: 100 ms
    await clock.advance(1);
    expect(await drainReady(queue)).toEqual(['c']);
  });

  it('shutDownWithDrain stops accepting, drops waiting keys and waits for in-flight ones', async () => {
    const { queue } = setup();
    queue.add('a');
    queue.add('b');
    await queue.get();
    let drained = false;
    const drain = queue.shutDownWithDrain().then(() => (drained = true));
    queue.add('c');
    expect(await queue.get()).toEqual({ kind: 'shutdown' });
    await flushEventLoop();
    expect(drained).toBe(false);
    queue.add('a');
    queue.done('a');
    await drain;
    expect(drained).toBe(true);
    expect(queue.len()).toBe(0);
  });

  it('shutDown resolves every waiting get() with shutdown and cancels delays', async () => {
    const { clock, queue } = setup();
    const waiting = [queue.get(), queue.get()];
    queue.addAfter('later', 10);
    queue.shutDown();
    expect(await Promise.all(waiting)).toEqual<WorkQueueItem[]>([{ kind: 'shutdown' }, { kind: 'shutdown' }]);
    expect(clock.pending).toBe(0);
    await expect(queue.shutDownWithDrain()).resolves.toBeUndefined();
  });

  it('reports depth, adds, latency, work duration and retries to its metrics hooks', async () => {
    const clock = createFakeClock({ mode: 'manual', start: 1_700_000_000_000 });
    const seen = { depth: [] as number[], added: 0, latency: [] as number[], work: [] as number[], retried: 0 };
    const metrics: WorkQueueMetrics = {
      depth: (n) => seen.depth.push(n),
      added: () => (seen.added += 1),
      queueLatency: (s) => seen.latency.push(s),
      workDuration: (s) => seen.work.push(s),
      retried: () => (seen.retried += 1),
    };
    const queue = createWorkQueue({ name: 'm', clock, metrics });
    queue.add('a');
    queue.add('a');
    await clock.advance(250);
    await queue.get();
    await clock.advance(1500);
    queue.done('a');
    queue.addAfter('b', 10);
    expect(seen).toEqual({ depth: [1, 0], added: 1, latency: [0.25], work: [1.5], retried: 1 });
  });
});
