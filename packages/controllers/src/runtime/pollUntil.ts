import type { Clock } from '@kruise-ts/k8s-adapter';

/**
 * Resolves once `check()` holds, checking every `intervalMs` (default 100 ms) on `clock`; resolves
 * as well when `signal` aborts (the caller checks `signal.aborted`).
 *
 * @example await pollUntil(() => webhooks.isReady(), clock, signal) // the manager's controllers wait for the webhooks
 */
export async function pollUntil(check: () => boolean, clock: Clock, signal: AbortSignal, intervalMs = 100): Promise<void> {
  while (!signal.aborted && !check()) await clock.sleep(intervalMs, signal).catch(() => undefined);
}
