import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { systemClock } from './systemClock.js';

describe('systemClock', () => {
  it('a sleep that ends leaves no listener on its signal; an aborted one rejects with the reason', async () => {
    const clock = systemClock();
    const lifetime = new AbortController();
    await Promise.all([clock.sleep(1, lifetime.signal), clock.sleep(2, lifetime.signal)]);
    expect(getEventListeners(lifetime.signal, 'abort')).toHaveLength(0);
    const cut = new AbortController();
    const sleeping = clock.sleep(60_000, cut.signal);
    cut.abort(new Error('stopped'));
    await expect(sleeping).rejects.toThrow('stopped');
  });
});
