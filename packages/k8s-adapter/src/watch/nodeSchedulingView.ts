import type { KubeObject } from '../resourceType.js';
import { withoutManagedFields } from './createInformer.js';

/** The `status` fields of a Node that {@link nodeSchedulingView} keeps. */
const KEPT_NODE_STATUS = ['conditions', 'allocatable', 'capacity', 'phase'] as const;

/**
 * Returns what controllers read of a Node: its metadata (without managedFields), its spec (taints,
 * unschedulable, podCIDR...) and the status fields scheduling decisions use (`conditions`,
 * `allocatable`, `capacity`). Dropped: `status.images` (often tens of KiB on a real node),
 * `nodeInfo`, `addresses`, `daemonEndpoints`, `volumesInUse`/`volumesAttached`, `config`. The
 * shared informer factory caches Nodes through it by default.
 *
 * @example a node with 40 images (≈ 12 KiB of `status.images`) → the same node with `status: { conditions, allocatable, capacity }`
 */
export function nodeSchedulingView<T extends KubeObject>(node: T): T {
  const slim = withoutManagedFields(node);
  const status = slim.status as Record<string, unknown> | undefined;
  if (status === undefined) return slim;
  const kept: Record<string, unknown> = {};
  for (const field of KEPT_NODE_STATUS) if (status[field] !== undefined) kept[field] = status[field];
  return { ...slim, status: kept };
}
