import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planPullAttempt, pullBackoffMs } from './planPullAttempt.js';

const base = { startedAt: 0, now: 0, lastError: '' };

describe('planPullAttempt', () => {
  it.each([
    ['first attempt with defaults: 600 s', { ...base, attemptsDone: 0, policy: undefined }, { kind: 'pull', timeoutMs: 600_000, reason: 'first-attempt' }],
    ['retry 3 of default backoffLimit 3', { ...base, attemptsDone: 3, policy: {} }, { kind: 'pull', timeoutMs: 600_000, reason: 'retry' }],
    ['after 4 attempts the default limit is exceeded', { ...base, attemptsDone: 4, policy: {}, lastError: 'CRI PullImage "x" failed: NOT_FOUND: nope' }, { kind: 'fail', reason: 'backoff-limit-exceeded', message: 'pulling failed after 4 attempts (backoffLimit 3): CRI PullImage "x" failed: NOT_FOUND: nope' }],
    ['backoffLimit 0: one attempt', { ...base, attemptsDone: 1, policy: { backoffLimit: 0 }, lastError: 'e' }, { kind: 'fail', reason: 'backoff-limit-exceeded', message: 'pulling failed after 1 attempt (backoffLimit 0): e' }],
    ['a negative backoffLimit means 3', { ...base, attemptsDone: 3, policy: { backoffLimit: -1 } }, { kind: 'pull', timeoutMs: 600_000, reason: 'retry' }],
    ['timeout cut to the deadline left: 900 s deadline, 800 s in', { ...base, now: 800_000, attemptsDone: 2, policy: { activeDeadlineSeconds: 900 } }, { kind: 'pull', timeoutMs: 100_000, reason: 'retry' }],
    ['past the deadline', { ...base, now: 901_000, attemptsDone: 1, policy: { activeDeadlineSeconds: 900 }, lastError: 'e' }, { kind: 'fail', reason: 'active-deadline-exceeded', message: 'pulling exceeds the activeDeadlineSeconds (900): e' }],
    ['timeoutSeconds 5', { ...base, attemptsDone: 0, policy: { timeoutSeconds: 5 } }, { kind: 'pull', timeoutMs: 5000, reason: 'first-attempt' }],
  ])('%s', (_name, input, want) => {
    expect(planPullAttempt(input)).toEqual(want);
  });

  it.each([[0, 0], [1, 1000], [2, 2000], [3, 4000], [5, 16_000], [6, 30_000], [100, 30_000]])('backoff after %i attempts: %i ms', (n, ms) => {
    expect(pullBackoffMs(n)).toBe(ms);
  });

  it('property: a task pulls at most backoffLimit + 1 times, each timeout within the deadline left', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2, max: 6 }), fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }), fc.integer({ min: 1, max: 700 }), fc.array(fc.integer({ min: 0, max: 400_000 }), { maxLength: 12 }), (backoffLimit, deadline, timeoutSeconds, durations) => {
        const policy = { backoffLimit, activeDeadlineSeconds: deadline, timeoutSeconds };
        let now = 0;
        let pulls = 0;
        for (const spent of durations) {
          const d = planPullAttempt({ attemptsDone: pulls, policy, startedAt: 0, now, lastError: 'e' });
          if (d.kind === 'fail') break;
          expect(d.timeoutMs).toBeLessThanOrEqual(timeoutSeconds * 1000);
          if (deadline !== undefined) expect(now + d.timeoutMs).toBeLessThanOrEqual(deadline * 1000);
          pulls += 1;
          now += Math.min(spent, d.timeoutMs) + pullBackoffMs(pulls);
        }
        expect(pulls).toBeLessThanOrEqual((backoffLimit < 0 ? 3 : backoffLimit) + 1);
      }),
    );
  });
});
