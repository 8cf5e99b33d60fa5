import { PodSchema, type ObjectRef } from '@kruise-ts/core';
import { Resources, type Clock, type KubeClient, type KubeObject, type KubeReader } from '@kruise-ts/k8s-adapter';
import { readThrough } from '../webhook/ownWrites.js';
import { checkPubBudget } from '../webhook/pod/pubPodValidator.js';

/** What a {@link DisruptionCheck} decided for one pod: go ahead, or hold it back (`message` says why). */
export type DisruptionVerdict = { readonly kind: 'allow' } | { readonly kind: 'refused'; readonly message: string };

/**
 * Asks, before a workload starts an in-place update of a pod, whether the pod may become
 * unavailable now; the executor holds the pod back for this pass when refused.
 */
export type DisruptionCheck = (pod: ObjectRef & { readonly namespace: string }, signal: AbortSignal) => Promise<DisruptionVerdict>;

/** How long a workload waits before trying a held-back pod again (OpenKruise's CloneSet: 1 s). */
export const DISRUPTION_RETRY_MS = 1000;

/** Options of {@link pubDisruptionCheck}. */
export interface PubDisruptionCheckOptions {
  /** Writes budget status; re-reads a budget after a conflict, and a pod neither `pods` nor `reader` holds. */
  readonly client: KubeClient;
  readonly clock: Clock;
  /**
   * Reads budgets and pods first: the workload controller's informer cache (`createCachedReader`
   * over its informer factory), as OpenKruise's pubcontrol reads its cached client; default `client`.
   */
  readonly reader?: KubeReader | undefined;
}

/**
 * Returns the PodUnavailableBudget check of in-place updates (OpenKruise's CloneSet and Advanced
 * StatefulSet call `PodUnavailableBudgetValidatePod(pod, UPDATE)` before updating a pod when
 * PodUnavailableBudgetUpdateGate is on): the pod is read through `reader` (the apiserver only when
 * the cache does not hold it) and `checkPubBudget` takes one unit of its budget (recording it in
 * `unavailablePods`), or refuses. With the controller's cache as `reader`, an allowed update costs
 * one request, the budget's status write (compare-and-swap on the cached resourceVersion).
 *
 * @example budget web-pub with unavailableAllowed 0 → { kind: 'refused', message: 'podunavailablebudget.policy.kruise.io "web-pub" is forbidden: pub unavailable allowed is negative' }
 */
export function pubDisruptionCheck(options: PubDisruptionCheckOptions): DisruptionCheck {
  const reader = options.reader ?? options.client;
  return async (ref, signal) => {
    const object: KubeObject | undefined = await readThrough(reader, options.client, Resources.Pod, { namespace: ref.namespace, name: ref.name }, signal);
    if (object === undefined) return { kind: 'allow' };
    const parsed = PodSchema.safeParse(object);
    if (!parsed.success || parsed.data.metadata.uid !== ref.uid) return { kind: 'allow' };
    const verdict = await checkPubBudget(parsed.data, 'UPDATE', { client: options.client, reader, clock: options.clock, signal });
    return verdict.kind === 'allow' ? verdict : { kind: 'refused', message: verdict.message };
  };
}
