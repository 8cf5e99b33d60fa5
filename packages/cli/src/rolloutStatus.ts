import { calculatePartitionReplicas, scaledValueFromIntOrPercent, type IntOrPercent } from '@kruise-ts/core';
import { sidecarSetRolloutStatus } from './sidecarSetRolloutStatus.js';

/** The workload kinds the `rollout` commands handle. */
export type RolloutKind = 'CloneSet' | 'StatefulSet' | 'DaemonSet';

/** Every kind `rollout status` takes: the workloads and SidecarSet. */
export type RolloutTargetKind = RolloutKind | 'SidecarSet';

/**
 * Why a rollout failed: its progress deadline passed (CloneSet), `--revision` is not the running
 * revision (or that cannot be told), or the SidecarSet does not roll its pods (`NotUpdate`).
 */
export type RolloutFailure = 'progress-deadline-exceeded' | 'revision-mismatch' | 'revision-unknown' | 'not-rolling-update';

/** Where a rollout stands, as `rollout status` says it; `done` ends the watch with 0, `failed` with 1. */
export type RolloutStatus =
  | { readonly kind: 'waiting'; readonly reason: 'not-observed' | 'updating' | 'becoming-ready' | 'old-pending-termination'; readonly message: string }
  | { readonly kind: 'done'; readonly message: string }
  | { readonly kind: 'failed'; readonly reason: RolloutFailure; readonly message: string };

interface WorkloadShape {
  readonly metadata: { readonly name?: string | undefined; readonly namespace?: string | undefined; readonly generation?: number | undefined };
  readonly spec?: {
    readonly replicas?: number | undefined;
    readonly updateStrategy?: { readonly rollingUpdate?: { readonly partition?: IntOrPercent | undefined } | undefined } | undefined;
  };
  readonly status?: Readonly<Record<string, unknown>> | undefined;
}

const num = (status: Readonly<Record<string, unknown>>, field: string): number => (typeof status[field] === 'number' ? status[field] : 0);

interface Counts {
  /** Pods the spec asks for. */
  readonly desired: number;
  /** Pods that must be at the update revision for the rollout to be done (desired − partition). */
  readonly wanted: number;
  readonly current: number;
  readonly updated: number;
  readonly updatedReady: number;
}

// The partition of each kind, as its controller reads it: a CloneSet's rounds a percentage up (and
// keeps one pod updated); an Advanced StatefulSet's is a count; an Advanced DaemonSet's a count or
// a percentage of the desired number, rounded up.
function counts(kind: RolloutKind, workload: WorkloadShape): Counts {
  const status = workload.status ?? {};
  const partition = workload.spec?.updateStrategy?.rollingUpdate?.partition;
  if (kind === 'DaemonSet') {
    const desired = num(status, 'desiredNumberScheduled');
    const scaled = scaledValueFromIntOrPercent(partition ?? 0, desired, true);
    const kept = scaled.kind === 'scaled' ? scaled.value : 0;
    return { desired, wanted: Math.max(desired - kept, 0), current: num(status, 'currentNumberScheduled'), updated: num(status, 'updatedNumberScheduled'), updatedReady: num(status, 'numberAvailable') };
  }
  const desired = workload.spec?.replicas ?? 1;
  const scaled = calculatePartitionReplicas(kind === 'StatefulSet' && typeof partition === 'string' ? undefined : partition, desired);
  const kept = scaled.kind === 'scaled' ? scaled.value : 0;
  return { desired, wanted: desired - kept, current: num(status, 'replicas'), updated: num(status, 'updatedReplicas'), updatedReady: num(status, 'updatedReadyReplicas') };
}

function deadlineExceeded(workload: WorkloadShape): boolean {
  const conditions = workload.status?.conditions;
  if (!Array.isArray(conditions)) return false;
  return conditions.some((c: { type?: unknown; reason?: unknown }) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
}

/**
 * Returns where a workload's rollout stands, with kubectl's wording (kubectl-kruise's status
 * viewers): the spec must be observed (`status.observedGeneration >= metadata.generation`), then
 * `desired − partition` pods updated (`updatedReplicas`; a DaemonSet's `updatedNumberScheduled`),
 * then those ready (`updatedReadyReplicas`; a DaemonSet's `numberAvailable`), then no old pod
 * beyond the desired count. A CloneSet whose Progressing condition says ProgressDeadlineExceeded
 * has failed. A SidecarSet's is {@link sidecarSetRolloutStatus}.
 *
 * @example CloneSet web, generation 2, observedGeneration 2, replicas 10, partition 3, updatedReplicas 5, updatedReadyReplicas 5
 *   → { kind: 'waiting', reason: 'updating', message: 'Waiting for CloneSet "web" rollout to finish: 5 out of 7 new replicas have been updated...' }
 * @example the same with updatedReplicas 7, updatedReadyReplicas 7, replicas 10 → { kind: 'done', message: 'CloneSet "web" successfully rolled out' }
 */
export function rolloutStatus(kind: RolloutTargetKind, object: unknown): RolloutStatus {
  if (kind === 'SidecarSet') return sidecarSetRolloutStatus(object);
  const workload = object as WorkloadShape;
  const name = workload.metadata.name ?? '';
  const observed = workload.status?.observedGeneration;
  if (typeof observed !== 'number' || observed < (workload.metadata.generation ?? 0)) {
    return { kind: 'waiting', reason: 'not-observed', message: `Waiting for ${kind} "${name}" spec update to be observed...` };
  }
  if (kind === 'CloneSet' && deadlineExceeded(workload)) {
    return { kind: 'failed', reason: 'progress-deadline-exceeded', message: `${kind} "${name}" exceeded its progress deadline` };
  }
  const c = counts(kind, workload);
  const noun = kind === 'DaemonSet' ? 'pods' : 'replicas';
  if (c.updated < c.wanted) {
    return { kind: 'waiting', reason: 'updating', message: `Waiting for ${kind} "${name}" rollout to finish: ${c.updated} out of ${c.wanted} new ${noun} have been updated...` };
  }
  if (c.updatedReady < c.wanted) {
    return { kind: 'waiting', reason: 'becoming-ready', message: `Waiting for ${kind} "${name}" rollout to finish: ${c.updatedReady} of ${c.wanted} updated ${noun} are ready...` };
  }
  if (c.current > c.desired) {
    return { kind: 'waiting', reason: 'old-pending-termination', message: `Waiting for ${kind} "${name}" rollout to finish: ${c.current - c.desired} old ${noun} are pending termination...` };
  }
  return { kind: 'done', message: `${kind} "${name}" successfully rolled out` };
}
