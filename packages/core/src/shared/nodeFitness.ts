import { TAINT_NODE_UNSCHEDULABLE, type Node, type Taint } from '../api/node.js';
import type { Container, PodSpec } from '../api/pod.js';
import { podAffinity, podTolerations } from '../api/podScheduling.js';
import { matchesRequiredNodeAffinity, requiredNodeAffinity } from './nodeAffinity.js';
import { parseQuantity, type Quantity } from './quantity.js';
import { findUntoleratedTaint, toleratesTaint } from './taints.js';

/**
 * Whether a pod fits a node, as OpenKruise's BroadcastJob checks it (`checkNodeFitness`, the
 * scheduler's filter plugins run against the node alone): node name, node selector and required
 * affinity, NoSchedule/NoExecute taints, `spec.unschedulable`, and resources (`noderesources.Fits`
 * with no other pod counted on the node).
 */

/** Why a pod does not fit a node (the scheduler plugin that refused it). */
export type NodeFitness =
  | { readonly kind: 'fits' }
  | { readonly kind: 'does-not-fit'; readonly reason: 'node-name-mismatch' | 'node-affinity-mismatch' | 'node-unschedulable' }
  | { readonly kind: 'does-not-fit'; readonly reason: 'untolerated-taint'; readonly taint: Taint }
  | { readonly kind: 'does-not-fit'; readonly reason: 'insufficient-resources'; readonly resources: readonly string[] };

const FITS: NodeFitness = { kind: 'fits' };
const NOT_SCHEDULING = (taint: Taint): boolean => taint.effect === 'NoExecute' || taint.effect === 'NoSchedule';
const ZERO: Quantity = { kind: 'quantity', numerator: 0n, scale: 0 };

function add(a: Quantity, b: Quantity): Quantity {
  const scale = Math.max(a.scale, b.scale);
  return { kind: 'quantity', numerator: a.numerator * 10n ** BigInt(scale - a.scale) + b.numerator * 10n ** BigInt(scale - b.scale), scale };
}

function greater(a: Quantity, b: Quantity): boolean {
  const scale = Math.max(a.scale, b.scale);
  return a.numerator * 10n ** BigInt(scale - a.scale) > b.numerator * 10n ** BigInt(scale - b.scale);
}

function read(value: string | number | undefined): Quantity {
  if (value === undefined) return ZERO;
  const parsed = parseQuantity(value);
  return parsed.kind === 'quantity' ? parsed : ZERO;
}

type Requests = Map<string, Quantity>;

function plus(into: Requests, requests: Readonly<Record<string, string | number>> | undefined): Requests {
  const sum = new Map(into);
  for (const [name, value] of Object.entries(requests ?? {})) sum.set(name, add(sum.get(name) ?? ZERO, read(value)));
  return sum;
}

function max(a: Requests, b: Requests): Requests {
  const result = new Map(a);
  for (const [name, value] of b) if (greater(value, result.get(name) ?? ZERO)) result.set(name, value);
  return result;
}

const requestsOf = (container: Container): Readonly<Record<string, string | number>> | undefined => container.resources?.requests;

/**
 * Returns what a pod requests, by resource, as Kubernetes' `resource.PodRequests` sums it: the
 * containers and the restartable init containers (sidecars) together, at least each ordinary init
 * container plus the sidecars started before it, plus `spec.overhead`.
 *
 * @example containers requesting cpu 100m and 200m, an init container cpu 500m → cpu 500m
 */
export function podRequests(spec: PodSpec): ReadonlyMap<string, Quantity> {
  let sidecars: Requests = new Map();
  let initPeak: Requests = new Map();
  for (const init of spec.initContainers ?? []) {
    if ((init as { restartPolicy?: string }).restartPolicy === 'Always') {
      sidecars = plus(sidecars, requestsOf(init));
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, plus(sidecars, requestsOf(init)));
    }
  }
  const running = spec.containers.reduce<Requests>((sum, c) => plus(sum, requestsOf(c)), sidecars);
  return plus(max(running, initPeak), (spec as { overhead?: Record<string, string | number> }).overhead);
}

// noderesources.Fits with an empty nodeInfo: one pod more than none, and every request within the allocatable.
function insufficientResources(spec: PodSpec, allocatable: Readonly<Record<string, string | number>>): string[] {
  const missing: string[] = [];
  if (greater(read(1), read(allocatable.pods ?? 0))) missing.push('pods');
  for (const [name, requested] of podRequests(spec)) {
    if (greater(requested, read(allocatable[name] ?? 0))) missing.push(name);
  }
  return missing;
}

/**
 * Returns whether a pod with `spec`, bound to `node` (as OpenKruise's mock pod is), fits it:
 * `spec.nodeName`, if set, is the node's; the node matches the nodeSelector and required node
 * affinity; every NoSchedule and NoExecute taint is tolerated; a cordoned node
 * (`spec.unschedulable`) only with a toleration of `node.kubernetes.io/unschedulable:NoSchedule`;
 * and, when the node reports `status.allocatable`, room for one pod and for each of its requests
 * (other pods on the node are not counted, as OpenKruise's check does not). A node without
 * `status.allocatable` (never one a kubelet registered) is taken to have room.
 *
 * @example a node tainted dedicated=gpu:NoSchedule, no toleration → { kind: 'does-not-fit', reason: 'untolerated-taint', taint }
 * @example allocatable cpu 2, pods 110; containers requesting cpu 1500m and 1 → { kind: 'does-not-fit', reason: 'insufficient-resources', resources: ['cpu'] }
 */
export function checkNodeFitness(spec: PodSpec, node: Node): NodeFitness {
  const name = node.metadata.name ?? '';
  if ((spec.nodeName ?? '') !== '' && spec.nodeName !== name) return { kind: 'does-not-fit', reason: 'node-name-mismatch' };
  if (!matchesRequiredNodeAffinity(requiredNodeAffinity(spec.nodeSelector, podAffinity(spec)), { name, labels: node.metadata.labels })) {
    return { kind: 'does-not-fit', reason: 'node-affinity-mismatch' };
  }
  const tolerations = podTolerations(spec);
  const taint = findUntoleratedTaint(node.spec?.taints ?? [], tolerations, NOT_SCHEDULING);
  if (taint !== undefined) return { kind: 'does-not-fit', reason: 'untolerated-taint', taint };
  const cordonTaint: Taint = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' };
  if (node.spec?.unschedulable === true && !tolerations.some((t) => toleratesTaint(t, cordonTaint))) return { kind: 'does-not-fit', reason: 'node-unschedulable' };
  const allocatable = node.status?.allocatable;
  if (allocatable === undefined) return FITS;
  const resources = insufficientResources(spec, allocatable);
  return resources.length === 0 ? FITS : { kind: 'does-not-fit', reason: 'insufficient-resources', resources };
}
