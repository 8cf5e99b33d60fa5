import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import { POD_PROBE_MARKER_FINALIZER, type PodProbeMarker } from '../api/podProbeMarker.js';
import { matchPodProbeMarkerPods } from './planNodePodProbes.js';

/** One write of a PodProbeMarker pass, in order. */
export type PodProbeMarkerEffect =
  | { readonly kind: 'add-finalizer' }
  /** Merge the marker's probes for `pods` into NodePodProbe `node` (re-read and retried on 409; skipped while it does not exist). */
  | { readonly kind: 'set-node-probes'; readonly node: string; readonly pods: readonly Pod[] }
  /** Remove the marker's probes from NodePodProbe `node` (deletion). */
  | { readonly kind: 'remove-node-probes'; readonly node: string }
  | { readonly kind: 'remove-finalizer' }
  | { readonly kind: 'patch-status'; readonly status: { readonly observedGeneration: number; readonly matchedPods: number } };

/** What a PodProbeMarker pass does, and why. */
export interface PodProbeMarkerPlan {
  readonly reason: 'deleting' | 'deleted-without-finalizer' | 'sync';
  readonly effects: readonly PodProbeMarkerEffect[];
  /** Pods matched (normal + serverless), the status' `matchedPods`. */
  readonly matchedPods: number;
}

/**
 * Returns the writes of one PodProbeMarker pass (OpenKruise's `syncPodProbeMarker`): on deletion,
 * its probes removed from the NodePodProbes of the pods it matches and then its finalizer; else the
 * finalizer `kruise.io/node-pod-probe-cleanup` added if missing, its probes merged into the
 * NodePodProbe of each node with matched pods (active, Initialized, on an existing non-virtual
 * node), and the status (`observedGeneration`, `matchedPods`) written when it differs.
 *
 * @example marker generation 2, status {1, 0}, finalizer present, 2 matched pods on node-a and 1 on node-b →
 *   [set-node-probes node-a (2 pods), set-node-probes node-b (1 pod), patch-status {2, 3}]
 */
export function planPodProbeMarkerPass(ppm: PodProbeMarker, pods: readonly Pod[], nodeOf: (name: string) => Node | undefined): PodProbeMarkerPlan {
  const { normal, serverless } = matchPodProbeMarkerPods(ppm, pods, nodeOf);
  const matchedPods = normal.length + serverless.length;
  const byNode = new Map<string, Pod[]>();
  for (const pod of normal) {
    const node = pod.spec.nodeName ?? '';
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  const hasFinalizer = (ppm.metadata?.finalizers ?? []).includes(POD_PROBE_MARKER_FINALIZER);
  if ((ppm.metadata?.deletionTimestamp ?? undefined) !== undefined) {
    if (!hasFinalizer) return { reason: 'deleted-without-finalizer', effects: [], matchedPods };
    return { reason: 'deleting', effects: [...[...byNode.keys()].map((node): PodProbeMarkerEffect => ({ kind: 'remove-node-probes', node })), { kind: 'remove-finalizer' }], matchedPods };
  }
  const effects: PodProbeMarkerEffect[] = hasFinalizer ? [] : [{ kind: 'add-finalizer' }];
  for (const [node, onNode] of byNode) effects.push({ kind: 'set-node-probes', node, pods: onNode });
  const generation = ppm.metadata?.generation ?? 0;
  if (ppm.status?.observedGeneration !== generation || (ppm.status.matchedPods ?? 0) !== matchedPods) effects.push({ kind: 'patch-status', status: { observedGeneration: generation, matchedPods } });
  return { reason: 'sync', effects, matchedPods };
}
