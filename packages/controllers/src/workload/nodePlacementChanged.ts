import type { Node } from '@kruise-ts/core';
import type { InformerEvent, KubeObject } from '@kruise-ts/k8s-adapter';

const conditionStatuses = (node: Node): string =>
  (node.status?.conditions ?? [])
    .map((c) => `${c.type}=${c.status}`)
    .sort()
    .join(',');

/**
 * Returns whether a node event may change where Advanced DaemonSets or BroadcastJobs run (OpenKruise's
 * `shouldIgnoreNodeUpdate` turned round): adds and deletes always; an update only when its
 * labels, its spec (taints, unschedulable) or the status of a condition changed, so heartbeats
 * and resyncs wake no workload.
 *
 * @example a node relabelled zone=a → zone=b → true; only `lastHeartbeatTime` moved → false
 */
export function nodePlacementChanged(event: InformerEvent<KubeObject>): boolean {
  if (event.type !== 'updated') return true;
  const before = event.previous as unknown as Node;
  const after = event.object as unknown as Node;
  return (
    JSON.stringify(before.metadata.labels ?? {}) !== JSON.stringify(after.metadata.labels ?? {}) ||
    JSON.stringify(before.spec ?? {}) !== JSON.stringify(after.spec ?? {}) ||
    conditionStatuses(before) !== conditionStatuses(after)
  );
}
