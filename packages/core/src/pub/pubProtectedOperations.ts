import { PUB_PROTECT_OPERATIONS_ANNOTATION, PUB_OPERATIONS, type PodUnavailableBudget, type PubOperation } from '../api/podUnavailableBudget.js';

const DEFAULT_OPERATIONS: readonly PubOperation[] = ['DELETE', 'UPDATE', 'EVICT'];

/**
 * Returns the operations a budget protects (OpenKruise's `getPubProtectOperations` and
 * `isNeedPubProtection`): `spec.protectOperations` when set, else the deprecated annotation
 * `kruise.io/pub-protect-operations` (comma separated), else DELETE, UPDATE and EVICT. Without
 * native pod resize in the cluster (`nativeResize` false, OpenKruise's InPlacePodVerticalScaling
 * gate off) a resize is an update, so UPDATE protects RESIZE too.
 *
 * @example {} with nativeResize false → DELETE, UPDATE, EVICT, RESIZE
 * @example protectOperations ['EVICT'] → EVICT
 */
export function pubProtectedOperations(pub: PodUnavailableBudget, nativeResize: boolean): ReadonlySet<PubOperation> {
  const fromSpec = pub.spec.protectOperations ?? [];
  const fromAnnotation = (pub.metadata?.annotations?.[PUB_PROTECT_OPERATIONS_ANNOTATION] ?? '')
    .split(',')
    .filter((op): op is PubOperation => (PUB_OPERATIONS as readonly string[]).includes(op));
  const chosen = fromSpec.length > 0 ? fromSpec : fromAnnotation.length > 0 ? fromAnnotation : DEFAULT_OPERATIONS;
  const operations = new Set<PubOperation>(chosen);
  if (!nativeResize && operations.has('UPDATE')) operations.add('RESIZE');
  return operations;
}
