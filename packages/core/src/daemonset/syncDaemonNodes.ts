import type { Pod } from '../api/pod.js';
import { planPodRemoval, type PodRemoval } from '../workload/podRemoval.js';
import type { DaemonSetSettings } from './daemonSetSettings.js';

/**
 * OpenKruise's `syncNodes`, the one place an Advanced DaemonSet creates and deletes pods (for the
 * manage loop and for the rolling update): pods the preDelete hook holds move to PreparingDelete
 * instead of being deleted, and at most `burstReplicas` pods are created and at most
 * `burstReplicas` deleted.
 */

/** A node to give a pod, and why. */
export interface DaemonPodCreation<Reason extends string = string> {
  readonly node: string;
  readonly reason: Reason;
}

/** A pod to remove, and why. */
export interface DaemonPodDeletion<Reason extends string = string> {
  readonly node: string;
  readonly pod: Pod;
  readonly reason: Reason;
}

/** What one `syncNodes` call does. */
export interface SyncNodesPlan<CreateReason extends string = string, DeleteReason extends string = string> {
  /** Moves to PreparingDelete (the preDelete hook holds the pod), in the order asked. */
  readonly prepareDelete: readonly (DaemonPodDeletion<DeleteReason> & { readonly removal: Extract<PodRemoval, { kind: 'prepare-delete' }> })[];
  /** Nodes that get a pod now, at most `burstReplicas`. */
  readonly create: readonly DaemonPodCreation<CreateReason>[];
  /** Pods deleted now, at most `burstReplicas`. */
  readonly delete: readonly DaemonPodDeletion<DeleteReason>[];
  /** Creations and deletions beyond `burstReplicas`, left to a later pass. */
  readonly heldByBurst: { readonly creations: number; readonly deletions: number };
}

/**
 * Returns what `syncNodes` does with pods to delete and nodes to give a pod: with a preDelete hook,
 * a hooked pod moves to PreparingDelete (nothing when it is already there) and the others are
 * deleted; then creations and deletions are each cut to `burstReplicas`.
 *
 * @example burstReplicas 2, 3 nodes need a pod, 1 pod to delete → create the first 2 nodes, delete the pod; heldByBurst { creations: 1, deletions: 0 }
 */
export function planSyncNodes<C extends string, D extends string>(
  deletions: readonly DaemonPodDeletion<D>[],
  creations: readonly DaemonPodCreation<C>[],
  settings: Pick<DaemonSetSettings, 'lifecycle' | 'burstReplicas'>,
): SyncNodesPlan<C, D> {
  const preDelete = settings.lifecycle?.preDelete;
  const prepareDelete: (DaemonPodDeletion<D> & { removal: Extract<PodRemoval, { kind: 'prepare-delete' }> })[] = [];
  let deletable: readonly DaemonPodDeletion<D>[] = deletions;
  if (preDelete !== undefined) {
    const kept: DaemonPodDeletion<D>[] = [];
    for (const deletion of deletions) {
      const removal = planPodRemoval(deletion.pod, preDelete);
      if (removal?.kind === 'delete') kept.push(deletion);
      else if (removal?.kind === 'prepare-delete') prepareDelete.push({ ...deletion, removal });
    }
    deletable = kept;
  }
  const burst = Math.max(0, settings.burstReplicas);
  return {
    prepareDelete,
    create: creations.slice(0, burst),
    delete: deletable.slice(0, burst),
    heldByBurst: { creations: Math.max(0, creations.length - burst), deletions: Math.max(0, deletable.length - burst) },
  };
}

/** Returns whether a `syncNodes` plan writes anything. */
export function syncNodesWrites(plan: SyncNodesPlan): boolean {
  return plan.prepareDelete.length > 0 || plan.create.length > 0 || plan.delete.length > 0;
}
