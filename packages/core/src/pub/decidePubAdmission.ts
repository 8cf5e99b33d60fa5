import type { Pod } from '../api/pod.js';
import { PUB_NO_PROTECT_ANNOTATION, type PodUnavailableBudget, type PubOperation } from '../api/podUnavailableBudget.js';
import type { EpochMs } from '../shared/podState.js';
import { matchesLabelSelector, isEmptyLabelSelector, validateLabelSelector } from '../shared/selector.js';
import { isPodAvailableForBudget } from './isPodAvailableForBudget.js';
import { pubProtectedOperations } from './pubProtectedOperations.js';

/** Why an operation passes without touching the budget. */
export type PubExemption =
  | 'no-protect-annotation'
  | 'pod-unavailable'
  | 'no-budget'
  | 'ignored-pod'
  | 'nothing-desired'
  | 'operation-not-protected'
  | 'already-recorded';

/**
 * What the pod admission does with a budget:
 * - `allow`: the operation passes and the budget is not touched (`reason`);
 * - `consume`: the operation passes only if one unit of `unavailableAllowed` can be taken (see
 *   `consumePubBudget`).
 */
export type PubAdmission = { readonly kind: 'allow'; readonly reason: PubExemption } | { readonly kind: 'consume'; readonly pub: PodUnavailableBudget };

/** Input of {@link decidePubAdmission}. */
export interface PubAdmissionInput {
  /** The pod as it is before the operation (the old pod of an update). */
  readonly pod: Pod;
  readonly operation: PubOperation;
  /** The budget named by the pod's related-pub annotation, if it exists. */
  readonly pub: PodUnavailableBudget | undefined;
  readonly now: EpochMs;
  /** Whether the cluster resizes pods natively (else RESIZE is protected with UPDATE). */
  readonly nativeResize: boolean;
}

/** Returns whether `true`, `1`, `t`, `T`, `TRUE`, `True` (Go's `strconv.ParseBool` true values). */
function parsesTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
}

/**
 * Returns whether the pod matches the budget's `ignoredPodSelector` (an invalid or empty selector
 * matches nothing).
 *
 * @example ignoredPodSelector { matchLabels: { 'kruise.io/force-deletable': 'true' } }, pod with that label → true
 */
export function isPodIgnoredByPub(pub: PodUnavailableBudget, pod: Pod): boolean {
  const selector = pub.spec.ignoredPodSelector;
  if (selector === undefined || isEmptyLabelSelector(selector) || validateLabelSelector(selector, 'ignoredPodSelector').length > 0) return false;
  return matchesLabelSelector(selector, pod.metadata.labels);
}

/**
 * Returns what OpenKruise's `PodUnavailableBudgetValidatePod` does before the quota check, in its
 * order: a pod annotated `pub.kruise.io/no-protect: "true"` passes; so does a pod that is not
 * available (not ready, `unavailable-pod.kruise.io/` label, in-place update unfinished) — it is
 * already counted as unavailable; then without a budget, for an ignored pod, when the budget
 * desires 0 available, for an unprotected operation and for a pod already recorded in
 * `disruptedPods`/`unavailablePods`. Anything else must consume budget.
 *
 * @example ready pod, budget { desiredAvailable: 4, unavailableAllowed: 1 }, DELETE → { kind: 'consume', pub }
 * @example the same pod already in disruptedPods → { kind: 'allow', reason: 'already-recorded' }
 */
export function decidePubAdmission(input: PubAdmissionInput): PubAdmission {
  const { pod, pub } = input;
  if (parsesTrue(pod.metadata.annotations?.[PUB_NO_PROTECT_ANNOTATION])) return { kind: 'allow', reason: 'no-protect-annotation' };
  if (!isPodAvailableForBudget(pod, input.now)) return { kind: 'allow', reason: 'pod-unavailable' };
  if (pub === undefined) return { kind: 'allow', reason: 'no-budget' };
  if (isPodIgnoredByPub(pub, pod)) return { kind: 'allow', reason: 'ignored-pod' };
  if ((pub.status?.desiredAvailable ?? 0) === 0) return { kind: 'allow', reason: 'nothing-desired' };
  if (!pubProtectedOperations(pub, input.nativeResize).has(input.operation)) return { kind: 'allow', reason: 'operation-not-protected' };
  const name = pod.metadata.name ?? '';
  if (Object.hasOwn(pub.status?.disruptedPods ?? {}, name) || Object.hasOwn(pub.status?.unavailablePods ?? {}, name)) return { kind: 'allow', reason: 'already-recorded' };
  return { kind: 'consume', pub };
}
