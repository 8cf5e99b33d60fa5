import type { Pod } from '../api/pod.js';
import type { PodUnavailableBudget, PubOperation } from '../api/podUnavailableBudget.js';
import { INPLACE_UPDATE_GRACE_ANNOTATION, INPLACE_UPDATE_GRACE_ANNOTATION_OLD, CONTROLLER_REVISION_HASH_LABEL } from '../api/labels.js';
import { checkInPlaceUpdateCompleted } from '../inplace/checkInPlaceUpdateCompleted.js';
import { consumePubBudget } from '../pub/consumePubBudget.js';
import { decidePubAdmission } from '../pub/decidePubAdmission.js';
import { pubRelatedName } from '../pub/pubRelatedName.js';
import { isPodActive } from '../shared/podState.js';
import type { PodUpdateDecision } from '../workload/decidePodUpdate.js';
import type { PodExplanation } from '../workload/podExplanation.js';
import { isPodAtRevision, podLifecycleState } from '../workload/workloadPod.js';
import type { ReplicaDiffs } from './calculateReplicaDiffs.js';
import { isCloneSetPodAvailable } from './cloneSetPod.js';
import { decideChosenPods, planUpdate, selectUpdateCandidates, type CloneSetUpdateInput, type UpdatePlan } from './planUpdate.js';

/** What {@link explainCloneSetPods} returns: the pass's update plan, its numbers, and every pod. */
export interface CloneSetExplanation {
  /** The update step `planUpdate` returns for this snapshot (what the controller's update stage does). */
  readonly plan: UpdatePlan;
  /** updateNum, updateMaxUnavailable... (absent when paused or OnDelete). */
  readonly diffs?: ReplicaDiffs;
  /** The revision pods move to. */
  readonly targetRevision: string;
  /** Active and terminating pods, in the order given. */
  readonly pods: readonly PodExplanation[];
}

/** Input of {@link explainCloneSetPods}: the update input plus the budgets pods name. */
export interface ExplainCloneSetInput extends CloneSetUpdateInput {
  /** PodUnavailableBudgets of the namespace (found through a pod's `pub.kruise.io/related-pub`). */
  readonly pubs?: readonly PodUnavailableBudget[];
  /** The apiserver resizes pods natively (else RESIZE is protected with UPDATE; default true). */
  readonly nativeResize?: boolean;
}

function chosenReason(decision: PodUpdateDecision | undefined): Pick<PodExplanation, 'reason' | 'recreateReason' | 'paths' | 'message'> {
  switch (decision?.kind) {
    case undefined:
      return { reason: 'blocked-by-earlier-error' };
    case 'update-in-place':
      return { reason: 'update-in-place', paths: decision.paths };
    case 'recreate':
      return { reason: 'recreate', recreateReason: decision.reason, paths: decision.paths };
    case 'prepare-update':
      return { reason: 'lifecycle-hook-preparing' };
    case 'wait':
      return { reason: 'lifecycle-hook-waiting' };
    case 'error':
      return { reason: 'update-refused', paths: decision.paths, message: decision.message, ...(decision.recreateReason === undefined ? {} : { recreateReason: decision.recreateReason }) };
  }
}

function atTargetReason(pod: Pod, input: ExplainCloneSetInput, minReadySeconds: number): Pick<PodExplanation, 'reason' | 'graceSecondsLeft'> {
  const completion = checkInPlaceUpdateCompleted(pod, input.now, input.featureGates === undefined ? {} : { featureGates: input.featureGates });
  if (completion.kind === 'in-grace') return { reason: 'in-place-grace-period', graceSecondsLeft: completion.remainingSeconds };
  if (completion.kind !== 'completed') return { reason: 'in-place-update-in-progress' };
  return { reason: isCloneSetPodAvailable(pod, minReadySeconds, input.now) ? 'updated' : 'not-available-yet' };
}

