import type { Pod } from '../api/pod.js';
import { podAffinity, podTolerations, type NodeSelectorTerm } from '../api/podScheduling.js';
import { MATCHED_WORKLOADSPREAD_ANNOTATION, type WorkloadSpread } from '../api/workloadSpread.js';
import type { JsonObject } from '../shared/jsonValue.js';
import { builtinListStrategy } from '../shared/listStrategy.js';
import { applyStrategicMergePatch } from '../shared/strategicMergePatch.js';
import { formatMatchedWorkloadSpread } from './matchedWorkloadSpread.js';

/** The pod with its subset's placement, or why nothing was injected. */
export type WorkloadSpreadInjection = { readonly kind: 'injected'; readonly pod: Pod } | { readonly kind: 'skip'; readonly reason: 'unknown-subset' };

// The subset's required term is ANDed into each of the pod's terms; a pod without terms gets it as its only term.
function withRequiredTerm(terms: readonly NodeSelectorTerm[], term: NodeSelectorTerm): NodeSelectorTerm[] {
  if (terms.length === 0) return [term];
  const joined = (a: NodeSelectorTerm['matchExpressions'], b: NodeSelectorTerm['matchExpressions']) => {
    const all = [...(a ?? []), ...(b ?? [])];
    return all.length > 0 ? all : a;
  };
  return terms.map((t) => {
    const matchExpressions = joined(t.matchExpressions, term.matchExpressions);
    const matchFields = joined(t.matchFields, term.matchFields);
    return { ...t, ...(matchExpressions === undefined ? {} : { matchExpressions }), ...(matchFields === undefined ? {} : { matchFields }) };
  });
}

/**
 * Returns the pod as the webhook sends it on after choosing `subsetName` (OpenKruise's
 * `injectWorkloadSpreadIntoPod`): the subset's tolerations appended, its preferred terms appended to
 * the preferred node affinity, its required term ANDed into every required term (or the only
 * term), its `patch` applied as a strategic merge patch (a changed priorityClassName drops
 * `spec.priority` so the apiserver resolves it again), and the annotation
 * `apps.kruise.io/matched-workloadspread` = `{"name","subset"[,"uid"]}`.
 *
 * @example subset zone-a { requiredNodeSelectorTerm: zone In [a] } on a pod without affinity →
 *   spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms = [{ matchExpressions: [zone In [a]] }]
 */
export function injectWorkloadSpreadSubset(pod: Pod, ws: WorkloadSpread, subsetName: string, generatedUid: string): WorkloadSpreadInjection {
  const subset = ws.spec.subsets.find((s) => s.name === subsetName);
  if (subset === undefined) return { kind: 'skip', reason: 'unknown-subset' };
  const affinity = podAffinity(pod.spec) ?? {};
  const nodeAffinity = affinity.nodeAffinity ?? {};
  const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? undefined;
  const nextNodeAffinity = {
    ...nodeAffinity,
    ...(subset.preferredNodeSelectorTerms !== undefined && subset.preferredNodeSelectorTerms.length > 0
      ? { preferredDuringSchedulingIgnoredDuringExecution: [...(nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution ?? []), ...subset.preferredNodeSelectorTerms] }
      : {}),
    ...(subset.requiredNodeSelectorTerm === undefined
      ? {}
      : { requiredDuringSchedulingIgnoredDuringExecution: { ...required, nodeSelectorTerms: withRequiredTerm(required?.nodeSelectorTerms ?? [], subset.requiredNodeSelectorTerm) } }),
  };
  const tolerations = subset.tolerations !== undefined && subset.tolerations.length > 0 ? { tolerations: [...podTolerations(pod.spec), ...subset.tolerations] } : {};
  let next: Pod = { ...pod, spec: { ...pod.spec, ...tolerations, affinity: { ...affinity, nodeAffinity: nextNodeAffinity } } };
  if (subset.patch !== undefined) {
    next = applyStrategicMergePatch(next, subset.patch as JsonObject, builtinListStrategy) as unknown as Pod;
    if (next.spec.priorityClassName !== pod.spec.priorityClassName && next.spec.priority !== undefined) {
      const { priority: _dropped, ...spec } = next.spec;
      next = { ...next, spec };
    }
  }
  const annotation = formatMatchedWorkloadSpread({ name: ws.metadata?.name ?? '', subset: subset.name, uid: generatedUid });
  return { kind: 'injected', pod: { ...next, metadata: { ...next.metadata, annotations: { ...next.metadata.annotations, [MATCHED_WORKLOADSPREAD_ANNOTATION]: annotation } } } };
}
