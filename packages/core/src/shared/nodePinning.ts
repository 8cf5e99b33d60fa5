import { NODE_NAME_FIELD } from '../api/node.js';
import type { Pod } from '../api/pod.js';

/**
 * Pods made for one node (Advanced DaemonSet, BroadcastJob): pinned to it by required node
 * affinity, as Kubernetes' scheduler-based DaemonSet does, and read back.
 */

function objectOrUndefined(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Returns a pod affinity whose required node affinity selects only `node` through
 * `matchFields` `metadata.name` (Kubernetes `ReplaceDaemonSetPodNodeNameNodeAffinity`): the
 * required terms are replaced, preferred terms and pod (anti-)affinity are kept.
 *
 * @example pinnedAffinity(undefined, 'node-1') // { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }] } } }
 */
export function pinnedAffinity(affinity: unknown, node: string): Record<string, unknown> {
  const term = { matchFields: [{ key: NODE_NAME_FIELD, operator: 'In', values: [node] }] };
  const current = objectOrUndefined(affinity) ?? {};
  const nodeAffinity = objectOrUndefined(current.nodeAffinity) ?? {};
  const required = objectOrUndefined(nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution) ?? {};
  return { ...current, nodeAffinity: { ...nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { ...required, nodeSelectorTerms: [term] } } };
}

/** The node a pod pinned to one node belongs to, or why it has none (Kubernetes `GetTargetNodeName`). */
export type PodTargetNode =
  | { readonly kind: 'node'; readonly node: string }
  | { readonly kind: 'unknown'; readonly reason: 'no-required-node-affinity' | 'no-node-selector-terms' | 'node-name-not-unique' | 'no-node-name-field' };

/**
 * Returns the node a pod made for one node (a DaemonSet's, a BroadcastJob's) is for: its `spec.nodeName`, or, before it is bound, the single
 * value of a `metadata.name` In requirement of its required node affinity's `matchFields`.
 * A pod without either belongs to no node: its controller ignores it.
 *
 * @example pod bound to node-1 → { kind: 'node', node: 'node-1' }; unbound, pinned to node-2 → { kind: 'node', node: 'node-2' }
 */
export function podTargetNode(pod: Pod): PodTargetNode {
  const bound = pod.spec.nodeName ?? '';
  if (bound !== '') return { kind: 'node', node: bound };
  const required = objectOrUndefined(objectOrUndefined(objectOrUndefined(pod.spec.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution);
  if (required === undefined) return { kind: 'unknown', reason: 'no-required-node-affinity' };
  const terms = Array.isArray(required.nodeSelectorTerms) ? (required.nodeSelectorTerms as unknown[]) : [];
  if (terms.length === 0) return { kind: 'unknown', reason: 'no-node-selector-terms' };
  for (const term of terms) {
    const fields = objectOrUndefined(term)?.matchFields;
    for (const field of Array.isArray(fields) ? (fields as unknown[]) : []) {
      const requirement = objectOrUndefined(field);
      if (requirement?.key !== NODE_NAME_FIELD || requirement.operator !== 'In') continue;
      const values = Array.isArray(requirement.values) ? (requirement.values as unknown[]) : [];
      const [value] = values;
      if (values.length !== 1 || typeof value !== 'string') return { kind: 'unknown', reason: 'node-name-not-unique' };
      return { kind: 'node', node: value };
    }
  }
  return { kind: 'unknown', reason: 'no-node-name-field' };
}
