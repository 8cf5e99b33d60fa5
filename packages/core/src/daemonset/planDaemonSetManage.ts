import { CONTROLLER_REVISION_HASH_LABEL } from '../api/labels.js';
import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import { getPodCondition, isPodAvailableToWorkload, isPodReady, isPodTerminating, parseTime, type EpochMs } from '../shared/podState.js';
import { podLifecycleState } from '../workload/workloadPod.js';
import type { PassEvent } from '../workload/workloadEffect.js';
import { soonest } from '../workload/workloadPassPlan.js';
import { shouldContinueRunningDaemonPod, shouldRunDaemonPod, type NodeEligibility } from './daemonSetNodes.js';
import { compareDaemonPods, splitNodePods } from './daemonSetPod.js';
import { daemonSetAllowsSurge, daemonSetPartition, type DaemonSetSettings } from './daemonSetSettings.js';
import { isInFailedPodBackoff, nextFailedPodBackoff, type BackoffEntry, type FailedPodBackoffUpdate, type FailedPodsBackoff } from './failedPodsBackoff.js';
import { planSyncNodes, type DaemonPodCreation, type DaemonPodDeletion, type SyncNodesPlan } from './syncDaemonNodes.js';

/** One node as a pass sees it: the node, whether it should run the pod, and the set's pods for it. */
export interface DaemonNode {
  readonly name: string;
  readonly node: Node;
  readonly eligibility: NodeEligibility;
  /** The set's pods whose target node this is (terminating ones included); undefined when none. */
  readonly pods: readonly Pod[] | undefined;
}

/** Why the manage loop creates a pod on a node. */
export type ManageCreateReason =
  /** The node should run the pod and has none. */
  | 'node-needs-pod'
  /** Surge allowed: the node keeps no running pod (its pods failed or are being removed). */
  | 'no-running-pod';

/** Why the manage loop deletes a pod. */
export type ManageDeleteReason =
  /** The pod Failed: replaced (at most one per node and back-off period). */
  | 'failed-pod'
  /** The pod is PreparingDelete: deleted once the preDelete hook lets it go. */
  | 'preparing-delete'
  /** Without surge, a node keeps only its oldest running pod. */
  | 'excess-pod'
  /** With surge, a node keeps only its oldest new and oldest old pods. */
  | 'surge-excess-pod'
  /** With surge, the old pod goes once it is not ready... */
  | 'old-pod-not-ready'
  /** ...or once the new pod is available. */
  | 'new-pod-available'
  /** The node should no longer run the pod (selector, affinity, NoExecute taint). */
  | 'node-not-eligible'
  /** The pod is pinned to a node that no longer exists and was never bound. */
  | 'node-gone';

/** What the manage loop decided for one node, with why. */
export type ManageAction =
  | ({ readonly kind: 'create' } & DaemonPodCreation<ManageCreateReason>)
  | ({ readonly kind: 'delete' } & DaemonPodDeletion<ManageDeleteReason>)
  | {
      /** A Failed pod waits: its node's back-off has not run out (come back after `delayMs`). */
      readonly kind: 'failed-pod-backoff';
      readonly node: string;
      readonly pod: Pod;
      readonly delayMs: number;
    }
  | {
      /** With surge and minReadySeconds: the new pod is ready, the old one goes once the new one is available. */
      readonly kind: 'wait-new-pod-available';
      readonly node: string;
      readonly pod: Pod;
      readonly waitMs: number;
    };

/** What the manage loop of one pass does (OpenKruise `manage`). */
export interface DaemonSetManagePlan {
  /** Every node decision, in node-name order (nodes with nothing to do are left out). */
  readonly actions: readonly ManageAction[];
  /** Nodes that should run the pod. */
  readonly desiredNumberScheduled: number;
  /** Nodes that already run one pod at the update revision. */
  readonly updatedNodes: number;
  /** Nodes needing a pod that the partition holds back (partitioned scaling). */
  readonly heldByPartition: number;
  /** The writes: PreparingDelete moves, creations and deletions within burstReplicas. */
  readonly sync: SyncNodesPlan<ManageCreateReason, ManageDeleteReason>;
  /** Back-off entries this pass sets (failed pods deleted). */
  readonly backoff: readonly FailedPodBackoffUpdate[];
  /** `FailedDaemonPod` events of the failed pods it deletes. */
  readonly events: readonly PassEvent[];
  readonly requeueAfterMs: number | undefined;
}

