import { DELETION_PROTECTION_LABEL } from '../api/labels.js';

/** What kind of object is being deleted, as OpenKruise's deletion-protection handlers tell them apart. */
export type ProtectedKind = 'workload' | 'service' | 'ingress' | 'namespace' | 'crd';

/**
 * What Cascading protection must count before deciding (the webhook lists them): the
 * namespace's active pods and Bound PVCs, or the CRD's custom resources not being deleted.
 */
export type CascadingCount = 'namespace-contents' | 'custom-resources' | 'none';

/** Input of {@link decideDeletionProtection}. */
export interface DeletionProtectionInput {
  readonly kind: ProtectedKind;
  /** Labels of the object being deleted. */
  readonly labels: Readonly<Record<string, string>> | undefined;
  /** The object already has a deletionTimestamp. */
  readonly deleting: boolean;
  /** ResourcesDeletionProtection gate. */
  readonly enabled: boolean;
  /** DeletionProtectionForCRDCascadingGate. */
  readonly crdCascading: boolean;
  /** A workload's `spec.replicas` (undefined: the kind has none). */
  readonly replicas?: number | undefined;
  /** Active pods of the namespace (`namespace-contents`). */
  readonly activePods?: number | undefined;
  /** Bound PVCs of the namespace not being deleted (`namespace-contents`). */
  readonly boundPvcs?: number | undefined;
  /** Custom resources of the CRD not being deleted (`custom-resources`). */
  readonly activeCustomResources?: number | undefined;
}

/** The verdict: the delete goes ahead, or is refused with OpenKruise's message. */
export type DeletionProtectionDecision = { readonly kind: 'allow' } | { readonly kind: 'deny'; readonly message: string };

const allow: DeletionProtectionDecision = { kind: 'allow' };
const forbidden = (value: string, detail = ''): DeletionProtectionDecision => ({ kind: 'deny', message: `forbidden by ResourcesProtectionDeletion for ${DELETION_PROTECTION_LABEL}=${value}${detail}` });

/**
 * Returns what the webhook must count before {@link decideDeletionProtection} can decide: only a
 * `Cascading` namespace or CRD (with the gate on) needs a list.
 *
 * @example namespace labelled Cascading → 'namespace-contents'; CloneSet labelled Cascading → 'none' (its replicas are in the object)
 */
export function cascadingCountNeeded(input: Pick<DeletionProtectionInput, 'kind' | 'labels' | 'deleting' | 'enabled' | 'crdCascading'>): CascadingCount {
  if (!input.enabled || input.deleting || input.labels?.[DELETION_PROTECTION_LABEL] !== 'Cascading') return 'none';
  if (input.kind === 'namespace') return 'namespace-contents';
  return input.kind === 'crd' && input.crdCascading ? 'custom-resources' : 'none';
}

/**
 * Returns whether a delete may proceed under `policy.kruise.io/delete-protection` (OpenKruise's
 * `pkg/webhook/util/deletionprotection`): nothing is refused while ResourcesDeletionProtection is
 * off or the object is already being deleted; `Always` refuses every delete; `Cascading` refuses
 * a workload with replicas > 0, a namespace with active pods or Bound PVCs, and a CRD with custom
 * resources (only with DeletionProtectionForCRDCascadingGate; without it a Cascading CRD is
 * refused outright). Services and Ingresses know only `Always`.
 *
 * @example CloneSet, Cascading, replicas 3 → deny 'forbidden by ResourcesProtectionDeletion for policy.kruise.io/delete-protection=Cascading and replicas 3>0'
 * @example namespace, Cascading, 2 active pods → deny '… and active pods 2>0'
 */
export function decideDeletionProtection(input: DeletionProtectionInput): DeletionProtectionDecision {
  if (!input.enabled || input.deleting) return allow;
  const value = input.labels?.[DELETION_PROTECTION_LABEL];
  if (value === 'Always') return forbidden(value);
  if (value !== 'Cascading') return allow;
  switch (input.kind) {
    case 'service':
    case 'ingress':
      return allow;
    case 'workload':
      return input.replicas !== undefined && input.replicas > 0 ? forbidden(value, ` and replicas ${input.replicas}>0`) : allow;
    case 'namespace':
      if ((input.activePods ?? 0) > 0) return forbidden(value, ` and active pods ${input.activePods ?? 0}>0`);
      return (input.boundPvcs ?? 0) > 0 ? forbidden(value, ` and "Bound" status pvc ${input.boundPvcs ?? 0}>0`) : allow;
    case 'crd':
      if (!input.crdCascading) return { kind: 'deny', message: 'feature-gate DeletionProtectionForCRDCascadingGate is not enabled' };
      return (input.activeCustomResources ?? 0) > 0 ? forbidden(value, ` and active CRs ${input.activeCustomResources ?? 0}>0`) : allow;
  }
}
