import { parseWorkloadSpread, type WorkloadSpread, type WorkloadSpreadStatus } from '@kruise-ts/core';
import { ConflictError, KruiseResources, NotFoundError, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { createKeyedLock } from '../../runtime/keyedLock.js';

/** What one attempt decided on the WorkloadSpread as read: write `status` and answer `result`, or answer without a write. */
export type StatusDecision<R> = { readonly kind: 'write'; readonly status: WorkloadSpreadStatus; readonly result: R } | { readonly kind: 'answer'; readonly result: R };

/** The outcome of {@link updateWorkloadSpreadStatus}. */
export type StatusUpdateOutcome<R> = { readonly kind: 'done'; readonly result: R } | { readonly kind: 'gone' } | { readonly kind: 'conflicts'; readonly attempts: number };

// One read-decide-write per WorkloadSpread at a time in this process (OpenKruise's GlobalKeyedMutex).
const withSpreadLock = createKeyedLock();

/** Status writes tried before giving up on conflicts (OpenKruise's retry.DefaultBackoff has 4 steps). */
export const WORKLOADSPREAD_STATUS_ATTEMPTS = 4;

/**
 * Returns the result of `decide` applied to the WorkloadSpread `namespace/name` as the apiserver
 * holds it, after writing the status it asked for with the resourceVersion read (OpenKruise's
 * `mutatingPod` with `RetryOnConflict`): a 409 re-reads and decides again, up to `attempts`
 * times; a WorkloadSpread deleted meanwhile is `gone`. Requests of this process for one
 * WorkloadSpread take turns, so only the controller's writes can conflict with them.
 *
 * @example two pod creations at once against zone-a (missingReplicas 1): the first records its pod
 *   (missing 0), the second reads missing 0 and picks zone-b
 */
export async function updateWorkloadSpreadStatus<R>(
  client: KubeClient,
  key: { readonly namespace: string; readonly name: string },
  decide: (ws: WorkloadSpread) => StatusDecision<R>,
  options: { readonly signal: AbortSignal; readonly dryRun?: boolean | undefined; readonly attempts?: number | undefined },
): Promise<StatusUpdateOutcome<R>> {
  const attempts = options.attempts ?? WORKLOADSPREAD_STATUS_ATTEMPTS;
  return withSpreadLock(`${key.namespace}/${key.name}`, async () => {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let object: WorkloadSpread & KubeObject;
      try {
        object = await client.get(KruiseResources.WorkloadSpread, key, { signal: options.signal });
      } catch (error) {
        if (error instanceof NotFoundError) return { kind: 'gone' };
        throw error;
      }
      const parsed = parseWorkloadSpread(object);
      if (parsed.kind === 'invalid') return { kind: 'gone' };
      const decision = decide(parsed.value);
      if (decision.kind === 'answer' || options.dryRun === true) return { kind: 'done', result: decision.result };
      try {
        await client.replace(KruiseResources.WorkloadSpread, { ...object, status: decision.status }, { subresource: 'status', signal: options.signal });
        return { kind: 'done', result: decision.result };
      } catch (error) {
        if (error instanceof NotFoundError) return { kind: 'gone' };
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return { kind: 'conflicts', attempts };
  });
}
