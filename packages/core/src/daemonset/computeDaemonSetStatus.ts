import type { DaemonSet, DaemonSetStatus } from '../api/daemonSet.js';
import type { Pod } from '../api/pod.js';
import { isPodReady, type EpochMs } from '../shared/podState.js';
import { shouldRunDaemonPod } from './daemonSetNodes.js';
import { compareDaemonPods, isDaemonPodAvailable, isDaemonPodUpdated } from './daemonSetPod.js';
import type { DaemonNode } from './planDaemonSetManage.js';

/** What {@link computeDaemonSetStatus} reads. */
export interface DaemonSetStatusInput {
  readonly daemonSet: DaemonSet;
  /** Every node with its eligibility and the set's pods for it. */
  readonly nodes: readonly DaemonNode[];
  /** The update revision's hash. */
  readonly hash: string;
  /** The deprecated template generation, if any. */
  readonly templateGeneration: number | undefined;
  readonly minReadySeconds: number;
  readonly now: EpochMs;
  /** Set `observedGeneration` to the set's generation (false when the pass stopped after manage wrote). */
  readonly observeGeneration: boolean;
}

/** The status a pass computes and when to look again. */
export interface DaemonSetStatusResult {
  readonly status: DaemonSetStatus;
  /** `minReadySeconds` when some pods are ready but not yet available (OpenKruise's resync). */
  readonly requeueAfterMs: number | undefined;
}

/**
 * Returns the status as OpenKruise's `updateDaemonSetStatus` computes it, node by node: a node
 * that should run the pod counts in `desiredNumberScheduled`, and with pods in
 * `currentNumberScheduled`; its first pod (bound first, oldest first) counts in `numberReady`
 * when Ready, in `numberAvailable` when also available for minReadySeconds (and in-place ready),
 * in `updatedNumberScheduled` at the update revision. A node with pods that should not run it
 * counts in `numberMisscheduled`. `numberUnavailable` is desired − available; `updateRevision` the
 * hash; the other fields stay as stored.
 *
 * @example 3 eligible nodes, 2 ready pods at the hash, 1 node without a pod → desired 3, current 2, ready 2, available 2, updated 2, unavailable 1
 */
export function computeDaemonSetStatus(input: DaemonSetStatusInput): DaemonSetStatusResult {
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let updated = 0;
  let available = 0;
  for (const { eligibility, pods } of input.nodes) {
    const scheduled = pods !== undefined && pods.length > 0;
    if (!shouldRunDaemonPod(eligibility)) {
      if (scheduled) misscheduled++;
      continue;
    }
    desired++;
    if (!scheduled) continue;
    current++;
    const pod = oldest(pods);
    if (isPodReady(pod)) {
      ready++;
      if (isDaemonPodAvailable(pod, input.minReadySeconds, input.now)) available++;
    }
    if (isDaemonPodUpdated(pod, input.hash, input.templateGeneration)) updated++;
  }
  const stored = input.daemonSet.status;
  const status: DaemonSetStatus = {
    ...stored,
    desiredNumberScheduled: desired,
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    numberReady: ready,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
    updateRevision: input.hash,
    ...(input.observeGeneration ? { observedGeneration: input.daemonSet.metadata?.generation ?? 0 } : {}),
  };
  const requeueAfterMs = input.minReadySeconds > 0 && ready !== available ? input.minReadySeconds * 1000 : undefined;
  return { status, requeueAfterMs };
}

function oldest(pods: readonly Pod[]): Pod {
  let first = pods[0] as Pod;
  if (pods.length === 1) return first;
  for (const pod of pods) if (compareDaemonPods(pod, first) < 0) first = pod;
  return first;
}

/**
 * Returns whether the computed status must be written (OpenKruise `storeDaemonSetStatus` writes
 * unless every count equals the stored one, the stored `observedGeneration` has reached the
 * set's generation and the stored revision hash is the computed one).
 *
 * @example stored counts equal, observedGeneration 1, generation 2 → true
 */
export function isDaemonSetStatusChanged(daemonSet: DaemonSet, computed: DaemonSetStatus): boolean {
  const s = daemonSet.status ?? {};
  const n = (v: number | undefined) => v ?? 0;
  for (const key of ['desiredNumberScheduled', 'currentNumberScheduled', 'numberMisscheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const) {
    if (n(s[key]) !== n(computed[key])) return true;
  }
  return n(s.observedGeneration) < n(daemonSet.metadata?.generation) || (s.updateRevision ?? '') !== (computed.updateRevision ?? '');
}
