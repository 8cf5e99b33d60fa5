import { CONTROLLER_REVISION_HASH_LABEL, type ControllerRevision } from '@kruise-ts/core';
import type { RolloutStatus, RolloutTargetKind } from './rolloutStatus.js';

/**
 * Returns what a workload's status says it is rolling to: `status.updateRevision` (a CloneSet's
 * and an Advanced StatefulSet's ControllerRevision name, an Advanced DaemonSet's revision hash) or
 * a SidecarSet's `status.latestRevision` (its ControllerRevision's name); undefined before the
 * controller wrote it.
 *
 * @example runningRevisionKey('CloneSet', { status: { updateRevision: 'web-7d9f8' } }) → 'web-7d9f8'
 * @example runningRevisionKey('SidecarSet', { status: { latestRevision: 'log-5c6b' } }) → 'log-5c6b'
 */
export function runningRevisionKey(kind: RolloutTargetKind, object: unknown): string | undefined {
  const status = (object as { status?: { updateRevision?: unknown; latestRevision?: unknown } }).status;
  const key = kind === 'SidecarSet' ? status?.latestRevision : status?.updateRevision;
  return typeof key === 'string' && key !== '' ? key : undefined;
}

/**
 * Returns the revision number of the ControllerRevision a {@link runningRevisionKey} names: the one
 * with that name, or (an Advanced DaemonSet's hash) with that `controller-revision-hash` label.
 *
 * @example revisionNumberOf('web-b', [web-a #1, web-b #2]) → 2; revisionNumberOf('web-z', …) → undefined
 */
export function revisionNumberOf(key: string, revisions: readonly ControllerRevision[]): number | undefined {
  return revisions.find((r) => r.metadata.name === key || r.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === key)?.revision;
}

/** The revision `rollout status --revision=N` pins, and the one the workload runs. */
export interface PinnedRevision {
  /** N of `--revision=N`; 0 pins nothing. */
  readonly desired: number;
  /** The running revision's key ({@link runningRevisionKey}) and its number (undefined: no such ControllerRevision). */
  readonly running: { readonly key: string | undefined; readonly number: number | undefined };
}

/**
 * Returns a status pinned to a revision, as kubectl's `rollout status --revision=N` (which it
 * implements for Deployments; kubectl-kruise accepts the flag and ignores it): once the status is
 * observed, a running revision other than N fails with kubectl's 'desired revision (N) is
 * different from the running revision (M)' — also when N does not exist, and when a newer rollout
 * rolls over N while it is watched — and a running revision that cannot be read fails with
 * 'cannot get the revision of …'. `desired` 0, or a status still waiting for its spec to be
 * observed, is returned as it is.
 *
 * @example status waiting 'updating', desired 1, running #2 → { kind: 'failed', reason: 'revision-mismatch', message: 'desired revision (1) is different from the running revision (2)' }
 * @example status done, desired 2, running #2 → the same done status
 */
export function pinnedRevisionStatus(status: RolloutStatus, kind: RolloutTargetKind, name: string, pin: PinnedRevision): RolloutStatus {
  if (pin.desired === 0 || (status.kind === 'waiting' && status.reason === 'not-observed')) return status;
  const { key, number } = pin.running;
  if (number === undefined) {
    const why = key === undefined ? `its status names no revision` : `no ControllerRevision for "${key}"`;
    return { kind: 'failed', reason: 'revision-unknown', message: `cannot get the revision of ${kind} "${name}": ${why}` };
  }
  if (number !== pin.desired) return { kind: 'failed', reason: 'revision-mismatch', message: `desired revision (${String(pin.desired)}) is different from the running revision (${String(number)})` };
  return status;
}
