import {
  CRR_ACTIVE_LABEL,
  CRR_POD_UID_LABEL,
  CRR_SYNC_CONTAINER_STATUSES_ANNOTATION,
  CRR_UNREADY_ACQUIRED_KEY,
  type ContainerRecreateRequest,
  type CrrContainerState,
  type CrrSyncContainerStatus,
} from '../api/containerRecreateRequest.js';
import { KRUISE_POD_READY_CONDITION } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import { formatTime, parseTime, type EpochMs } from '../shared/podState.js';
import type { NotReadyKey } from '../workload/kruisePodReadiness.js';

/** How long the controller waits for the daemon to take a new CRR (OpenKruise's `responseTimeout`, 1 min). */
export const CRR_RESPONSE_TIMEOUT_MS = 60_000;

/** The message of a CRR completed because its pod went (deleted, terminating, or re-created with another uid). */
export const CRR_POD_GONE_MESSAGE = 'pod has gone';
/** The message of a CRR completed because no daemon took it within {@link CRR_RESPONSE_TIMEOUT_MS}. */
export const CRR_NO_RESPONSE_MESSAGE = 'daemon has not responded for a long time';
/** The message of a CRR (and its unfinished containers) past `activeDeadlineSeconds`. */
export const CRR_DEADLINE_MESSAGE = 'recreating has exceeded the activeDeadlineSeconds';

/**
 * One write of a ContainerRecreateRequest controller pass, in the order OpenKruise makes them:
 * - `release-pod-not-ready` / `hold-pod-not-ready`: remove / add the CRR's key in the pod's
 *   `KruisePodReady` condition (pods without that readiness gate are left alone);
 * - `add-finalizer` / `remove-finalizer`: the `crr.apps.kruise.io/unready-acquired` finalizer, held
 *   while the pod is kept not ready;
 * - `remove-active-label`: the CRR is finished, daemons stop watching it;
 * - `delete`: `ttlSecondsAfterFinished` has passed;
 * - `complete`: status phase Completed at `completionTime` with `message` (and the container states
 *   when they change);
 * - `sync-container-statuses`: the annotation the daemon reads the pod's container statuses from;
 * - `annotate-unready-acquired`: when the pod was made not ready (the daemon waits
 *   `unreadyGracePeriodSeconds` from it).
 */
export type CrrEffect =
  | { readonly kind: 'release-pod-not-ready'; readonly key: NotReadyKey }
  | { readonly kind: 'remove-finalizer' }
  | { readonly kind: 'remove-active-label' }
  | { readonly kind: 'delete'; readonly reason: 'ttl-after-finished' }
  | { readonly kind: 'complete'; readonly completionTime: string; readonly message: string; readonly containerRecreateStates?: readonly CrrContainerState[] }
  | { readonly kind: 'sync-container-statuses'; readonly value: string }
  | { readonly kind: 'add-finalizer' }
  | { readonly kind: 'hold-pod-not-ready'; readonly key: NotReadyKey }
  | { readonly kind: 'annotate-unready-acquired'; readonly at: string };

/** Why a pass ends as it does. */
export type CrrPassReason = 'deleting' | 'finished' | 'ttl-expired' | 'pod-gone' | 'no-response' | 'deadline-exceeded' | 'waiting-for-daemon' | 'recreating';

/** What one controller pass does: its writes in order, and when to look again. */
export interface CrrPlan {
  readonly reason: CrrPassReason;
  readonly effects: readonly CrrEffect[];
  /** Look again after this many ms (a deadline, a timeout or a TTL falls due). */
  readonly requeueAfterMs?: number;
}

/**
 * The CRR's key in the pod's `KruisePodReady` message (OpenKruise's `getReadinessMessage`).
 *
 * @example crrNotReadyKey(crr in default named r1) → { userAgent: 'ContainerRecreateRequest', key: 'default/r1' }
 */
export function crrNotReadyKey(crr: ContainerRecreateRequest): NotReadyKey {
  return { userAgent: 'ContainerRecreateRequest', key: `${crr.metadata?.namespace ?? ''}/${crr.metadata?.name ?? ''}` };
}

function hasReadinessGate(pod: Pod): boolean {
  return (pod.spec.readinessGates ?? []).some((g) => g.conditionType === KRUISE_POD_READY_CONDITION);
}

/**
 * The `crr.apps.kruise.io/sync-container-statuses` value: for each of the CRR's containers, the
 * pod's status of it when it runs and started at or after the CRR's creation (older statuses are
 * history), as `[{name, ready, restartCount, containerID}]` JSON.
 *
 * @example app running since 10:00:05, CRR created 10:00:00 → '[{"name":"app","ready":true,"restartCount":1,"containerID":"containerd://b"}]'
 */
export function crrSyncContainerStatuses(crr: ContainerRecreateRequest, pod: Pod): string {
  const created = parseTime(crr.metadata?.creationTimestamp) ?? 0;
  const synced: CrrSyncContainerStatus[] = [];
  for (const c of crr.spec.containers) {
    const status = pod.status?.containerStatuses?.find((s) => s.name === c.name);
    const running = status?.state?.['running'] as { startedAt?: string } | undefined;
    if (status === undefined || running === undefined) continue;
    const startedAt = parseTime(running.startedAt) ?? 0;
    if (startedAt < created) continue;
    synced.push({ name: status.name, ready: status.ready ?? false, restartCount: status.restartCount ?? 0, ...((status.containerID ?? '') === '' ? {} : { containerID: status.containerID ?? '' }) });
  }
  return JSON.stringify(synced);
}

