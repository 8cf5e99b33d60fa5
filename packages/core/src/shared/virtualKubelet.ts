import type { Node } from '../api/node.js';

/** Label of a virtual-kubelet (serverless) node, as OpenKruise reads it: `type=virtual-kubelet`. */
export const VIRTUAL_KUBELET_LABEL = { key: 'type', value: 'virtual-kubelet' } as const;

/**
 * Tells whether `node` is a virtual-kubelet (serverless) node, where no kruise-daemon runs: no
 * NodePodProbe for its pods, sidecars swapped by image instead of stopped through a CRR.
 *
 * @example isVirtualKubeletNode({ metadata: { labels: { type: 'virtual-kubelet' } } }) → true; a node without the label → false
 */
export function isVirtualKubeletNode(node: Pick<Node, 'metadata'> | undefined): boolean {
  return node?.metadata.labels?.[VIRTUAL_KUBELET_LABEL.key] === VIRTUAL_KUBELET_LABEL.value;
}