// The budget's verdict on the chosen pods, in update order: each allowed disruption takes a unit.
function budgetRefusals(input: ExplainCloneSetInput, pods: readonly Pod[], decisions: readonly PodUpdateDecision[]): Map<string, string> {
  const budgets = new Map((input.pubs ?? []).map((pub) => [pub.metadata?.name ?? '', pub]));
  const refused = new Map<string, string>();
  if (budgets.size === 0) return refused;
  const byName = new Map(pods.map((p) => [p.metadata.name ?? '', p]));
  for (const decision of decisions) {
    const operation: PubOperation | undefined = decision.kind === 'update-in-place' ? 'UPDATE' : decision.kind === 'recreate' ? 'DELETE' : undefined;
    const pod = byName.get(decision.pod);
    if (operation === undefined || pod === undefined) continue;
    const name = pubRelatedName(pod);
    const admission = decidePubAdmission({ pod, operation, pub: name === undefined ? undefined : budgets.get(name), now: input.now, nativeResize: input.nativeResize ?? true });
    if (admission.kind === 'allow') continue;
    const consumed = consumePubBudget(admission.pub, decision.pod, operation, new Date(input.now).toISOString());
    if (consumed.kind === 'refused') refused.set(decision.pod, consumed.message);
    else budgets.set(admission.pub.metadata?.name ?? '', { ...admission.pub, status: consumed.status });
  }
  return refused;
}

/**
 * Returns, for every pod of a CloneSet, why it is or is not being updated now, from the very
 * functions the controller's update stage runs (`planUpdate`'s selection: partition through
 * |updateNum|, maxUnavailable through `limitUpdates`, then `decidePodUpdate` for the chosen pods)
 * plus the PodUnavailableBudget admission the pod webhook would apply to the chosen ones.
 *
 * @example replicas 10, partition 3, maxUnavailable 2, a new image, 2 pods updating in place
 *   → 2 `in-place-update-in-progress`, 5 `max-unavailable-reached` (positions 1–5), 3 `partition`
 */
export function explainCloneSetPods(input: ExplainCloneSetInput): CloneSetExplanation {
  const plan = planUpdate(input);
  const selection = selectUpdateCandidates(input);
  const { settings, pods, diffs, target, sorted, capped, chosen } = selection;
  const targetName = target.metadata.name ?? '';
  const decisions = decideChosenPods(input, selection);
  const refusals = budgetRefusals(input, pods, decisions);
  const byPod = new Map(decisions.map((d) => [d.pod, d]));
  const position = new Map(sorted.map((index, i) => [index, i + 1]));
  const cappedSet = new Set(capped);
  const chosenSet = new Set(chosen);
  const held = settings.paused ? 'paused' : settings.updateType === 'OnDelete' ? 'on-delete' : undefined;
  const explain = (pod: Pod, index: number): PodExplanation => {
    const name = pod.metadata.name ?? '';
    const atTarget = isPodAtRevision(pod, targetName);
    const base = { pod: name, revision: pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '', atTarget };
    if (atTarget) return { ...base, ...atTargetReason(pod, input, settings.minReadySeconds) };
    if (podLifecycleState(pod) === 'PreparingDelete') return { ...base, reason: 'preparing-delete' };
    if (held !== undefined) return { ...base, reason: held };
    const at = position.get(index);
    if (at === undefined) {
      const annotations = pod.metadata.annotations ?? {};
      const graced = (annotations[INPLACE_UPDATE_GRACE_ANNOTATION] ?? annotations[INPLACE_UPDATE_GRACE_ANNOTATION_OLD] ?? '') !== '';
      return { ...base, reason: graced ? 'in-place-grace-period' : 'partition' };
    }
    if (!cappedSet.has(index)) return { ...base, reason: 'partition' };
    if (!chosenSet.has(index)) return { ...base, reason: 'max-unavailable-reached', position: at };
    // The pass writes pod states first (lifecycle moves, missing labels); the chosen pods go in the next one.
    if (plan.kind === 'refresh') return { ...base, reason: 'pod-states-refresh-first', position: at };
    const refusal = refusals.get(name);
    if (refusal !== undefined) return { ...base, reason: 'pod-unavailable-budget', position: at, message: refusal };
    return { ...base, position: at, ...chosenReason(byPod.get(name)) };
  };
  const active = new Map(pods.map((pod, index) => [pod, index]));
  const explained = input.pods.map((pod): PodExplanation | undefined => {
    const index = active.get(pod);
    if (index !== undefined) return explain(pod, index);
    if (isPodActive(pod) || pod.metadata.deletionTimestamp === undefined) return undefined;
    return { pod: pod.metadata.name ?? '', revision: pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '', atTarget: isPodAtRevision(pod, targetName), reason: 'terminating' };
  });
  const withDiffs = held === 'paused' || held === 'on-delete' ? {} : { diffs };
  return { plan, ...withDiffs, targetRevision: targetName, pods: explained.filter((e): e is PodExplanation => e !== undefined) };
}
