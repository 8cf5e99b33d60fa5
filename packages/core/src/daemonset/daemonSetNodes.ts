import {
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
  type Node,
  type Taint,
} from '../api/node.js';
import type { PodSpec } from '../api/pod.js';
import { podAffinity, podTolerations, usesHostNetwork, type Toleration } from '../api/podScheduling.js';
import { matchesRequiredNodeAffinity, requiredNodeAffinity, type RequiredNodeAffinity } from '../shared/nodeAffinity.js';
import { findUntoleratedTaint } from '../shared/taints.js';

/**
 * Which nodes an Advanced DaemonSet runs a pod on (OpenKruise `nodeShouldRunDaemonPod` and
 * `Predicates`, over Kubernetes' scheduling helpers), and the tolerations every daemon pod gets.
 */

/**
 * The tolerations Kubernetes gives every DaemonSet pod (`util.AddOrUpdateDaemonPodTolerations`):
 * not-ready and unreachable (NoExecute, no time limit: the pod survives node problems), disk,
 * memory and PID pressure and unschedulable (NoSchedule: a cordoned node still runs its daemons).
 */
export const DAEMON_POD_DEFAULT_TOLERATIONS: readonly Toleration[] = [
  { key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute' },
  { key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute' },
  { key: TAINT_NODE_DISK_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
  { key: TAINT_NODE_MEMORY_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
  { key: TAINT_NODE_PID_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
  { key: TAINT_NODE_UNSCHEDULABLE, operator: 'Exists', effect: 'NoSchedule' },
];

/** The extra default toleration of a host-network daemon pod. */
export const DAEMON_POD_HOST_NETWORK_TOLERATION: Toleration = { key: TAINT_NODE_NETWORK_UNAVAILABLE, operator: 'Exists', effect: 'NoSchedule' };

const same = (a: Toleration, b: Toleration): boolean =>
  (a.key ?? '') === (b.key ?? '') && (a.effect ?? '') === (b.effect ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '');

// v1helper.AddOrUpdateTolerationInPodSpec: an equal toleration leaves the list as is; one with the
// same key, operator, value and effect is replaced; otherwise it is appended.
function addOrUpdateToleration(tolerations: readonly Toleration[], toleration: Toleration): readonly Toleration[] {
  const result: Toleration[] = [];
  let updated = false;
  for (const existing of tolerations) {
    if (same(existing, toleration)) {
      if ((existing.tolerationSeconds ?? undefined) === (toleration.tolerationSeconds ?? undefined)) return tolerations;
      result.push(toleration);
      updated = true;
      continue;
    }
    result.push(existing);
  }
  if (!updated) result.push(toleration);
  return result;
}

/**
 * Returns a pod's tolerations with the DaemonSet defaults added or updated
 * ({@link DAEMON_POD_DEFAULT_TOLERATIONS}, and network-unavailable for host-network pods).
 *
 * @example withDaemonPodTolerations([{ key: 'dedicated', operator: 'Exists' }], false).length // 7
 */
export function withDaemonPodTolerations(tolerations: readonly Toleration[], hostNetwork: boolean): Toleration[] {
  const defaults = hostNetwork ? [...DAEMON_POD_DEFAULT_TOLERATIONS, DAEMON_POD_HOST_NETWORK_TOLERATION] : DAEMON_POD_DEFAULT_TOLERATIONS;
  return [...defaults.reduce(addOrUpdateToleration, tolerations)];
}

/** Where the daemon pod of a template may run: compiled once per pass, matched against every node. */
export interface DaemonPodPlacement {
  /** The template's `spec.nodeName` (`''` when unset): the only node it may run on. */
  readonly nodeName: string;
  /** The template's tolerations with the DaemonSet defaults. */
  readonly tolerations: readonly Toleration[];
  /** The template's `nodeSelector` and required node affinity. */
  readonly affinity: RequiredNodeAffinity;
}

/** Returns the placement of a DaemonSet's pod template (what `NewPod` gives the predicates). */
export function daemonPodPlacement(spec: PodSpec): DaemonPodPlacement {
  return {
    nodeName: spec.nodeName ?? '',
    tolerations: withDaemonPodTolerations(podTolerations(spec), usesHostNetwork(spec)),
    affinity: requiredNodeAffinity(spec.nodeSelector, podAffinity(spec)),
  };
}

/**
 * Whether a node should run the daemon pod, with why not. `continueRunning` says whether a pod
 * already there stays (OpenKruise's `shouldContinueRunning`): only an untolerated NoSchedule taint
 * keeps an existing pod; an untolerated NoExecute taint, another node name or unmatched affinity
 * do not.
 */
export type NodeEligibility =
  | { readonly kind: 'should-run' }
  | { readonly kind: 'should-not-run'; readonly reason: 'node-name-mismatch' | 'node-affinity-mismatch'; readonly continueRunning: false }
  | { readonly kind: 'should-not-run'; readonly reason: 'untolerated-taint'; readonly taint: Taint; readonly continueRunning: boolean };

const SHOULD_RUN: NodeEligibility = { kind: 'should-run' };
const NOT_SCHEDULING = (taint: Taint): boolean => taint.effect === 'NoExecute' || taint.effect === 'NoSchedule';
const EVICTING = (taint: Taint): boolean => taint.effect === 'NoExecute';

/**
 * Returns whether `node` should run the daemon pod (OpenKruise `nodeShouldRunDaemonPod`): the
 * template's node name, if any, is the node's; the node matches the nodeSelector and required node
 * affinity; and every NoSchedule and NoExecute taint is tolerated (the DaemonSet defaults
 * included, so a cordoned node, whose only mark is the unschedulable taint, still runs the pod;
 * `spec.unschedulable` itself is not read). PreferNoSchedule taints never matter.
 *
 * @example node tainted dedicated=gpu:NoSchedule, no toleration → { kind: 'should-not-run', reason: 'untolerated-taint', continueRunning: true }
 */
export function nodeShouldRunDaemonPod(node: Node, placement: DaemonPodPlacement): NodeEligibility {
  const name = node.metadata.name ?? '';
  if (placement.nodeName !== '' && placement.nodeName !== name) return { kind: 'should-not-run', reason: 'node-name-mismatch', continueRunning: false };
  if (!matchesRequiredNodeAffinity(placement.affinity, { name, labels: node.metadata.labels })) return { kind: 'should-not-run', reason: 'node-affinity-mismatch', continueRunning: false };
  const taints = node.spec?.taints ?? [];
  if (taints.length === 0) return SHOULD_RUN;
  const untolerated = findUntoleratedTaint(taints, placement.tolerations, NOT_SCHEDULING);
  if (untolerated === undefined) return SHOULD_RUN;
  const evicting = findUntoleratedTaint(taints, placement.tolerations, EVICTING);
  return { kind: 'should-not-run', reason: 'untolerated-taint', taint: evicting ?? untolerated, continueRunning: evicting === undefined };
}

/** Returns whether a daemon pod should be created on a node without one (`shouldRun`). */
export function shouldRunDaemonPod(eligibility: NodeEligibility): boolean {
  return eligibility.kind === 'should-run';
}

/** Returns whether a daemon pod already on the node may stay (`shouldContinueRunning`). */
export function shouldContinueRunningDaemonPod(eligibility: NodeEligibility): boolean {
  return eligibility.kind === 'should-run' || eligibility.continueRunning;
}
