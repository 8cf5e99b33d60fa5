import type { WorkloadSpread, WorkloadSpreadStatus } from '@kruise-ts/core';
import { ConflictError, KruiseResources, NotFoundError, type KubeClient, type KubeObject, type KubeReader } from '@kruise-ts/k8s-adapter';
import { createKeyedLock } from '../../runtime/keyedLock.js';
import { getOrUndefined, ownWritesOf } from '../ownWrites.js';
import { parseCachedWorkloadSpread } from './findWorkloadSpreadForPod.js';

/**
 * What one attempt decided on the WorkloadSpread as read: write `status` and answer `result`, or
 * answer without a write. `confirm` on an answer asks for it to be decided again on the
 * apiserver's copy when it was decided on a cached one (an answer a stale cache may get wrong).
 */
export type StatusDecision<R> = { readonly kind: 'write'; readonly status: WorkloadSpreadStatus; readonly result: R } | { readonly kind: 'answer'; readonly result: R; readonly confirm?: boolean | undefined };

/** The outcome of {@link updateWorkloadSpreadStatus}. */
export type StatusUpdateOutcome<R> = { readonly kind: 'done'; readonly result: R } | { readonly kind: 'gone' } | { readonly kind: 'conflicts'; readonly attempts: number };

/** Where {@link updateWorkloadSpreadStatus} reads and writes. */
export interface StatusUpdateClients {
  /** Writes the status; answers the re-reads after a conflict and the confirmations. */
  readonly client: KubeClient;
  /** Answers the first read (the manager's informer cache; default `client`). */
  readonly reader?: KubeReader | undefined;
}

// One read-decide-write per WorkloadSpread at a time in this process (OpenKruise's GlobalKeyedMutex).
const withSpreadLock = createKeyedLock();

/** Status writes tried before giving up on conflicts (OpenKruise's retry.DefaultBackoff has 4 steps). */
export const WORKLOADSPREAD_STATUS_ATTEMPTS = 4;

type Read = { readonly ws: WorkloadSpread; readonly object: WorkloadSpread & KubeObject } | { readonly kind: 'gone' };

function parsed(object: (WorkloadSpread & KubeObject) | undefined): Read {
  if (object === undefined) return { kind: 'gone' };
  const result = parseCachedWorkloadSpread(object);
  return result.kind === 'valid' ? { ws: result.value, object } : { kind: 'gone' };
}

/**
 * Returns the result of `decide` applied to the WorkloadSpread `namespace/name`, after writing the
 * status it asked for with the resourceVersion read as compare-and-swap (OpenKruise's
 * `acquireSuitableSubset` with `RetryOnConflict`). The first read is `reader`'s copy (the informer
 * cache), or this process's last write of it while the cache has not caught up (OpenKruise's
 * `tryToGetTheLatestMatchedWS`): a WorkloadSpread the cache does not hold is `gone`. A 409 re-reads
 * from the apiserver and decides again, up to `attempts` writes; an answer decided on the cached
 * copy with `confirm` is decided again on the apiserver's. A stale cache therefore costs a 409 or a
 * GET, never a wrong count: every write carries the resourceVersion of the copy it was decided on.
 * Requests of this process for one WorkloadSpread take turns, so only other writers (the
 * controller) can conflict with them.
 *
 * @example two pod creations at once against zone-a (missingReplicas 1), the cache still at
 *   missing 1: the first records its pod (missing 0, written copy kept), the second decides on the
 *   written copy and picks zone-b; no request but the two writes
 */
export async function updateWorkloadSpreadStatus<R>(
  clients: StatusUpdateClients,
  key: { readonly namespace: string; readonly name: string },
  decide: (ws: WorkloadSpread) => StatusDecision<R>,
  options: { readonly signal: AbortSignal; readonly dryRun?: boolean | undefined; readonly attempts?: number | undefined },
): Promise<StatusUpdateOutcome<R>> {
  const { client } = clients;
  const reader = clients.reader ?? client;
  const written = ownWritesOf(reader);
  const attempts = options.attempts ?? WORKLOADSPREAD_STATUS_ATTEMPTS;
  const fromApiserver = async (): Promise<Read> => parsed(await getOrUndefined(client, KruiseResources.WorkloadSpread, key, options.signal));
  return withSpreadLock(`${key.namespace}/${key.name}`, async () => {
    // Read inside the lock: a request queued behind another sees what that one wrote.
    let read = parsed(written.newest(KruiseResources.WorkloadSpread, key, await getOrUndefined(reader, KruiseResources.WorkloadSpread, key, options.signal)));
    let cached = reader !== client;
    let writes = 0;
    for (;;) {
      if ('kind' in read) return { kind: 'gone' };
      const decision = decide(read.ws);
      if (decision.kind === 'answer' && decision.confirm === true && cached) {
        read = await fromApiserver();
        cached = false;
        continue;
      }
      if (decision.kind === 'answer' || options.dryRun === true) return { kind: 'done', result: decision.result };
      if (writes === attempts) return { kind: 'conflicts', attempts };
      if (read.object.metadata.resourceVersion === undefined) throw new Error(`WorkloadSpread ${key.namespace}/${key.name}: read without a resourceVersion; its status is never written without one`);
      writes++;
      try {
        // The copy decided on carries its resourceVersion: the apiserver refuses the write if it changed since.
        const stored = await client.replace(KruiseResources.WorkloadSpread, { ...read.object, status: decision.status }, { subresource: 'status', signal: options.signal });
        if (reader !== client) written.record(KruiseResources.WorkloadSpread, stored);
        return { kind: 'done', result: decision.result };
      } catch (error) {
        if (error instanceof NotFoundError) return { kind: 'gone' };
        if (!(error instanceof ConflictError)) throw error;
      }
      read = await fromApiserver();
      cached = false;
    }
  });
}
