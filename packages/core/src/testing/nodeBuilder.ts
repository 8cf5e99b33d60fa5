import type { Node, Taint } from '../api/node.js';

/** Options of {@link aNode}; every one has a deterministic default. */
export interface NodeOptions {
  /** `metadata.name` (default `node-0`). */
  readonly name?: string;
  /** `metadata.labels` (the `kubernetes.io/hostname` label is always added). */
  readonly labels?: Readonly<Record<string, string>>;
  /** `spec.taints`. */
  readonly taints?: readonly Taint[];
  /** `spec.unschedulable` (cordoned; add the `node.kubernetes.io/unschedulable` taint yourself, as the node lifecycle controller would). */
  readonly unschedulable?: boolean;
  /** Status of the Ready condition (default `True`). */
  readonly ready?: 'True' | 'False' | 'Unknown';
}

/**
 * Returns a core/v1 Node, deterministic for the same options.
 *
 * @example aNode({ name: 'node-1', labels: { zone: 'a' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })
 */
export function aNode(options: NodeOptions = {}): Node {
  const name = options.name ?? 'node-0';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, labels: { 'kubernetes.io/hostname': name, ...options.labels } },
    spec: {
      ...(options.unschedulable === undefined ? {} : { unschedulable: options.unschedulable }),
      ...(options.taints === undefined ? {} : { taints: options.taints.map((t) => ({ ...t })) }),
    },
    status: { conditions: [{ type: 'Ready', status: options.ready ?? 'True' }] },
  };
}

/**
 * Returns `count` nodes named `<prefix>-<i>`; `options` may be one object for all, or a function of
 * the index.
 *
 * @example someNodes(3, 'node', (i) => ({ labels: { zone: ['a', 'b', 'c'][i] ?? 'a' } }))
 */
export function someNodes(count: number, prefix = 'node', options: NodeOptions | ((index: number) => NodeOptions) = {}): Node[] {
  return Array.from({ length: count }, (_, index) => {
    const own = typeof options === 'function' ? options(index) : options;
    return aNode({ ...own, name: own.name ?? `${prefix}-${String(index)}` });
  });
}