/** What the manage loop reads besides the nodes. */
export interface DaemonSetManageContext {
  readonly settings: DaemonSetSettings;
  /** The update revision's hash. */
  readonly hash: string;
  readonly now: EpochMs;
  /** The controller's failed-pod back-off entries. */
  readonly backoff: FailedPodsBackoff;
  /** The back-off key of a node ({@link failedPodsBackoffKey} of the set). */
  readonly backoffKey: (node: string) => string;
  /** The set's `<namespace>` for the FailedDaemonPod message. */
  readonly namespace: string;
}

// podAvailableWaitingTime: minReadySeconds minus the time the pod has been ready.
function availableWaitMs(pod: Pod, minReadySeconds: number, now: EpochMs): number {
  const since = parseTime(getPodCondition(pod, 'Ready')?.lastTransitionTime);
  return since === undefined ? minReadySeconds * 1000 : minReadySeconds * 1000 - (now - since);
}

interface Accumulator {
  readonly actions: ManageAction[];
  readonly backoff: Map<string, BackoffEntry>;
  readonly updates: FailedPodBackoffUpdate[];
  readonly events: PassEvent[];
  requeueAfterMs: number | undefined;
}

// The surge branch of podsShouldBeOnNode: keep the oldest new and oldest old pods, then retire the
// old one once it is not ready or the new one is available.
function planSurgeNode(name: string, running: Pod[], context: DaemonSetManageContext, out: Accumulator): void {
  let oldestNew: Pod | undefined;
  let oldestOld: Pod | undefined;
  running.sort(compareDaemonPods);
  for (const pod of running) {
    const isNew = pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === context.hash;
    if (isNew && oldestNew === undefined) oldestNew = pod;
    else if (!isNew && oldestOld === undefined) oldestOld = pod;
    else out.actions.push({ kind: 'delete', node: name, pod, reason: 'surge-excess-pod' });
  }
  if (oldestNew === undefined || oldestOld === undefined) return;
  const { minReadySeconds } = context.settings;
  if (!isPodReady(oldestOld)) out.actions.push({ kind: 'delete', node: name, pod: oldestOld, reason: 'old-pod-not-ready' });
  else if (isPodAvailableToWorkload(oldestNew, minReadySeconds, context.now)) out.actions.push({ kind: 'delete', node: name, pod: oldestOld, reason: 'new-pod-available' });
  else if (isPodReady(oldestNew) && minReadySeconds > 0) {
    const waitMs = availableWaitMs(oldestNew, minReadySeconds, context.now);
    out.actions.push({ kind: 'wait-new-pod-available', node: name, pod: oldestNew, waitMs });
    if (waitMs > 0) out.requeueAfterMs = soonest(out.requeueAfterMs, waitMs);
  }
}

// A Failed pod: deleted (with an event) unless the node's back-off holds it; one per back-off.
function failedPod(name: string, pod: Pod, context: DaemonSetManageContext, out: Accumulator): void {
  const key = context.backoffKey(name);
  const entry = out.backoff.get(key) ?? context.backoff.get(key);
  if (isInFailedPodBackoff(entry, context.now)) {
    const delayMs = entry?.backoffMs ?? 0;
    out.actions.push({ kind: 'failed-pod-backoff', node: name, pod, delayMs });
    if (delayMs > 0) out.requeueAfterMs = soonest(out.requeueAfterMs, delayMs);
    return;
  }
  const next = nextFailedPodBackoff(entry, context.now);
  out.backoff.set(key, next);
  out.updates.push({ key, entry: next });
  out.events.push({ type: 'Warning', reason: 'FailedDaemonPod', message: `Found failed daemon pod ${context.namespace}/${pod.metadata.name ?? ''} on node ${name}, will try to kill it` });
  out.actions.push({ kind: 'delete', node: name, pod, reason: 'failed-pod' });
}

/**
 * Adds what one node needs (OpenKruise `podsShouldBeOnNode`) to `out`: a pod when it should run
 * one and has none; when its pods may stay, Failed pods are deleted (under back-off), PreparingDelete
 * pods deleted, and beyond that, without surge, every pod but the oldest running one; with surge,
 * a pod is created when none runs, and of two the old one goes once it is not ready or the new one
 * is available; when its pods may not stay, every pod not already terminating is deleted.
 */
