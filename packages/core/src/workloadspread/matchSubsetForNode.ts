import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import { podAffinity, podTolerations } from '../api/podScheduling.js';
import type { WorkloadSpread, WorkloadSpreadSubset } from '../api/workloadSpread.js';
import { compileNodeSelector, matchesRequiredNodeAffinity, nodeIdentity, requiredNodeAffinity } from '../shared/nodeAffinity.js';
import type { JsonObject } from '../shared/jsonValue.js';
import { builtinListStrategy } from '../shared/listStrategy.js';
import { canonicalJson } from '../shared/revision.js';
import { applyStrategicMergePatch } from '../shared/strategicMergePatch.js';
import { findUntoleratedTaint } from '../shared/taints.js';
import { injectWorkloadSpreadSubset } from './injectWorkloadSpreadSubset.js';

// Whether the node passes the subset's placement as the pod would have it: no taint left
// untolerated by the pod's and the subset's tolerations, and the required terms (the pod's with
// the subset's ANDed in) matched.
function fitsSubset(pod: Pod, node: Node, ws: WorkloadSpread, subset: WorkloadSpreadSubset): boolean {
  const tolerations = [...podTolerations(pod.spec), ...(subset.tolerations ?? [])];
  if (findUntoleratedTaint(node.spec?.taints ?? [], tolerations, () => true) !== undefined) return false;
  if (subset.requiredNodeSelectorTerm === undefined) return true;
  const placed = injectWorkloadSpreadSubset({ ...pod, spec: { ...pod.spec, tolerations: [] } }, { ...ws, spec: { ...ws.spec, subsets: [{ name: subset.name, requiredNodeSelectorTerm: subset.requiredNodeSelectorTerm }] } }, subset.name, '');
  if (placed.kind !== 'injected') return false;
  return matchesRequiredNodeAffinity(requiredNodeAffinity(undefined, podAffinity(placed.pod.spec)), nodeIdentity(node));
}

// Sum of the weights of the subset's preferred terms the node matches (Kubernetes' PreferredSchedulingTerms.Score).
function preferredNodeScore(node: Node, subset: WorkloadSpreadSubset): number {
  const identity = nodeIdentity(node);
  return (subset.preferredNodeSelectorTerms ?? []).reduce((score, term) => {
    const terms = compileNodeSelector({ nodeSelectorTerms: [term.preference] });
    return matchesRequiredNodeAffinity({ nodeSelector: undefined, terms }, identity) ? score + term.weight : score;
  }, 0);
}

// 1 when the subset's patch would change nothing of the pod but its annotations.
function podPreferredScore(pod: Pod, subset: WorkloadSpreadSubset): number {
  if (subset.patch === undefined) return 0;
  const patched = applyStrategicMergePatch(pod, subset.patch as JsonObject, builtinListStrategy) as unknown as Pod;
  const same = canonicalJson({ ...patched, metadata: { ...patched.metadata, annotations: pod.metadata.annotations } }) === canonicalJson(pod);
  return same ? 1 : 0;
}

/**
 * Returns the subset a pod created before its WorkloadSpread belongs to, judged by the node it
 * runs on (OpenKruise's `getAndUpdateSuitableSubsetName` / `matchesSubset`), or `undefined`: among
 * the subsets whose tolerations and required term the node passes, the highest of
 * preferred-node score × 100 + patch-already-applied × 10 + (subset still has room ? 1 : 0), the
 * first in order on a tie.
 *
 * @example pod on a zone-b node; subsets zone-a, zone-b (missing 1) → 'zone-b' (score 1)
 */
export function matchSubsetForNode(ws: WorkloadSpread, pod: Pod, node: Node, missing: ReadonlyMap<string, number>): string | undefined {
  let best: { name: string; score: number } | undefined;
  for (const subset of ws.spec.subsets) {
    if (!fitsSubset(pod, node, ws, subset)) continue;
    const score = preferredNodeScore(node, subset) * 100 + podPreferredScore(pod, subset) * 10 + ((missing.get(subset.name) ?? 0) > 0 ? 1 : 0);
    if (best === undefined || score > best.score) best = { name: subset.name, score };
  }
  return best?.name;
}
