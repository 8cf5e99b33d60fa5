import { createFakeClock } from '@kruise-ts/k8s-adapter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkQueue } from './workQueue.js';

const keys = ['a', 'b', 'c', 'd'];
type Op = { op: 'add'; key: string } | { op: 'get' } | { op: 'done'; pick: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), key: fc.constantFrom(...keys) }),
  fc.record({ op: fc.constant('get' as const) }),
  fc.record({ op: fc.constant('done' as const), pick: fc.nat() }),
);

describe('createWorkQueue properties', () => {
  it('matches the client-go model over random add/get/done sequences: no key in flight twice, none lost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 60 }), async (ops) => {
        const queue = createWorkQueue({ name: 'p', clock: createFakeClock({ mode: 'manual', start: 1_700_000_000_000 }) });
        // The model: FIFO of waiting keys, the dirty set and the in-flight set.
        const waiting: string[] = [];
        const dirty = new Set<string>();
        const inFlight = new Set<string>();
        for (const step of ops) {
          if (step.op === 'add') {
            queue.add(step.key);
            if (!dirty.has(step.key)) {
              dirty.add(step.key);
              if (!inFlight.has(step.key)) waiting.push(step.key);
            }
          } else if (step.op === 'get') {
            if (queue.len() === 0) continue;
            const item = await queue.get();
            const expected = waiting.shift();
            expect(item).toEqual({ kind: 'key', key: expected });
            if (item.kind !== 'key') return;
            expect(inFlight.has(item.key)).toBe(false);
            inFlight.add(item.key);
            dirty.delete(item.key);
          } else {
            const key = [...inFlight][step.pick % Math.max(1, inFlight.size)];
            if (key === undefined) continue;
            queue.done(key);
            inFlight.delete(key);
            if (dirty.has(key)) waiting.push(key);
          }
          expect(queue.len()).toBe(waiting.length);
        }
        // Nothing is lost: finishing all work hands out every dirty key exactly once more.
        for (const key of inFlight) queue.done(key);
        const rest = new Set<string>();
        while (queue.len() > 0) {
          const item = await queue.get();
          if (item.kind === 'key') {
            expect(rest.has(item.key)).toBe(false);
            rest.add(item.key);
          }
        }
        expect([...rest].sort()).toEqual([...dirty].sort());
      }),
      { numRuns: 300 },
    );
  });

  it('never runs two workers on one key at once, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(fc.constantFrom(...keys), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), async (s, adds, workers) => {
        const queue = createWorkQueue({ name: 'p', clock: createFakeClock({ mode: 'manual', start: 1_700_000_000_000 }) });
        const running = new Set<string>();
        let processed = 0;
        const worker = async (): Promise<void> => {
          for (;;) {
            const item = await queue.get();
            if (item.kind === 'shutdown') return;
            expect(running.has(item.key)).toBe(false);
            running.add(item.key);
            await s.schedule(Promise.resolve(), `reconcile ${item.key}`);
            running.delete(item.key);
            processed += 1;
            queue.done(item.key);
          }
        };
        const loops = Array.from({ length: workers }, () => worker());
        for (const key of adds) void s.schedule(Promise.resolve(key), `add ${key}`).then((k) => { queue.add(k); });
        await s.waitIdle();
        await queue.shutDownWithDrain();
        await Promise.all(loops);
        expect(running.size).toBe(0);
        expect(processed).toBeGreaterThanOrEqual(new Set(adds).size);
        expect(processed).toBeLessThanOrEqual(adds.length);
      }),
      { numRuns: 200 },
    );
  });
});
