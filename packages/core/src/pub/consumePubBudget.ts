import type { PodUnavailableBudget, PodUnavailableBudgetStatus, PubOperation } from '../api/podUnavailableBudget.js';

/** OpenKruise's `MaxUnavailablePodSize`: more recorded pods than this and every disruption is refused. */
export const MAX_PUB_RECORDED_PODS = 2000;

/**
 * The quota check of one operation:
 * - `consumed`: `status` is the budget's new status (one less allowed, the pod recorded at `now`);
 * - `refused`: no unit left (`no-budget`) or too many pods recorded (`too-many-recorded`), with
 *   OpenKruise's message (a Kubernetes Forbidden error text).
 */
export type PubConsumption =
  | { readonly kind: 'consumed'; readonly status: PodUnavailableBudgetStatus }
  | { readonly kind: 'refused'; readonly reason: 'no-budget' | 'too-many-recorded'; readonly message: string };

/**
 * Returns the message OpenKruise's webhook refuses with: the text of
 * `errors.NewForbidden(podunavailablebudget, name, cause)`.
 *
 * @example pubForbiddenMessage('web-pub', 'pub unavailable allowed is negative')
 *   → 'podunavailablebudget.policy.kruise.io "web-pub" is forbidden: pub unavailable allowed is negative'
 */
export function pubForbiddenMessage(name: string, cause: string): string {
  return `podunavailablebudget.policy.kruise.io "${name}" is forbidden: ${cause}`;
}

/**
 * Returns the budget after taking one unit for `podName` (OpenKruise's `checkAndDecrement`):
 * refused when `unavailableAllowed` ≤ 0 or more than 2000 pods are recorded; otherwise
 * `unavailableAllowed` − 1 and the pod recorded in `unavailablePods` (UPDATE) or `disruptedPods`
 * (DELETE, EVICT, RESIZE) at `nowIso`. The input is not modified.
 *
 * @example unavailableAllowed 1, DELETE of pod-a at 10:00 → consumed, unavailableAllowed 0, disruptedPods { pod-a: 10:00 }
 * @example unavailableAllowed 0 → refused: 'podunavailablebudget.policy.kruise.io "web-pub" is forbidden: pub unavailable allowed is negative'
 */
export function consumePubBudget(pub: PodUnavailableBudget, podName: string, operation: PubOperation, nowIso: string): PubConsumption {
  const status = pub.status ?? {};
  const name = pub.metadata?.name ?? '';
  if ((status.unavailableAllowed ?? 0) <= 0) return { kind: 'refused', reason: 'no-budget', message: pubForbiddenMessage(name, 'pub unavailable allowed is negative') };
  const recorded = Object.keys(status.disruptedPods ?? {}).length + Object.keys(status.unavailablePods ?? {}).length;
  if (recorded > MAX_PUB_RECORDED_PODS) {
    return { kind: 'refused', reason: 'too-many-recorded', message: pubForbiddenMessage(name, 'DisruptedPods and UnavailablePods map too big - too many unavailable not confirmed by PUB controller') };
  }
  const update = operation === 'UPDATE';
  return {
    kind: 'consumed',
    status: {
      ...status,
      unavailableAllowed: (status.unavailableAllowed ?? 0) - 1,
      disruptedPods: { ...(status.disruptedPods ?? {}), ...(update ? {} : { [podName]: nowIso }) },
      unavailablePods: { ...(status.unavailablePods ?? {}), ...(update ? { [podName]: nowIso } : {}) },
    },
  };
}
