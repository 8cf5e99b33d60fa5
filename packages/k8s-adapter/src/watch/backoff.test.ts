import { describe, expect, it } from 'vitest';
import { backoffDelay, createBackoff } from './backoff.js';

describe('backoffDelay', () => {
  it.each([
    ['first retry, no jitter (random 0.5)', 0, 0.5, 800],
    ['second retry doubles', 1, 0.5, 1600],
    ['fourth retry', 3, 0.5, 6400],
    ['capped at 30 s', 6, 0.5, 30_000],
    ['low jitter −20 %', 0, 0, 640],
    ['high jitter +20 %', 0, 0.999_999, 960],
    ['jitter never exceeds the cap', 10, 0.999_999, 30_000],
    ['jitter below the cap', 10, 0, 24_000],
  ])('%s: attempt %i, random %f → %i ms', (_story, attempt, random, expected) => {
    expect(backoffDelay(attempt, {}, random)).toBe(expected);
  });

  it('honours custom settings', () => {
    expect(backoffDelay(2, { initialMs: 100, factor: 3, maxMs: 10_000, jitter: 0 })).toBe(900);
  });
});

describe('createBackoff', () => {
  it('grows with failures and starts over after reset', () => {
    const backoff = createBackoff({ jitter: 0 });
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([800, 1600, 3200]);
    expect(backoff.attempts).toBe(3);
    backoff.reset();
    expect(backoff.next()).toBe(800);
  });
});
