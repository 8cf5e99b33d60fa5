import type { PersistentVolumeClaim, Pod } from '../api/pod.js';
import type { StatefulSet } from '../api/statefulSet.js';
import { compareQuantities } from '../shared/quantity.js';
import { canonicalJson } from '../shared/revision.js';
import { podOrdinal, statefulSetClaimName } from './statefulSetPod.js';

/**
 * PVC expansion during the rolling update (OpenKruise's StatefulSetAutoResizePVCGate with
 * `volumeClaimUpdateStrategy: OnPodRollingUpdate`, `pkg/util/pvc` and
 * `statefulset_resize_pvc.go`): a pod's PVC whose request is below its claim template's is
 * expanded (when its StorageClass allows it) before the pod is updated, and the pod waits until
 * the volume has grown (or only the file system resize is pending).
 */

/** The PVC annotation naming the set that resized it (changes to it wake that set). */
export const PVC_OWNED_BY_ASTS_ANNOTATION = 'apps.kruise.io/owned-by-asts';

/** A StorageClass as the resize reads it. */
export interface StorageClassInfo {
  readonly name: string;
  readonly allowVolumeExpansion: boolean;
}

const storage = (claim: PersistentVolumeClaim | undefined, from: 'requests' | 'capacity'): string | number =>
  (from === 'requests' ? claim?.spec?.resources?.requests?.['storage'] : claim?.status?.capacity?.['storage']) ?? 0;

const atLeast = (a: string | number, b: string | number): boolean => {
  const order = compareQuantities(a, b);
  return order.kind === 'compared' && order.order >= 0;
};

/** OpenKruise `IsClaimCompatibleWithoutSize`: the same storage class (when both name one) and access modes. */
export function isClaimCompatibleWithoutSize(claim: PersistentVolumeClaim, template: PersistentVolumeClaim): boolean {
  const a = claim.spec?.storageClassName;
  const b = template.spec?.storageClassName;
  if (a !== undefined && b !== undefined && a !== b) return false;
  return canonicalJson(claim.spec?.accessModes ?? []) === canonicalJson(template.spec?.accessModes ?? []);
}

/** How one PVC compares with its claim template. */
export type ClaimFit =
  | { readonly kind: 'matched' }
  /** It requests less storage than the template: expand it. */
  | { readonly kind: 'needs-expansion' }
  /** Storage class or access modes differ: it cannot be patched, only deleted and created again. */
  | { readonly kind: 'incompatible' };

/**
 * Returns how a PVC compares with its template (OpenKruise `CompareWithCheckFn` with `IsPVCNeedExpand`).
 *
 * @example claim 1Gi, template 2Gi, same class and modes → { kind: 'needs-expansion' }
 */
export function claimFit(claim: PersistentVolumeClaim, template: PersistentVolumeClaim): ClaimFit {
  if (!isClaimCompatibleWithoutSize(claim, template)) return { kind: 'incompatible' };
  return atLeast(storage(claim, 'requests'), storage(template, 'requests')) ? { kind: 'matched' } : { kind: 'needs-expansion' };
}

/** Returns whether the volume already has what its PVC requests (OpenKruise's "ready": capacity ≥ request). */
export function isClaimReady(claim: PersistentVolumeClaim, template: PersistentVolumeClaim): boolean {
  return isClaimCompatibleWithoutSize(claim, template) && atLeast(storage(claim, 'capacity'), storage(claim, 'requests'));
}

/** Returns whether an expansion is done as far as the pod is concerned: ready, or only the file system resize is pending (`IsPatchPVCCompleted`). */
export function isClaimResizeCompleted(claim: PersistentVolumeClaim, template: PersistentVolumeClaim): boolean {
  const compatible = isClaimCompatibleWithoutSize(claim, template) && atLeast(storage(claim, 'requests'), storage(template, 'requests'));
  if (!compatible) return false;
  return isClaimReady(claim, template) || (claim.status?.conditions ?? []).some((c) => c.type === 'FileSystemResizePending' && c.status === 'True');
}

/** The existing, non-terminating PVCs of a pod with their templates (OpenKruise `handlePVCWithCustomFn`: missing ones are skipped). */
export function podClaims(set: StatefulSet, pod: Pod, pvcs: ReadonlyMap<string, PersistentVolumeClaim>): { claim: PersistentVolumeClaim; template: PersistentVolumeClaim }[] {
  const setName = set.metadata?.name ?? '';
  const ordinal = podOrdinal(pod);
  return (set.spec.volumeClaimTemplates ?? []).flatMap((template) => {
    const claim = pvcs.get(statefulSetClaimName(template.metadata.name ?? '', setName, ordinal));
    return claim === undefined || claim.metadata.deletionTimestamp !== undefined ? [] : [{ claim, template }];
  });
}

/** What expanding a pod's PVCs takes: the PVCs to patch, or why they cannot be. */
export type ClaimResizePlan =
  | { readonly kind: 'resize'; readonly claims: readonly { readonly claim: PersistentVolumeClaim; readonly template: PersistentVolumeClaim }[] }
  | { readonly kind: 'refused'; readonly claim: string; readonly message: string; readonly event?: string };

/**
 * Returns how to expand the PVCs of a pod (OpenKruise `TryPatchPVC`): every PVC that needs it,
 * or the first reason not to: a PVC that differs in more than its size (it must be deleted
 * first), a StorageClass that is unknown or does not allow expansion.
 *
 * @example data-web-0 at 1Gi, template 2Gi, class "fast" allowing expansion → { kind: 'resize', claims: [data-web-0] }
 */
export function planClaimResize(claims: readonly { claim: PersistentVolumeClaim; template: PersistentVolumeClaim }[], podName: string, storageClasses: ReadonlyMap<string, StorageClassInfo>): ClaimResizePlan {
  const resize: { claim: PersistentVolumeClaim; template: PersistentVolumeClaim }[] = [];
  for (const { claim, template } of claims) {
    const fit = claimFit(claim, template);
    if (fit.kind === 'matched') continue;
    const name = claim.metadata.name ?? '';
    if (fit.kind === 'incompatible') {
      const message = `can not patch pvc ${name}: contains diff other than spec resource, wait pvc to be deleted`;
      return { kind: 'refused', claim: name, message, event: `failed to update pvc ${name}: contains diff other than spec resource, wait pvc to be deleted` };
    }
    const className = claim.spec?.storageClassName;
    if (className !== undefined) {
      const storageClass = storageClasses.get(className);
      if (storageClass === undefined) return { kind: 'refused', claim: name, message: `could not get sc ${className} for ${podName} when checking PVC spec` };
      if (!storageClass.allowVolumeExpansion) return { kind: 'refused', claim: name, message: `storage class ${className} for ${podName} does not support volume expansion` };
    }
    resize.push({ claim, template });
  }
  return { kind: 'resize', claims: resize };
}