function finishedPlan(crr: ContainerRecreateRequest, pod: Pod | undefined, now: EpochMs): CrrPlan {
  const effects: CrrEffect[] = [];
  const deleting = crr.metadata?.deletionTimestamp !== undefined;
  if ((crr.metadata?.finalizers ?? []).includes(CRR_UNREADY_ACQUIRED_KEY)) {
    if (pod !== undefined && pod.metadata.deletionTimestamp === undefined && hasReadinessGate(pod)) effects.push({ kind: 'release-pod-not-ready', key: crrNotReadyKey(crr) });
    effects.push({ kind: 'remove-finalizer' });
  }
  if (deleting) return { reason: 'deleting', effects };
  if (crr.metadata?.labels?.[CRR_ACTIVE_LABEL] !== undefined) return { reason: 'finished', effects: [...effects, { kind: 'remove-active-label' }] };
  const ttl = crr.spec.ttlSecondsAfterFinished;
  if (ttl === undefined) return { reason: 'finished', effects };
  const left = ttl * 1000 - (now - (parseTime(crr.status?.completionTime) ?? now));
  if (left <= 0) return { reason: 'ttl-expired', effects: [...effects, { kind: 'delete', reason: 'ttl-after-finished' }] };
  return { reason: 'finished', effects, requeueAfterMs: left };
}

const complete = (message: string, now: EpochMs, containerRecreateStates?: readonly CrrContainerState[]): CrrEffect => ({
  kind: 'complete',
  completionTime: formatTime(now),
  message,
  ...(containerRecreateStates === undefined ? {} : { containerRecreateStates }),
});

/**
 * Plans one pass of OpenKruise's ContainerRecreateRequest controller over `crr` and its pod (undefined
 * when absent) at `now`:
 * 1. a finished (completionTime set) or deleted CRR: the pod's not-ready hold released and the
 *    finalizer removed, then the active label removed, then deletion once `ttlSecondsAfterFinished` passed;
 * 2. the pod gone, terminating or re-created (uid other than the pod-uid label): Completed, "pod has gone";
 * 3. no phase 60 s after creation: Completed, "daemon has not responded for a long time";
 * 4. past `activeDeadlineSeconds` from creation: the containers not Succeeded/Failed become
 *    Failed and the CRR Completed, both with "recreating has exceeded the activeDeadlineSeconds";
 * 5. Recreating: the pod's container statuses synced into the annotation; with
 *    `unreadyGracePeriodSeconds`, the pod held not ready (finalizer first, then the condition, then
 *    the unready-acquired annotation at now).
 * The pass requeues for the earliest of the response timeout, the deadline and the TTL.
 *
 * @example created 10:00:00, activeDeadlineSeconds 30, phase Recreating with app Recreating, now 10:00:31
 *   → { reason: 'deadline-exceeded', effects: [{ kind: 'complete', message: 'recreating has exceeded the activeDeadlineSeconds',
 *        containerRecreateStates: [{ name: 'app', phase: 'Failed', message: 'recreating has exceeded the activeDeadlineSeconds' }] }] }
 * @example created 10:00:00, no phase, now 10:00:20 → { reason: 'waiting-for-daemon', effects: [], requeueAfterMs: 40000 }
 */
export function planContainerRecreateRequest(crr: ContainerRecreateRequest, pod: Pod | undefined, now: EpochMs): CrrPlan {
  if (crr.metadata?.deletionTimestamp !== undefined || (crr.status?.completionTime ?? undefined) !== undefined) return finishedPlan(crr, pod, now);
  if (pod === undefined || pod.metadata.deletionTimestamp !== undefined || pod.metadata.uid !== crr.metadata?.labels?.[CRR_POD_UID_LABEL]) {
    return { reason: 'pod-gone', effects: [complete(CRR_POD_GONE_MESSAGE, now)] };
  }
  const created = parseTime(crr.metadata?.creationTimestamp) ?? now;
  const waits: number[] = [];
  const phase = crr.status?.phase;
  if (phase === undefined) {
    const left = CRR_RESPONSE_TIMEOUT_MS - (now - created);
    if (left <= 0) return { reason: 'no-response', effects: [complete(CRR_NO_RESPONSE_MESSAGE, now)] };
    waits.push(left);
  }
  const deadline = crr.spec.activeDeadlineSeconds;
  if (deadline !== undefined) {
    const left = deadline * 1000 - (now - created);
    if (left <= 0) {
      const states = (crr.status?.containerRecreateStates ?? []).map((s) => (s.phase === 'Succeeded' || s.phase === 'Failed' ? s : { ...s, phase: 'Failed' as const, message: CRR_DEADLINE_MESSAGE }));
      return { reason: 'deadline-exceeded', effects: [complete(CRR_DEADLINE_MESSAGE, now, states)] };
    }
    waits.push(left);
  }
  const requeue = waits.length === 0 ? {} : { requeueAfterMs: Math.min(...waits) };
  if (phase !== 'Recreating') return { reason: 'waiting-for-daemon', effects: [], ...requeue };
  const effects: CrrEffect[] = [];
  const synced = crrSyncContainerStatuses(crr, pod);
  if (crr.metadata?.annotations?.[CRR_SYNC_CONTAINER_STATUSES_ANNOTATION] !== synced) effects.push({ kind: 'sync-container-statuses', value: synced });
  if (crr.spec.strategy?.unreadyGracePeriodSeconds !== undefined && (crr.metadata?.annotations?.[CRR_UNREADY_ACQUIRED_KEY] ?? '') === '') {
    if (hasReadinessGate(pod)) {
      if (!(crr.metadata?.finalizers ?? []).includes(CRR_UNREADY_ACQUIRED_KEY)) effects.push({ kind: 'add-finalizer' });
      effects.push({ kind: 'hold-pod-not-ready', key: crrNotReadyKey(crr) });
    }
    effects.push({ kind: 'annotate-unready-acquired', at: formatTime(now) });
  }
  return { reason: 'recreating', effects, ...requeue };
}
