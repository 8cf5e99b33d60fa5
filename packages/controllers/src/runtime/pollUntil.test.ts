import { createFakeClock, flushEventLoop } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { pollUntil } from './pollUntil.js';

describe('pollUntil', () => {
  it('resolves once the check holds, not before', async () => {
    const clock = createFakeClock();
    let ready = false;
    let done = false;
    const waiting = pollUntil(() => ready, clock, new AbortController().signal).then(() => (done = true));
    await clock.advance(1_000);
    await flushEventLoop();
    expect(done).toBe(false);
    ready = true;
    await clock.advance(100);
    await waiting;
    expect(done).toBe(true);
  });

  it('resolves when aborted, the check still false', async () => {
    const clock = createFakeClock();
    const abort = new AbortController();
    const waiting = pollUntil(() => false, clock, abort.signal);
    abort.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
