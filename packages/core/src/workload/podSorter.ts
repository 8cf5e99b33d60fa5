import type { Pod } from '../api/pod.js';
import { getPodCondition, maxContainerRestarts, parseTime, podDeletionCost } from '../shared/podState.js';

/** Node labels by node name (what the topology-spread ranker reads from Node objects). */
export type NodeLabels = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** The hostname topology key: spreading over it ranks without the same-node ranker. */
export const HOSTNAME_TOPOLOGY_KEY = 'kubernetes.io/hostname';

const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/** What a pod comparison reads, computed once per pod so sorting 10,000 pods stays cheap. */
interface SortKey {
  readonly pod: Pod;
  /** Position of the pod in the caller's list (for index-based sorts). */
  readonly index: number;
  readonly node: string;
  readonly phase: number;
  readonly ready: boolean;
  readonly readyTime: number | undefined;
  readonly restarts: number;
  readonly created: number | undefined;
  readonly cost: number;
  readonly rank: number;
  readonly available: boolean;
}

/** Which criteria beyond Kubernetes' ActivePods a comparison uses. */
interface Criteria {
  readonly cost: boolean;
  readonly rank: boolean;
  readonly available: boolean;
}

const ACTIVE_PODS: Criteria = { cost: false, rank: false, available: false };
const WITH_COST_AND_RANK: Criteria = { cost: true, rank: true, available: false };
const FOR_SCALE_DOWN: Criteria = { cost: true, rank: true, available: true };

// Pods of one workload share many timestamps (second precision): parse each string once per sort.
type TimeParser = (time: string | null | undefined) => number | undefined;

function timeParser(): TimeParser {
  const seen = new Map<string, number | undefined>();
  return (time) => {
    if (time === undefined || time === null) return undefined;
    if (!seen.has(time)) seen.set(time, parseTime(time));
    return seen.get(time);
  };
}

function keyOf(pod: Pod, parse: TimeParser, rank = 0, available = false, withCost = true, index = -1): SortKey {
  const ready = getPodCondition(pod, 'Ready');
  const isReady = ready?.status === 'True';
  return {
    pod,
    index,
    node: pod.spec.nodeName ?? '',
    phase: PHASE_ORDINAL[pod.status?.phase ?? ''] ?? 0,
    ready: isReady,
    readyTime: isReady ? parse(ready.lastTransitionTime) : undefined,
    restarts: maxContainerRestarts(pod),
    created: parse(pod.metadata.creationTimestamp),
    cost: withCost ? podDeletionCost(pod) : 0,
    rank,
    available,
  };
}

// Kubernetes' afterOrZero: a zero (unknown) time counts as later than any known one.
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined;
  return a > b;
}

// Kubernetes' ActivePods / OpenKruise's ActivePodsWithRanks `Less`, step by step, as a comparator
// (negative: `a` goes first); kept as one chain so the order of the criteria reads as in the
// source it mirrors.
function compareKeys(a: SortKey, b: SortKey, criteria: Criteria): number {
  if (a.node !== b.node && (a.node === '' || b.node === '')) return a.node === '' ? -1 : 1;
  if (a.phase !== b.phase) return a.phase - b.phase;
  if (criteria.available && a.available !== b.available) return a.available ? 1 : -1;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (criteria.cost && a.cost !== b.cost) return a.cost - b.cost;
  if (criteria.rank && a.rank !== b.rank) return b.rank - a.rank;
  if (a.ready && b.ready && a.readyTime !== b.readyTime) return afterOrZero(a.readyTime, b.readyTime) ? -1 : 1;
  if (a.restarts !== b.restarts) return b.restarts - a.restarts;
  if (a.created !== b.created) return afterOrZero(a.created, b.created) ? -1 : 1;
  return 0;
}

function sortKeys(keys: SortKey[], criteria: Criteria): SortKey[] {
  // Array.prototype.sort is stable: equal pods keep their input order.
  return keys.sort((a, b) => compareKeys(a, b, criteria));
}

/**
 * Returns the pods in Kubernetes' ActivePods order, the ones to act on first first: unassigned
 * before assigned, Pending < Unknown < Running, not ready before ready, ready for less time first,
 * more restarts first, newer first. Stable for equal pods.
 */
export function sortActivePods(pods: readonly Pod[]): Pod[] {
  const parse = timeParser();
  return sortKeys(pods.map((pod) => keyOf(pod, parse, 0, false, false)), ACTIVE_PODS).map((key) => key.pod);
}

/**
 * Returns `indexes` (positions in `pods`) in Kubernetes' ActivePods order (see
 * {@link sortActivePods}).
 */
export function sortActivePodIndexes(pods: readonly Pod[], indexes: readonly number[]): number[] {
  const parse = timeParser();
  const keys = indexes.map((index) => keyOf(pods[index] as Pod, parse, 0, false, false, index));
  return sortKeys(keys, ACTIVE_PODS).map((key) => key.index);
}

