import type { KubeApiError } from '@kruise-ts/k8s-adapter';
import { hasTag } from './errorPolicy.js';

/** How a reconcile error that will be retried is logged: the level and the fields of the line. */
export interface RetryLogEntry {
  readonly level: 'debug' | 'error';
  /** `conflict` when another writer was first (ordinary, no stack); `error` when it is a failure worth a stack. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * Returns how to log a failed reconcile that will be retried. A 409 (`Conflict`: someone wrote the
 * object first; `AlreadyExists`: the pass ran ahead of the cache) is what optimistic concurrency
 * expects during an ordinary rollout: logged at `debug` with the request it hit and the apiserver's
 * message, never a stack. A reconcile cut by shutdown is `debug` too. Anything else is `error` with
 * the error (and its stack) under `err`.
 *
 * @example a 409 on `PATCH /api/v1/namespaces/default/pods/web-0` →
 *   `{ level: 'debug', fields: { conflict: 'Conflict', request: 'PATCH /api/v1/…/web-0', message: '…' } }`
 */
export function retryLogEntry(error: unknown, context: { readonly aborted: boolean }): RetryLogEntry {
  if (hasTag(error, 'Conflict') || hasTag(error, 'AlreadyExists')) {
    const apiError = error as KubeApiError;
    return { level: 'debug', fields: { conflict: apiError._tag, request: `${apiError.request.verb} ${apiError.request.path}`, message: apiError.status.message ?? apiError.message } };
  }
  return { level: context.aborted ? 'debug' : 'error', fields: { err: error } };
}
