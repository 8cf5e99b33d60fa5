import type { EpochMs } from '../shared/podState.js';
import { formatTime } from '../shared/podState.js';

/** The shape every Kruise workload condition shares (CloneSet, Advanced StatefulSet, DaemonSet...). */
export interface WorkloadCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string | undefined;
  readonly message?: string | undefined;
  readonly lastTransitionTime?: string | null | undefined;
  readonly lastUpdateTime?: string | null | undefined;
}

/**
 * Returns `conditions` with `condition` set, keeping the entry already there when its status and
 * reason are the same (OpenKruise's `SetCloneSetCondition`: a failure that persists keeps its
 * first message and time, so a message that changes every pass does not rewrite the status every
 * pass); a new reason with the same status keeps the entry's `lastTransitionTime` (the condition
 * did not transition). Conditions of other types, written by anyone, are kept as they are.
 *
 * @example [{type: 'FailedScale', status: 'True', message: 'a'}] + {type: 'FailedScale', status: 'True', message: 'b'} → unchanged
 */
export function setWorkloadCondition<C extends WorkloadCondition>(conditions: readonly C[], condition: C): C[] {
  const current = conditions.find((c) => c.type === condition.type);
  if (current === undefined) return [...conditions, condition];
  if (current.status === condition.status && (current.reason ?? '') === (condition.reason ?? '')) return [...conditions];
  const since = current.status === condition.status && current.lastTransitionTime !== undefined ? { lastTransitionTime: current.lastTransitionTime } : {};
  const next: C = { ...condition, ...since };
  return conditions.map((c) => (c.type === condition.type ? next : c));
}

/** Returns `conditions` without the ones of `type`. */
export function removeWorkloadCondition<C extends WorkloadCondition>(conditions: readonly C[], type: string): C[] {
  return conditions.filter((c) => c.type !== type);
}

/**
 * Returns the status with the `type` condition True carrying `message` (how a failed stage is
 * recorded: `FailedScale`, `FailedUpdate`), a persisting failure keeping its first entry.
 *
 * @example withFailureCondition({ replicas: 3 }, 'FailedScale', 'pods "web-x" is forbidden', now)
 *   // { replicas: 3, conditions: [{ type: 'FailedScale', status: 'True', message: 'pods "web-x" is forbidden', lastTransitionTime: now }] }
 */
export function withFailureCondition<S extends { conditions?: readonly WorkloadCondition[] | undefined }>(status: S, type: string, message: string, now: EpochMs): S {
  const conditions = setWorkloadCondition(status.conditions ?? [], { type, status: 'True', message, lastTransitionTime: formatTime(now) });
  return { ...status, conditions };
}