/**
 * Returns a rank per pod for pods sharing a node (OpenKruise's same-node ranker): on a node with
 * n > 1 pods, the pods in ActivePods-with-cost order get ranks n−1 … 1 and the last one 0, so
 * scale-down takes pods from crowded nodes first. Pods alone on their node rank 0.
 *
 * @example node a: p0, p4, p10 (equal) → p0 2, p4 1, p10 0
 */
export function rankPodsOnSameNode(pods: readonly Pod[]): Map<Pod, number> {
  const ranks = new Map<Pod, number>();
  const parse = timeParser();
  for (const onNode of groupByNode(pods).values()) {
    if (onNode.length <= 1) continue;
    const sorted = sortKeys(onNode.map((pod) => keyOf(pod, parse)), WITH_COST_AND_RANK);
    sorted.slice(0, -1).forEach((key, index) => ranks.set(key.pod, sorted.length - 1 - index));
  }
  return ranks;
}

// Scheduled pods by node, nodes in order of first appearance (the order the ranker reads nodes).
function groupByNode(pods: readonly Pod[]): Map<string, Pod[]> {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    const node = pod.spec.nodeName ?? '';
    if (node === '') continue;
    const list = byNode.get(node);
    if (list === undefined) byNode.set(node, [pod]);
    else list.push(pod);
  }
  return byNode;
}

/**
 * Returns a rank per pod from topology spread (OpenKruise's spread-constraints ranker): for each
 * topology key, pods are grouped by the value of that label on their node; in a group of n pods
 * sorted in ActivePods-with-cost-and-rank order, the i-th pod gains `(n − i) × ln(groups + 2)`.
 * A higher rank is deleted first. Nodes missing from `nodeLabels` are skipped, as OpenKruise skips
 * nodes it cannot read.
 *
 * @example zones z1 (10 pods), z2 (8), z3 (5): the first pod of z1 ranks 10 × ln 5, the first of z3 5 × ln 5
 */
export function rankPodsBySpread(pods: readonly Pod[], topologyKeys: readonly string[], nodeLabels: NodeLabels): Map<Pod, number> {
  const ranks = new Map<Pod, number>();
  const byNode = [...groupByNode(pods)].filter(([node]) => nodeLabels[node] !== undefined);
  const sameNode = rankPodsOnSameNode(pods);
  const parse = timeParser();
  for (const key of topologyKeys) {
    const topologies = new Map<string, Pod[]>();
    for (const [node, onNode] of byNode) {
      const value = nodeLabels[node]?.[key];
      if (value === undefined) continue;
      const members = topologies.get(value);
      if (members === undefined) topologies.set(value, [...onNode]);
      else members.push(...onNode);
    }
    const weight = Math.log(topologies.size + 2);
    const inner = key === HOSTNAME_TOPOLOGY_KEY ? undefined : sameNode;
    for (const members of topologies.values()) {
      const sorted = sortKeys(members.map((pod) => keyOf(pod, parse, inner?.get(pod) ?? 0)), WITH_COST_AND_RANK);
      sorted.forEach((entry, index) => ranks.set(entry.pod, (ranks.get(entry.pod) ?? 0) + (sorted.length - index) * weight));
    }
  }
  return ranks;
}

/** How {@link sortPodsForScaleDown} judges the pods. */
export interface ScaleDownOrderOptions {
  /** Whether a pod is available to its CloneSet (lifecycle, minReadySeconds, InPlaceUpdateReady). */
  readonly isAvailable: (pod: Pod) => boolean;
  /** Topology keys of the template's topologySpreadConstraints (spread ranking when non-empty). */
  readonly topologyKeys: readonly string[];
  /** Labels of the nodes the pods run on (needed for spread ranking). */
  readonly nodeLabels?: NodeLabels;
}

/**
 * Returns the pods in OpenKruise's scale-down order, first to delete first: unassigned <
 * assigned; Pending < Unknown < Running; unavailable < available; not ready < ready; lower
 * pod-deletion-cost; higher topology rank (spread constraints, else same-node); ready more
 * recently; more restarts; newer.
 */
export function sortPodsForScaleDown(pods: readonly Pod[], options: ScaleDownOrderOptions): Pod[] {
  const ranks =
    options.topologyKeys.length > 0
      ? rankPodsBySpread(pods, options.topologyKeys, options.nodeLabels ?? {})
      : rankPodsOnSameNode(pods);
  const parse = timeParser();
  const keys = pods.map((pod) => keyOf(pod, parse, ranks.get(pod) ?? 0, options.isAvailable(pod)));
  return sortKeys(keys, FOR_SCALE_DOWN).map((key) => key.pod);
}
