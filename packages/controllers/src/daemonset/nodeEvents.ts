import { daemonPodPlacement, nodeShouldRunDaemonPod, shouldContinueRunningDaemonPod, type DaemonSet } from '@kruise-ts/core';
import type { KubeObject } from '@kruise-ts/k8s-adapter';

export { nodePlacementChanged } from '../workload/nodePlacementChanged.js';

/**
 * Returns whether a node concerns a DaemonSet: it should run the set's pod, or may keep one.
 * The watch asks it of the node before and after a change, so a node that stops (or starts)
 * being eligible wakes the set either way.
 *
 * @example a set selecting zone=a, node relabelled zone=a → zone=b: true before, false after
 */
export function nodeConcernsDaemonSet(ds: DaemonSet, node: KubeObject): boolean {
  return shouldContinueRunningDaemonPod(nodeShouldRunDaemonPod(node, daemonPodPlacement(ds.spec.template.spec)));
}
