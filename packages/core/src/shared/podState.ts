import type { Pod, PodCondition } from '../api/pod.js';
import { POD_DELETION_COST_ANNOTATION, UNAVAILABLE_POD_LABEL_PREFIX } from '../api/labels.js';

/**
 * Pod state as Kubernetes' `podutil` and `kubecontroller` read it. Time is epoch milliseconds
 * (`now: number`); pod timestamps are RFC 3339 strings and are parsed with `Date.parse`.
 */

/** A moment as epoch milliseconds (`Date.parse('2025-01-01T00:00:00Z')` → 1735689600000). */
export type EpochMs = number;

/** Returns the condition of `type` in the pod status, or `undefined` when the pod has none. */
export function getPodCondition(pod: Pod, type: string): PodCondition | undefined {
  // A loop, not `find` with a closure: several lookups per pod and pass, 10,000 pods.
  const conditions = pod.status?.conditions;
  if (conditions === undefined) return undefined;
  for (const condition of conditions) if (condition.type === type) return condition;
  return undefined;
}

/** Returns whether the pod's `Ready` condition is `True` (Kubernetes `podutil.IsPodReady`). */
export function isPodReady(pod: Pod): boolean {
  return getPodCondition(pod, 'Ready')?.status === 'True';
}

/** Returns whether the pod is in phase `Running` and its `Ready` condition is `True`. */
export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/**
 * Returns whether the pod is available: ready, and ready for more than `minReadySeconds` at `now`
 * (Kubernetes `podutil.IsPodAvailable`). With `minReadySeconds` 0 a ready pod is available at once;
 * otherwise the Ready condition needs a `lastTransitionTime` strictly older than the window.
 *
 * @example ready since 10:00:00, minReadySeconds 30, now 10:00:30 → false; now 10:00:31 → true
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: EpochMs): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = parseTime(getPodCondition(pod, 'Ready')?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

/** Returns whether the pod is `Running` and available (see {@link isPodAvailable}). */
export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, now: EpochMs): boolean {
  return pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, now);
}

/** Returns whether the pod is being deleted (`metadata.deletionTimestamp` is set). */
export function isPodTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

/**
 * Returns whether the pod counts for its workload (Kubernetes `IsPodActive`): not `Succeeded`,
 * not `Failed` and not terminating.
 */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !isPodTerminating(pod);
}

/** Returns whether the pod was bound to a node (`spec.nodeName` is set). */
export function isPodScheduled(pod: Pod): boolean {
  return (pod.spec.nodeName ?? '') !== '';
}

/**
 * Returns whether the pod carries a label starting with `unavailable-pod.kruise.io/` (any value):
 * the one rule by which a ready pod is still unavailable (OpenKruise's `HasUnavailableLabel`, whose
 * API says "both kruise workload and pub will determine that the pod is unavailable"). Every
 * workload's availability reads it — CloneSet (`isCloneSetPodAvailable`), Advanced StatefulSet
 * (`statefulPodAvailability`), Advanced DaemonSet ({@link isPodAvailableToWorkload}) — and so does
 * PodUnavailableBudget ({@link isPodReadyForBudget}). Readiness (`readyReplicas`) does not.
 *
 * @example labels { 'unavailable-pod.kruise.io/drain': 'true' } → true
 * @example labels { 'unavailable-pod.kruise.io': 'true' } (no slash) → false; no labels → false
 */
export function hasUnavailableLabel(pod: Pick<Pod, 'metadata'>): boolean {
  const labels = pod.metadata.labels;
  if (labels === undefined) return false;
  for (const key in labels) if (key.startsWith(UNAVAILABLE_POD_LABEL_PREFIX)) return true;
  return false;
}

/**
 * Returns whether the pod is available to a Kruise workload: {@link isPodAvailable} (ready for more
 * than `minReadySeconds`) and not marked by an `unavailable-pod.kruise.io/` label
 * ({@link hasUnavailableLabel}).
 *
 * @example ready since 10:00:00, minReadySeconds 30, now 10:01:00 → true; the same pod labelled unavailable-pod.kruise.io/drain → false
 */
export function isPodAvailableToWorkload(pod: Pod, minReadySeconds: number, now: EpochMs): boolean {
  return !hasUnavailableLabel(pod) && isPodAvailable(pod, minReadySeconds, now);
}

/**
 * Returns whether the pod is ready in the eyes of a PodUnavailableBudget: running, ready and
 * without an `unavailable-pod.kruise.io/` label.
 */
export function isPodReadyForBudget(pod: Pod): boolean {
  return isRunningAndReady(pod) && !hasUnavailableLabel(pod);
}

/**
 * Returns the epoch ms of the pod's last transition to Ready, or `undefined` when the pod is not
 * ready or the time is unknown (Kubernetes sorts such a pod as "ready for no time").
 */
export function podReadyTime(pod: Pod): EpochMs | undefined {
  const ready = getPodCondition(pod, 'Ready');
  return ready?.status === 'True' ? parseTime(ready.lastTransitionTime) : undefined;
}

/** Returns the highest `restartCount` among the pod's containers (0 without statuses). */
export function maxContainerRestarts(pod: Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((max, status) => Math.max(max, status.restartCount ?? 0), 0);
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Returns the pod's `controller.kubernetes.io/pod-deletion-cost` as Kubernetes reads it: an int32
 * written without `+` or leading zeros; anything else (or no annotation) counts as 0.
 *
 * @example "10" → 10; "-5" → -5; "-007" → -7; "+10" → 0; "007" → 0; "3000000000" → 0
 */
export function podDeletionCost(pod: Pod): number {
  const value = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (value === undefined || !/^(-\d+|0|[1-9]\d*)$/.test(value)) return 0;
  const cost = Number(value);
  return cost >= INT32_MIN && cost <= INT32_MAX ? cost : 0;
}

// Times already parsed: a pass reads the same few timestamps (whole seconds) on thousands of pods.
const parsedTimes = new Map<string, EpochMs | undefined>();
const PARSED_TIMES_KEPT = 4096;

/** Returns the epoch ms of an RFC 3339 time, or `undefined` when absent or unparsable. */
export function parseTime(time: string | null | undefined): EpochMs | undefined {
  if (time === undefined || time === null || time === '') return undefined;
  const known = parsedTimes.get(time);
  if (known !== undefined || parsedTimes.has(time)) return known;
  const ms = Date.parse(time);
  const parsed = Number.isNaN(ms) ? undefined : ms;
  if (parsedTimes.size >= PARSED_TIMES_KEPT) parsedTimes.clear();
  parsedTimes.set(time, parsed);
  return parsed;
}

/**
 * Returns epoch ms as Kubernetes writes a time: RFC 3339 in UTC, whole seconds.
 *
 * @example formatTime(1735689600000) → '2025-01-01T00:00:00Z'
 */
export function formatTime(ms: EpochMs): string {
  // A pass formats its one `now` thousands of times: remember the last answer.
  if (ms === lastFormatted.ms) return lastFormatted.text;
  // toISOString is always `YYYY-MM-DDTHH:mm:ss.sssZ` (years 0–9999): drop the milliseconds.
  const iso = new Date(ms).toISOString();
  const text = iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso.replace(/\.\d+Z$/, 'Z');
  lastFormatted = { ms, text };
  return text;
}

let lastFormatted: { readonly ms: EpochMs; readonly text: string } = { ms: Number.NaN, text: '' };

/** Returns the epoch ms of the pod's creation, or `undefined` when it has no creation time. */
export function podCreationTime(pod: Pod): EpochMs | undefined {
  return parseTime(pod.metadata.creationTimestamp);
}
