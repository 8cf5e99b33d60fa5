import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRequeueRateLimiter, createTokenReservation, DEFAULT_BACKOFF, exponentialBackoffMs } from './rateLimiter.js';

describe('exponentialBackoffMs', () => {
  it.each([
    { failures: 0, ms: 5 },
    { failures: 1, ms: 10 },
    { failures: 4, ms: 80 },
    { failures: 10, ms: 5120 },
    { failures: 17, ms: 655_360 },
    { failures: 18, ms: 1_000_000 },
    { failures: 5000, ms: 1_000_000 },
  ])('client-go defaults: failure #$failures waits $ms ms', ({ failures, ms }) => {
    expect(exponentialBackoffMs(DEFAULT_BACKOFF, failures)).toBe(ms);
  });

  it('never decreases and never passes the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 10_000_000 }), fc.nat(2000), (baseMs, maxMs, n) => {
        const backoff = { baseMs, maxMs };
        expect(exponentialBackoffMs(backoff, n + 1)).toBeGreaterThanOrEqual(exponentialBackoffMs(backoff, n));
        expect(exponentialBackoffMs(backoff, n)).toBeLessThanOrEqual(Math.max(baseMs, maxMs));
      }),
    );
  });
});

describe('createTokenReservation', () => {
  it('qps 10, burst 100: 100 at once, then one every 100 ms, refilled by time', () => {
    let now = 0;
    const reserve = createTokenReservation({ qps: 10, burst: 100 }, () => now);
    const first = Array.from({ length: 100 }, () => reserve());
    expect(new Set(first)).toEqual(new Set([0]));
    expect([reserve(), reserve()]).toEqual([100, 200]);
    now = 1000; // ten tokens back, two of them owed
    expect(reserve()).toBe(0);
  });

  it('is unlimited when qps is 0 or Infinity', () => {
    expect(createTokenReservation({ qps: 0, burst: 1 }, () => 0)()).toBe(0);
    expect(createTokenReservation({ qps: Infinity, burst: 1 }, () => 0)()).toBe(0);
  });
});

describe('createRequeueRateLimiter', () => {
  it('takes the larger of the backoff and the bucket wait, and counts requeues per key', () => {
    const limiter = createRequeueRateLimiter({ rateLimit: { qps: 1, burst: 1 }, now: () => 0 });
    expect(limiter.when('a')).toBe(5); // a token is free; backoff 5 ms
    expect(limiter.when('b')).toBe(1000); // backoff 5 ms, but the bucket is empty for 1 s
    expect(limiter.numRequeues('a')).toBe(1);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
    expect(limiter.numRequeues('b')).toBe(1);
  });
});
