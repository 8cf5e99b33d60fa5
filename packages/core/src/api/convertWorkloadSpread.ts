import { WORKLOADSPREAD_API_VERSION, type WorkloadSpread, type WorkloadSpreadSubset, type WorkloadSpreadSubsetStatus } from './workloadSpread.js';
import { WORKLOADSPREAD_V1BETA1_API_VERSION, type WorkloadSpreadSubsetStatusV1beta1, type WorkloadSpreadSubsetV1beta1, type WorkloadSpreadV1beta1 } from './workloadSpreadV1beta1.js';

/*
 * Conversion between the two WorkloadSpread versions, as OpenKruise's
 * `apis/apps/v1alpha1/workloadspread_conversion.go`: every field one to one but the renamed subset
 * fields (requiredNodeSelectorTerm ⇄ requiredNodeSelector, preferredNodeSelectorTerms ⇄
 * preferredNodeSelector) and the subset conditions (a v1beta1 `metav1.Condition` needs a reason:
 * none becomes `Unknown`; v1alpha1 has no `observedGeneration`), in `subsetStatuses` and in each
 * version of `versionedSubsetStatuses`. Fields neither version knows are carried over.
 */

function subsetToV1beta1(subset: WorkloadSpreadSubset): WorkloadSpreadSubsetV1beta1 {
  const { requiredNodeSelectorTerm, preferredNodeSelectorTerms, ...others } = subset;
  return {
    ...others,
    ...(requiredNodeSelectorTerm !== undefined && { requiredNodeSelector: requiredNodeSelectorTerm }),
    ...(preferredNodeSelectorTerms !== undefined && { preferredNodeSelector: preferredNodeSelectorTerms }),
  };
}

function subsetToV1alpha1(subset: WorkloadSpreadSubsetV1beta1): WorkloadSpreadSubset {
  const { requiredNodeSelector, preferredNodeSelector, ...others } = subset;
  return {
    ...others,
    ...(requiredNodeSelector !== undefined && { requiredNodeSelectorTerm: requiredNodeSelector }),
    ...(preferredNodeSelector !== undefined && { preferredNodeSelectorTerms: preferredNodeSelector }),
  };
}

function statusToV1beta1(status: WorkloadSpreadSubsetStatus): WorkloadSpreadSubsetStatusV1beta1 {
  if (status.conditions === undefined) return status;
  return { ...status, conditions: status.conditions.map((c) => ({ ...c, reason: c.reason === undefined || c.reason === '' ? 'Unknown' : c.reason })) };
}

function statusToV1alpha1(status: WorkloadSpreadSubsetStatusV1beta1): WorkloadSpreadSubsetStatus {
  if (status.conditions === undefined) return status;
  return { ...status, conditions: status.conditions.map(({ observedGeneration: _generation, ...c }) => c) };
}

function mapStatuses<A, B>(
  status: { readonly subsetStatuses?: readonly A[] | undefined; readonly versionedSubsetStatuses?: Readonly<Record<string, readonly A[]>> | undefined } | undefined,
  map: (a: A) => B,
): { subsetStatuses?: B[]; versionedSubsetStatuses?: Record<string, B[]> } {
  if (status === undefined) return {};
  const { subsetStatuses, versionedSubsetStatuses } = status;
  return {
    ...(subsetStatuses !== undefined && { subsetStatuses: subsetStatuses.map(map) }),
    ...(versionedSubsetStatuses !== undefined && {
      versionedSubsetStatuses: Object.fromEntries(Object.entries(versionedSubsetStatuses).map(([version, statuses]) => [version, statuses.map(map)])),
    }),
  };
}

/**
 * Returns the `apps.kruise.io/v1beta1` (storage) form of a v1alpha1 WorkloadSpread: subsets'
 * `requiredNodeSelectorTerm`/`preferredNodeSelectorTerms` renamed `requiredNodeSelector`/
 * `preferredNodeSelector`, subset conditions without a reason given `Unknown`, the apiVersion
 * changed (when the object has one). The input is not modified.
 *
 * @example convertWorkloadSpreadToV1beta1({ apiVersion: 'apps.kruise.io/v1alpha1', spec: { subsets: [{ name: 'a', requiredNodeSelectorTerm: term }] } })
 *   → { apiVersion: 'apps.kruise.io/v1beta1', spec: { subsets: [{ name: 'a', requiredNodeSelector: term }] } }
 */
export function convertWorkloadSpreadToV1beta1(ws: WorkloadSpread): WorkloadSpreadV1beta1 {
  return {
    ...ws,
    ...(ws.apiVersion !== undefined && { apiVersion: WORKLOADSPREAD_V1BETA1_API_VERSION }),
    spec: { ...ws.spec, subsets: ws.spec.subsets.map(subsetToV1beta1) },
    ...(ws.status !== undefined && { status: { ...ws.status, ...mapStatuses(ws.status, statusToV1beta1) } }),
  };
}

/**
 * Returns the `apps.kruise.io/v1alpha1` form of a v1beta1 WorkloadSpread (the shape kruise-ts's
 * algorithms read): the subset fields renamed back, `observedGeneration` dropped from subset
 * conditions, the apiVersion changed (when the object has one). The input is not modified.
 *
 * @example convertWorkloadSpreadToV1alpha1({ apiVersion: 'apps.kruise.io/v1beta1', spec: { subsets: [{ name: 'a', preferredNodeSelector: terms }] } })
 *   → { apiVersion: 'apps.kruise.io/v1alpha1', spec: { subsets: [{ name: 'a', preferredNodeSelectorTerms: terms }] } }
 */
export function convertWorkloadSpreadToV1alpha1(ws: WorkloadSpreadV1beta1): WorkloadSpread {
  return {
    ...ws,
    ...(ws.apiVersion !== undefined && { apiVersion: WORKLOADSPREAD_API_VERSION }),
    spec: { ...ws.spec, subsets: ws.spec.subsets.map(subsetToV1alpha1) },
    ...(ws.status !== undefined && { status: { ...ws.status, ...mapStatuses(ws.status, statusToV1alpha1) } }),
  };
}
