import type { ImageTagPullPolicy } from '@kruise-ts/core';

/** OpenKruise's default timeout of one pull attempt: 600 s. */
export const DEFAULT_PULL_TIMEOUT_SECONDS = 600;
/** OpenKruise's default number of retries after the first attempt: 3. */
export const DEFAULT_PULL_BACKOFF_LIMIT = 3;
/** First wait between attempts (1 s), doubled after each failure up to {@link MAX_PULL_BACKOFF_MS}. */
export const INITIAL_PULL_BACKOFF_MS = 1000;
/** Longest wait between attempts: 30 s. */
export const MAX_PULL_BACKOFF_MS = 30_000;

/** The input of {@link planPullAttempt}. */
export interface PullAttemptInput {
  /** Attempts already made (0 before the first). */
  readonly attemptsDone: number;
  readonly policy: ImageTagPullPolicy | undefined;
  /** When the task started (epoch ms). */
  readonly startedAt: number;
  /** Now (epoch ms). */
  readonly now: number;
  /** Message of the last failed attempt (empty before the first). */
  readonly lastError: string;
}

/** What to do next: pull with this timeout, or fail the task and why. */
export type PullAttemptDecision =
  | { readonly kind: 'pull'; readonly timeoutMs: number; readonly reason: 'first-attempt' | 'retry' }
  | { readonly kind: 'fail'; readonly reason: 'backoff-limit-exceeded' | 'active-deadline-exceeded'; readonly message: string };

/**
 * Returns whether a task pulls once more, and with which timeout, as OpenKruise's pull worker
 * decides: at most `backoffLimit + 1` attempts (default 3 → 4; a negative limit means the
 * default); each attempt gets `timeoutSeconds` (default 600), cut to what is left of
 * `activeDeadlineSeconds` counted from the task's start; past the deadline the task fails.
 *
 * @example
 * timeoutSeconds 600, activeDeadlineSeconds 900, started 800 s ago, attemptsDone 2 → pull, timeoutMs 100000
 * backoffLimit 1, attemptsDone 2, lastError 'CRI PullImage … NOT_FOUND' → fail backoff-limit-exceeded
 */
export function planPullAttempt(input: PullAttemptInput): PullAttemptDecision {
  const backoffLimit = pullBackoffLimit(input.policy);
  if (input.attemptsDone > backoffLimit) {
    const attempts = `${String(input.attemptsDone)} attempt${input.attemptsDone === 1 ? '' : 's'}`;
    return { kind: 'fail', reason: 'backoff-limit-exceeded', message: `pulling failed after ${attempts} (backoffLimit ${String(backoffLimit)}): ${input.lastError}` };
  }
  let timeoutMs = (input.policy?.timeoutSeconds ?? DEFAULT_PULL_TIMEOUT_SECONDS) * 1000;
  const deadlineSeconds = input.policy?.activeDeadlineSeconds;
  if (deadlineSeconds != null) {
    const left = input.startedAt + deadlineSeconds * 1000 - input.now;
    if (left <= 0) return { kind: 'fail', reason: 'active-deadline-exceeded', message: `pulling exceeds the activeDeadlineSeconds (${String(deadlineSeconds)})` + (input.lastError === '' ? '' : `: ${input.lastError}`) };
    timeoutMs = Math.min(timeoutMs, left);
  }
  return { kind: 'pull', timeoutMs, reason: input.attemptsDone === 0 ? 'first-attempt' : 'retry' };
}

/** Returns the backoffLimit in force: the policy's, or 3 when unset or negative. */
export function pullBackoffLimit(policy: ImageTagPullPolicy | undefined): number {
  const limit = policy?.backoffLimit;
  return limit == null || limit < 0 ? DEFAULT_PULL_BACKOFF_LIMIT : limit;
}

/**
 * Returns the wait before attempt `attemptsDone + 1` after a failure: 1 s, 2 s, 4 s… capped at 30 s.
 *
 * @example pullBackoffMs(1) // 1000;  pullBackoffMs(3) // 4000;  pullBackoffMs(10) // 30000
 */
export function pullBackoffMs(attemptsDone: number): number {
  if (attemptsDone <= 0) return 0;
  return Math.min(INITIAL_PULL_BACKOFF_MS * 2 ** Math.min(attemptsDone - 1, 30), MAX_PULL_BACKOFF_MS);
}
