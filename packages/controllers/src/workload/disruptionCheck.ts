import { PodSchema, type ObjectRef } from '@kruise-ts/core';
import { NotFoundError, Resources, type Clock, type KubeClient } from '@kruise-ts/k8s-adapter';
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

/**
 * Returns the PodUnavailableBudget check of in-place updates (OpenKruise's CloneSet and Advanced
 * StatefulSet call `PodUnavailableBudgetValidatePod(pod, UPDATE)` before updating a pod when
 * PodUnavailableBudgetUpdateGate is on): the pod is read from the apiserver and `checkPubBudget`
 * takes one unit of its budget (recording it in `unavailablePods`), or refuses.
 *
 * @example budget web-pub with unavailableAllowed 0 → { kind: 'refused', message: 'podunavailablebudget.policy.kruise.io "web-pub" is forbidden: pub unavailable allowed is negative' }
 */
export function pubDisruptionCheck(options: { readonly client: KubeClient; readonly clock: Clock }): DisruptionCheck {
  return async (ref, signal) => {
    let object: unknown;
    try {
      object = await options.client.get(Resources.Pod, { namespace: ref.namespace, name: ref.name }, { signal });
    } catch (error) {
      if (error instanceof NotFoundError) return { kind: 'allow' };
      throw error;
    }
    const parsed = PodSchema.safeParse(object);
    if (!parsed.success || parsed.data.metadata.uid !== ref.uid) return { kind: 'allow' };
    const verdict = await checkPubBudget(parsed.data, 'UPDATE', { ...options, signal });
    return verdict.kind === 'allow' ? verdict : { kind: 'refused', message: verdict.message };
  };
}
