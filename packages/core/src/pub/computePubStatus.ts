import type { Pod } from '../api/pod.js';
import type { PodUnavailableBudget, PodUnavailableBudgetSpec, PodUnavailableBudgetStatus } from '../api/podUnavailableBudget.js';
import { scaledValueFromIntOrPercent } from '../shared/intOrPercent.js';
import { isPodActive, parseTime, type EpochMs } from '../shared/podState.js';
import { isPodAvailableForBudget } from './isPodAvailableForBudget.js';

/** OpenKruise's `DeletionTimeout`: a disrupted pod still there after 20 s is counted again (and reported). */
export const PUB_DELETION_TIMEOUT_MS = 20_000;
/** OpenKruise's `UpdatedDelayCheckTime`: an updated pod stays recorded unavailable for 10 s (informer lag). */
export const PUB_UPDATE_DELAY_MS = 10_000;

/**
 * Returns the number of pods that must stay available (OpenKruise's `getDesiredAvailableForPub`):
 * `expected − maxUnavailable` (a percentage of `expected` rounded up, never below 0), or
 * `minAvailable` (an int as is, a percentage of `expected` rounded up). An unreadable percentage
 * yields `undefined`.
 *
 * @example maxUnavailable 1, expected 5 → 4; maxUnavailable '25%', expected 10 → 7 (2.5 → 3)
 * @example minAvailable '50%', expected 5 → 3; minAvailable 8, expected 5 → 8
 */
export function desiredAvailableForPub(spec: PodUnavailableBudgetSpec, expected: number): number | undefined {
  if (spec.maxUnavailable !== undefined) {
    const max = scaledValueFromIntOrPercent(spec.maxUnavailable, expected, true);
    return max.kind === 'scaled' ? Math.max(0, expected - max.value) : undefined;
  }
  if (spec.minAvailable === undefined) return 0;
  if (typeof spec.minAvailable === 'number') return spec.minAvailable;
  const min = scaledValueFromIntOrPercent(spec.minAvailable, expected, true);
  return min.kind === 'scaled' ? min.value : undefined;
}

/** Input of {@link computePubStatus}. */
export interface PubStatusInput {
  readonly pub: PodUnavailableBudget;
  /** The pods the budget selects (inactive ones are skipped). */
  readonly pods: readonly Pod[];
  /** The replicas the budget counts (`totalReplicas`), see `expectedPubReplicas`. */
  readonly expectedCount: number;
  readonly now: EpochMs;
}

/**
 * The status a PUB pass writes:
 * - `status`: the new status (`undefined` when the budget is unreadable, see `problem`);
 * - `recheckAt`: when the next recorded entry expires (requeue then);
 * - `notDeleted`: disrupted pods still running after {@link PUB_DELETION_TIMEOUT_MS} (OpenKruise
 *   reports a `NotDeleted` event on each).
 */
export interface PubStatusPlan {
  readonly status: PodUnavailableBudgetStatus | undefined;
  readonly problem?: string;
  readonly recheckAt: EpochMs | undefined;
  readonly notDeleted: readonly string[];
}

/**
 * Returns a budget's status (OpenKruise's `syncPodUnavailableBudget`): recorded entries are kept
 * only for active pods and only while fresh (disrupted 20 s, updated 10 s); `currentAvailable`
 * counts active pods that are not recorded and are available (ready, no unavailable label, no
 * in-place update in progress); `desiredAvailable` from the spec; `unavailableAllowed =
 * max(0, current − desired)`; `observedGeneration` the budget's generation.
 *
 * @example 5 ready pods, maxUnavailable 1 → { totalReplicas 5, desiredAvailable 4, currentAvailable 5, unavailableAllowed 1 }
 * @example pod-a deleted 5 s ago, still terminating-free and ready → recorded, currentAvailable 4, unavailableAllowed 0, recheckAt +15 s
 */
export function computePubStatus(input: PubStatusInput): PubStatusPlan {
  const { pub, now } = input;
  const desiredAvailable = desiredAvailableForPub(pub.spec, input.expectedCount);
  if (desiredAvailable === undefined) return { status: undefined, problem: 'maxUnavailable or minAvailable is not an int or a percentage', recheckAt: undefined, notDeleted: [] };
  const previous = pub.status ?? {};
  const disruptedPods: Record<string, string> = {};
  const unavailablePods: Record<string, string> = {};
  const notDeleted: string[] = [];
  let recheckAt: EpochMs | undefined;
  const keepUntil = (at: EpochMs) => {
    recheckAt = recheckAt === undefined || at < recheckAt ? at : recheckAt;
  };
  let currentAvailable = 0;
  for (const pod of input.pods) {
    if (!isPodActive(pod)) continue;
    const name = pod.metadata.name ?? '';
    const disrupted = previous.disruptedPods?.[name];
    const disruptedAt = disrupted === undefined ? undefined : parseTime(disrupted);
    if (disrupted !== undefined && disruptedAt !== undefined) {
      if (disruptedAt + PUB_DELETION_TIMEOUT_MS < now) {
        notDeleted.push(name);
      } else {
        disruptedPods[name] = disrupted;
        keepUntil(disruptedAt + PUB_DELETION_TIMEOUT_MS);
      }
    }
    const updated = previous.unavailablePods?.[name];
    const updatedAt = updated === undefined ? undefined : parseTime(updated);
    if (updated !== undefined && updatedAt !== undefined && updatedAt + PUB_UPDATE_DELAY_MS >= now) {
      unavailablePods[name] = updated;
      keepUntil(updatedAt + PUB_UPDATE_DELAY_MS);
    }
    if (Object.hasOwn(disruptedPods, name) || Object.hasOwn(unavailablePods, name)) continue;
    if (isPodAvailableForBudget(pod, now)) currentAvailable++;
  }
  const status: PodUnavailableBudgetStatus = {
    ...(pub.metadata?.generation === undefined ? {} : { observedGeneration: pub.metadata.generation }),
    ...(Object.keys(disruptedPods).length === 0 ? {} : { disruptedPods }),
    ...(Object.keys(unavailablePods).length === 0 ? {} : { unavailablePods }),
    unavailableAllowed: Math.max(0, currentAvailable - desiredAvailable),
    currentAvailable,
    desiredAvailable,
    totalReplicas: input.expectedCount,
  };
  return { status, recheckAt, notDeleted };
}

/** Input of {@link expectedPubReplicas}. */
export interface ExpectedPubReplicasInput {
  /** `spec.protectTotalReplicas`, overriding everything when set. */
  readonly protectTotalReplicas?: number | undefined;
  /**
   * The replicas of each distinct workload the pods belong to (by uid; one entry for the targetRef
   * workload), leaving out workloads being deleted. Pods without a workload count 0.
   */
  readonly workloadReplicas: ReadonlyMap<string, number>;
}

/**
 * Returns `totalReplicas` (OpenKruise's `GetPodsForPub` expected count): `protectTotalReplicas`
 * when set, else the sum of the workloads' replicas.
 *
 * @example workloads { cs-uid: 5 } → 5; with protectTotalReplicas 8 → 8
 */
export function expectedPubReplicas(input: ExpectedPubReplicasInput): number {
  if (input.protectTotalReplicas !== undefined) return input.protectTotalReplicas;
  let sum = 0;
  for (const replicas of input.workloadReplicas.values()) sum += replicas;
  return sum;
}
