import { KRUISE_POD_READY_CONDITION } from '../api/labels.js';
import type { Pod, PodCondition } from '../api/pod.js';
import type { EpochMs } from '../shared/podState.js';
import { formatTime, getPodCondition } from '../shared/podState.js';

/**
 * The `KruisePodReady` readiness gate as OpenKruise's `pkg/util/podreadiness` drives it: the
 * condition's message is a JSON list of `{userAgent, key}` entries, each one a reason to keep the
 * pod not ready; the condition turns True when the list empties. Only pods carrying the
 * `KruisePodReady` readiness gate are touched.
 */

/** One reason to hold a pod not ready. */
export interface NotReadyKey {
  /** Who holds it (`Lifecycle` for lifecycle hooks). */
  readonly userAgent: string;
  /** What for (`preDeleteHook`, `preUpdateHook`). */
  readonly key: string;
}

/** The key lifecycle hooks with `markPodNotReady` set while a pod is in PreparingDelete. */
export const PRE_DELETE_HOOK_KEY: NotReadyKey = { userAgent: 'Lifecycle', key: 'preDeleteHook' };
/** The key lifecycle hooks with `markPodNotReady` set while a pod is in PreparingUpdate. */
export const PRE_UPDATE_HOOK_KEY: NotReadyKey = { userAgent: 'Lifecycle', key: 'preUpdateHook' };

function hasReadinessGate(pod: Pod): boolean {
  return (pod.spec.readinessGates ?? []).some((gate) => gate.conditionType === KRUISE_POD_READY_CONDITION);
}

/** Returns the keys recorded in the pod's `KruisePodReady` condition message (none when unparsable). */
export function notReadyKeys(pod: Pod): NotReadyKey[] {
  const message = getPodCondition(pod, KRUISE_POD_READY_CONDITION)?.message ?? '';
  if (message === '') return [];
  try {
    const parsed: unknown = JSON.parse(message);
    return Array.isArray(parsed) ? parsed.filter(isNotReadyKey).map(({ userAgent, key }) => ({ userAgent, key })) : [];
  } catch {
    return [];
  }
}

function isNotReadyKey(value: unknown): value is NotReadyKey {
  return typeof value === 'object' && value !== null && typeof (value as NotReadyKey).userAgent === 'string' && typeof (value as NotReadyKey).key === 'string';
}

// Go sorts by userAgent then key and marshals with these field names, in this order.
function dumpKeys(keys: readonly NotReadyKey[]): string {
  const sorted = [...keys].sort((a, b) => (a.userAgent === b.userAgent ? compare(a.key, b.key) : compare(a.userAgent, b.userAgent)));
  return JSON.stringify(sorted.map(({ userAgent, key }) => ({ userAgent, key })));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const sameKey = (a: NotReadyKey) => (b: NotReadyKey) => a.userAgent === b.userAgent && a.key === b.key;

function withCondition(pod: Pod, condition: PodCondition): Pod {
  const existing = pod.status?.conditions ?? [];
  const index = existing.findIndex((c) => c.type === KRUISE_POD_READY_CONDITION);
  const conditions = index < 0 ? [...existing, condition] : existing.map((c, i) => (i === index ? condition : c));
  return { ...pod, status: { ...pod.status, conditions } };
}

/**
 * Returns the pod with `key` added to its `KruisePodReady` condition (status False), or the pod
 * unchanged when it lacks the readiness gate or already holds the key.
 *
 * @example no condition yet → `{type: 'KruisePodReady', status: 'False', message: '[{"userAgent":"Lifecycle","key":"preDeleteHook"}]'}`
 */
export function addNotReadyKey(pod: Pod, key: NotReadyKey, now: EpochMs): Pod {
  if (!hasReadinessGate(pod)) return pod;
  const keys = notReadyKeys(pod);
  if (keys.some(sameKey(key))) return pod;
  const current = getPodCondition(pod, KRUISE_POD_READY_CONDITION);
  // OpenKruise leaves the status empty on a condition it creates; False says the same and is valid.
  return withCondition(pod, { ...current, type: KRUISE_POD_READY_CONDITION, status: 'False', message: dumpKeys([...keys, key]), lastTransitionTime: formatTime(now) });
}

/**
 * Returns the pod with `key` removed from its `KruisePodReady` condition; the condition turns
 * True when no key is left. Unchanged without the gate, the condition or the key.
 */
export function removeNotReadyKey(pod: Pod, key: NotReadyKey, now: EpochMs): Pod {
  const current = getPodCondition(pod, KRUISE_POD_READY_CONDITION);
  if (!hasReadinessGate(pod) || current === undefined) return pod;
  const keys = notReadyKeys(pod);
  if (!keys.some(sameKey(key))) return pod;
  const left = keys.filter((k) => !sameKey(key)(k));
  return withCondition(pod, { ...current, status: left.length === 0 ? 'True' : current.status, message: dumpKeys(left), lastTransitionTime: formatTime(now) });
}
