import type { Pod } from '../api/pod.js';
import type { EpochMs } from '../shared/podState.js';

/** Whether a pod waits unschedulable, and since when it counts as timed out. */
export type PendingVerdict = { readonly kind: 'not-pending' } | { readonly kind: 'timed-out' } | { readonly kind: 'waiting'; readonly afterMs: number };

/**
 * Returns whether a pod has been unschedulable past `timeoutMs`, as OpenKruise's
 * `GetTimeBeforePendingTimeout` (UnitedDeployment and WorkloadSpread Adaptive strategies): only a pod not being deleted, in phase Pending, not bound to a
 * node, whose `PodScheduled` condition is False with reason `Unschedulable`, counts; it times out
 * `timeoutMs` after its creation.
 *
 * @example created at 0, PodScheduled False/Unschedulable, timeout 30 s, now 10 s → { kind: 'waiting', afterMs: 20000 }
 */
export function classifyPendingPod(pod: Pod, timeoutMs: number, now: EpochMs): PendingVerdict {
  if (pod.metadata.deletionTimestamp !== undefined || pod.status?.phase !== 'Pending' || (pod.spec.nodeName ?? '') !== '') return { kind: 'not-pending' };
  const failed = (pod.status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
  if (!failed) return { kind: 'not-pending' };
  const deadline = Date.parse(pod.metadata.creationTimestamp ?? '') + timeoutMs;
  if (Number.isNaN(deadline)) return { kind: 'not-pending' };
  return deadline < now ? { kind: 'timed-out' } : { kind: 'waiting', afterMs: deadline - now };
}