function planNode(entry: DaemonNode, context: DaemonSetManageContext, allowSurge: boolean, out: Accumulator): void {
  const { name, eligibility, pods } = entry;
  const shouldRun = shouldRunDaemonPod(eligibility);
  if (shouldRun && pods === undefined) {
    out.actions.push({ kind: 'create', node: name, reason: 'node-needs-pod' });
    return;
  }
  if (!shouldContinueRunningDaemonPod(eligibility)) {
    for (const pod of pods ?? []) if (!isPodTerminating(pod)) out.actions.push({ kind: 'delete', node: name, pod, reason: 'node-not-eligible' });
    return;
  }
  const running: Pod[] = [];
  for (const pod of pods ?? []) {
    if (isPodTerminating(pod)) continue;
    if (pod.status?.phase === 'Failed') failedPod(name, pod, context, out);
    else if (podLifecycleState(pod) === 'PreparingDelete') out.actions.push({ kind: 'delete', node: name, pod, reason: 'preparing-delete' });
    else running.push(pod);
  }
  if (!allowSurge) {
    if (running.length <= 1) return;
    running.sort(compareDaemonPods);
    for (const pod of running.slice(1)) out.actions.push({ kind: 'delete', node: name, pod, reason: 'excess-pod' });
    return;
  }
  if (running.length === 0 && shouldRun) out.actions.push({ kind: 'create', node: name, reason: 'no-running-pod' });
  if (running.length > 1) planSurgeNode(name, running, context, out);
}

/**
 * Returns which of the nodes needing a pod get one under a partition (OpenKruise
 * `GetNodesNeedingPods`): with partitioned scaling only `desired - updated - partition` of them
 * (first by name), else all of them, by name.
 *
 * @example desired 10, 4 already updated, partition 3, 5 nodes need a pod, partitioned → the first 3
 */
export function nodesGettingPods<T extends { readonly node: string }>(needing: readonly T[], updated: number, desired: number, partition: number, partitioned: boolean): T[] {
  const sorted = [...needing].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  if (!partitioned) return sorted;
  const held = Math.max(Math.min(partition, desired), 0);
  return sorted.slice(0, Math.max(0, Math.min(desired - updated - held, sorted.length)));
}

/**
 * Returns the manage loop of a pass (OpenKruise `manage`): each node's needs (see the node rules
 * above), unbound pods pinned to nodes that are gone deleted, the partition applied to creations
 * (only with `scaleStrategy.partitionedScaling`), then `syncNodes` (preDelete hook, burstReplicas).
 *
 * @example 3 eligible nodes, no pods → creations on all 3 (node-needs-pod); one pod on a node relabelled out → deleted (node-not-eligible)
 */
export function planDaemonSetManage(nodes: readonly DaemonNode[], orphanedGroups: readonly (readonly Pod[])[], context: DaemonSetManageContext): DaemonSetManagePlan {
  const { settings } = context;
  const allowSurge = daemonSetAllowsSurge(settings);
  const out: Accumulator = { actions: [], backoff: new Map(), updates: [], events: [], requeueAfterMs: undefined };
  let desired = 0;
  let updated = 0;
  for (const entry of nodes) {
    planNode(entry, context, allowSurge, out);
    if (shouldRunDaemonPod(entry.eligibility)) desired++;
    const split = splitNodePods(entry.pods, context.hash, settings.templateGeneration);
    if (split.kind === 'one-each' && split.newPod !== undefined) updated++;
  }
  for (const pods of orphanedGroups) {
    for (const pod of pods) {
      if ((pod.spec.nodeName ?? '') === '') out.actions.push({ kind: 'delete', node: '', pod, reason: 'node-gone' });
    }
  }
  let creations = out.actions.filter((a): a is Extract<ManageAction, { kind: 'create' }> => a.kind === 'create');
  const deletions = out.actions.filter((a): a is Extract<ManageAction, { kind: 'delete' }> => a.kind === 'delete');
  const partition = settings.rolling ? daemonSetPartition(settings, desired) : 0;
  let heldByPartition = 0;
  if (partition !== 0) {
    const getting = nodesGettingPods(creations, updated, desired, partition, settings.partitionedScaling);
    heldByPartition = creations.length - getting.length;
    creations = getting;
  }
  return {
    actions: out.actions,
    desiredNumberScheduled: desired,
    updatedNodes: updated,
    heldByPartition,
    sync: planSyncNodes(deletions, creations, settings),
    backoff: out.updates,
    events: out.events,
    requeueAfterMs: out.requeueAfterMs,
  };
}
