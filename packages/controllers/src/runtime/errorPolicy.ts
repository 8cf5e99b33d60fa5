import type { KubeClientError, TooManyRequestsError } from '@kruise-ts/k8s-adapter';
import { isTerminalError } from './terminalError.js';

/**
 * What to do with a key whose reconcile threw: retry it (after `afterMs`, or, without it, after
 * the queue's rate-limited backoff), or drop it with a kebab-case reason ("dropped because
 * `terminal-error`").
 */
export type ErrorDecision = { readonly kind: 'retry'; readonly afterMs?: number | undefined } | { readonly kind: 'drop'; readonly reason: string };

/**
 * A pure function from a reconcile error and its attempt number (1 = the first try failed) to
 * an {@link ErrorDecision}.
 */
export type ErrorPolicy = (error: unknown, attempt: number) => ErrorDecision;

/**
 * Returns the default decision: a {@link TerminalError} (anywhere in the cause chain) is dropped,
 * a 429 with `retryAfterSeconds: 3` is retried after 3000 ms, anything else is retried with the
 * queue's rate-limited backoff (5 ms, 10 ms, 20 ms... up to 1000 s).
 */
export function defaultErrorPolicy(error: unknown, _attempt: number): ErrorDecision {
  if (isTerminalError(error)) return { kind: 'drop', reason: 'terminal-error' };
  // Matched by `_tag` rather than instanceof, so an error from a second copy of the adapter counts too.
  if (hasTag(error, 'TooManyRequests')) {
    const seconds = (error as TooManyRequestsError).status.details?.retryAfterSeconds;
    if (seconds !== undefined) return { kind: 'retry', afterMs: seconds * 1000 };
  }
  return { kind: 'retry' };
}

/** Returns true when `error` is an adapter error with this `_tag` (e.g. `NotFound`). */
export function hasTag(error: unknown, tag: KubeClientError['_tag']): boolean {
  return error instanceof Error && '_tag' in error && error._tag === tag;
}
