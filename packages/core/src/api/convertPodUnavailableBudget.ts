import { compact } from './conversionHelpers.js';
import {
  PUB_API_VERSION,
  PUB_OPERATIONS,
  PUB_PROTECT_OPERATIONS_ANNOTATION,
  PUB_PROTECT_TOTAL_REPLICAS_ANNOTATION,
  type PodUnavailableBudget,
  type PubOperation,
} from './podUnavailableBudget.js';
import { PUB_V1ALPHA1_API_VERSION, type PodUnavailableBudgetV1alpha1 } from './podUnavailableBudgetV1alpha1.js';

/*
 * Conversion between the two PodUnavailableBudget versions, as OpenKruise's
 * apis/policy/v1alpha1/podunavailablebudget_conversion.go: metadata and status are copied; up,
 * the annotations `kruise.io/pub-protect-operations` (split on commas, trimmed, empty entries
 * dropped) and `pub.kruise.io/protect-total-replicas` (when it parses as an int32) fill
 * `protectOperations` and `protectTotalReplicas`; down, those fields are written back into the
 * annotations. `ignoredPodSelector` has no v1alpha1 form and is dropped going down.
 */

const INT32 = /^[+-]?\d+$/;

function operationsFromAnnotation(value: string | undefined): PubOperation[] | undefined {
  if (value === undefined || value === '') return undefined;
  // OpenKruise copies any text; the v1beta1 enum would refuse an unknown one, so only known ones pass.
  return value
    .split(',')
    .map((op) => op.trim())
    .filter((op): op is PubOperation => (PUB_OPERATIONS as readonly string[]).includes(op));
}

function replicasFromAnnotation(value: string | undefined): number | undefined {
  if (value === undefined || !INT32.test(value)) return undefined;
  const n = Number(value);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}

/**
 * Returns the `policy.kruise.io/v1beta1` form of a v1alpha1 PodUnavailableBudget. The input is not
 * modified; the annotations stay.
 *
 * @example annotations { 'kruise.io/pub-protect-operations': 'DELETE, EVICT', 'pub.kruise.io/protect-total-replicas': '5' }
 *   → spec.protectOperations ['DELETE', 'EVICT'], spec.protectTotalReplicas 5
 */
export function convertPodUnavailableBudgetToV1beta1(pub: PodUnavailableBudgetV1alpha1): PodUnavailableBudget {
  const annotations = pub.metadata?.annotations ?? {};
  const spec = compact<PodUnavailableBudget['spec']>({
    ...pub.spec,
    protectOperations: operationsFromAnnotation(annotations[PUB_PROTECT_OPERATIONS_ANNOTATION]),
    protectTotalReplicas: replicasFromAnnotation(annotations[PUB_PROTECT_TOTAL_REPLICAS_ANNOTATION]),
  });
  return { ...pub, ...(pub.apiVersion === undefined ? {} : { apiVersion: PUB_API_VERSION }), spec };
}

/**
 * Returns the `policy.kruise.io/v1alpha1` form of a v1beta1 PodUnavailableBudget: the protected
 * operations and the expected replicas move into their annotations; `ignoredPodSelector` is lost.
 *
 * @example spec.protectOperations ['DELETE', 'EVICT'] → annotation 'kruise.io/pub-protect-operations': 'DELETE,EVICT'
 */
export function convertPodUnavailableBudgetToV1alpha1(pub: PodUnavailableBudget): PodUnavailableBudgetV1alpha1 {
  const { protectOperations, protectTotalReplicas, ignoredPodSelector: _lost, ...spec } = pub.spec;
  const annotations: Record<string, string> = { ...(pub.metadata?.annotations ?? {}) };
  if (protectOperations !== undefined && protectOperations.length > 0) annotations[PUB_PROTECT_OPERATIONS_ANNOTATION] = protectOperations.join(',');
  if (protectTotalReplicas !== undefined) annotations[PUB_PROTECT_TOTAL_REPLICAS_ANNOTATION] = String(protectTotalReplicas);
  const hasAnnotations = Object.keys(annotations).length > 0;
  const metadata = pub.metadata === undefined && !hasAnnotations ? undefined : { ...(pub.metadata ?? {}), ...(hasAnnotations ? { annotations } : {}) };
  return {
    ...pub,
    ...(pub.apiVersion === undefined ? {} : { apiVersion: PUB_V1ALPHA1_API_VERSION }),
    ...(metadata === undefined ? {} : { metadata }),
    spec,
  };
}
