import { CONTROLLER_REVISION_HASH_LABEL } from '../api/labels.js';
import type { PersistentVolumeClaim, Pod } from '../api/pod.js';
import type { StatefulSet, StatefulSetCondition, StatefulSetStatus, VolumeClaimStatus } from '../api/statefulSet.js';
import { isPodTerminating, isRunningAndReady, type EpochMs } from '../shared/podState.js';
import { compareQuantities } from '../shared/quantity.js';
import { labelSelectorToString } from '../shared/selector.js';
import { canonicalJson } from '../shared/revision.js';
import { isCreated, statefulPodAvailability } from './statefulPodState.js';
import { podOrdinal, statefulSetClaimName } from './statefulSetPod.js';
import type { StatefulSetSettings } from './statefulSetSettings.js';

/** What {@link computeStatefulSetStatus} counts. */
export interface StatefulSetStatusInput {
  readonly set: StatefulSet;
  readonly settings: Pick<StatefulSetSettings, 'minReadySeconds' | 'updateType'>;
  /** The pods counted: the replicas and the condemned pods (every pod of the set while it is being deleted). */
  readonly pods: readonly Pod[];
  /** The pods whose PVCs `volumeClaims` counts: the replicas, including those about to be created. */
  readonly replicas: readonly Pod[];
  readonly pvcs: readonly PersistentVolumeClaim[];
  readonly currentRevision: string;
  readonly updateRevision: string;
  readonly collisionCount: number;
  readonly now: EpochMs;
  /** Pods the pass deleted or updated that were counted at the current / update revision (OpenKruise lowers the counts). */
  readonly currentDecrease?: number;
  readonly updatedDecrease?: number;
}

const revisionOf = (pod: Pod): string => pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';

// storage `a` >= storage `b`, a missing value counting as 0 (Go's `Storage()` of an empty list).
function atLeast(a: string | number | undefined, b: string | number | undefined): boolean {
  const order = compareQuantities(a ?? 0, b ?? 0);
  return order.kind === 'compared' && order.order >= 0;
}

// OpenKruise `IsClaimCompatibleWithoutSize`: same storage class (when both say) and the same access modes in order.
function compatibleWithoutSize(claim: PersistentVolumeClaim, template: PersistentVolumeClaim): boolean {
  const a = claim.spec?.storageClassName;
  const b = template.spec?.storageClassName;
  if (a !== undefined && b !== undefined && a !== b) return false;
  return canonicalJson(claim.spec?.accessModes ?? []) === canonicalJson(template.spec?.accessModes ?? []);
}

/**
 * Returns `status.volumeClaims` (OpenKruise `updatePVCStatus`): per claim template, how many
 * replicas' PVCs request at least the template's storage (compatible), and how many of those also
 * have that capacity (ready). Missing and terminating PVCs are skipped.
 *
 * @example template 'data' 1Gi; data-web-0 requests 1Gi with capacity 1Gi, data-web-1 requests 1Gi pending
 *   // [{ volumeClaimName: 'data', compatibleReplicas: 2, compatibleReadyReplicas: 1 }]
 */
export function volumeClaimsStatus(set: StatefulSet, replicas: readonly Pod[], pvcs: readonly PersistentVolumeClaim[]): VolumeClaimStatus[] {
  const templates = set.spec.volumeClaimTemplates ?? [];
  const byName = new Map(pvcs.map((pvc) => [pvc.metadata.name ?? '', pvc]));
  const setName = set.metadata?.name ?? '';
  return templates.map((template) => {
    const templateName = template.metadata.name ?? '';
    let compatibleReplicas = 0;
    let compatibleReadyReplicas = 0;
    for (const pod of replicas) {
      const claim = byName.get(statefulSetClaimName(templateName, setName, podOrdinal(pod)));
      if (claim === undefined || claim.metadata.deletionTimestamp !== undefined || !compatibleWithoutSize(claim, template)) continue;
      const requested = claim.spec?.resources?.requests?.['storage'];
      if (!atLeast(requested, template.spec?.resources?.requests?.['storage'])) continue;
      compatibleReplicas++;
      if (atLeast(claim.status?.capacity?.['storage'], requested)) compatibleReadyReplicas++;
    }
    return { volumeClaimName: templateName, compatibleReplicas, compatibleReadyReplicas };
  });
}

/**
 * Returns the status of an Advanced StatefulSet from its pods (OpenKruise `updateStatus` and
 * `completeRollingUpdate`): created pods are `replicas`; Running and Ready pods `readyReplicas`,
 * of which those available for minReadySeconds `availableReplicas`; non-terminating pods at the
 * current/update revision `currentReplicas`/`updatedReplicas`, with their ready and available
 * counts. A RollingUpdate whose pods are all updated and ready is complete: the current revision
 * becomes the update revision. Fields Go omits when empty are omitted; conditions start empty
 * (OpenKruise writes a fresh status: a stored condition survives only while the status is not
 * rewritten, see {@link isStatusInconsistent}).
 *
 * @example 3 ready pods at r2, current r1, update r2 → { replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, currentRevision: 'r2', ... }
 */
export function computeStatefulSetStatus(input: StatefulSetStatusInput): StatefulSetStatus {
  const { set, now } = input;
  const { minReadySeconds } = input.settings;
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let current = 0;
  let updated = 0;
  let updatedReady = 0;
  let updatedAvailable = 0;
  for (const pod of input.pods) {
    if (isCreated(pod)) replicas++;
    const revision = revisionOf(pod);
    if (isRunningAndReady(pod)) {
      ready++;
      const isAvailable = statefulPodAvailability(pod, minReadySeconds, now).available;
      if (revision === input.updateRevision) {
        updatedReady++;
        if (isAvailable) updatedAvailable++;
      }
      if (isAvailable) available++;
    }
    if (isCreated(pod) && !isPodTerminating(pod)) {
      if (revision === input.currentRevision) current++;
      if (revision === input.updateRevision) updated++;
    }
  }
  current -= input.currentDecrease ?? 0;
  updated -= input.updatedDecrease ?? 0;
  let currentRevision = input.currentRevision;
  if (input.settings.updateType === 'RollingUpdate' && updated === replicas && ready === replicas) {
    current = updated;
    currentRevision = input.updateRevision;
  }
  const generation = set.metadata?.generation ?? 0;
  const volumeClaims = volumeClaimsStatus(set, input.replicas, input.pvcs);
  const labelSelector = labelSelectorToString(set.spec.selector);
  // OpenKruise writes a fresh status: the conditions of earlier passes go (a failure this pass sets its own again).
  const conditions: StatefulSetCondition[] = [];
  const omitZero = (key: string, value: number) => (value === 0 ? {} : { [key]: value });
  return {
    ...(generation === 0 ? {} : { observedGeneration: generation }),
    replicas,
    ...omitZero('readyReplicas', ready),
    availableReplicas: available,
    ...omitZero('currentReplicas', current),
    ...omitZero('updatedReplicas', updated),
    ...omitZero('updatedReadyReplicas', updatedReady),
    ...omitZero('updatedAvailableReplicas', updatedAvailable),
    ...(currentRevision === '' ? {} : { currentRevision }),
    ...(input.updateRevision === '' ? {} : { updateRevision: input.updateRevision }),
    collisionCount: input.collisionCount,
    ...(conditions.length === 0 ? {} : { conditions: [...conditions] }),
    ...(labelSelector === '' ? {} : { labelSelector }),
    ...(volumeClaims.length === 0 ? {} : { volumeClaims }),
  };
}

/**
 * Returns whether a computed status differs from the stored one in what OpenKruise compares
 * before writing (`inconsistentStatus`): a newer observedGeneration, the counts (not the
 * updated-ready/available ones), the revisions, the label selector, the volume claim counts.
 * When it does not, the stored status is left as it is.
 */
export function isStatusInconsistent(stored: StatefulSetStatus | undefined, computed: StatefulSetStatus): boolean {
  const s = stored ?? {};
  const n = (v: number | undefined) => v ?? 0;
  if (n(computed.observedGeneration) > n(s.observedGeneration)) return true;
  for (const key of ['replicas', 'currentReplicas', 'readyReplicas', 'availableReplicas', 'updatedReplicas'] as const) if (n(computed[key]) !== n(s[key])) return true;
  if ((computed.currentRevision ?? '') !== (s.currentRevision ?? '') || (computed.updateRevision ?? '') !== (s.updateRevision ?? '') || (computed.labelSelector ?? '') !== (s.labelSelector ?? '')) return true;
  const storedClaims = new Map((s.volumeClaims ?? []).map((v) => [v.volumeClaimName, v]));
  const computedClaims = new Map((computed.volumeClaims ?? []).map((v) => [v.volumeClaimName, v]));
  for (const [name, old] of storedClaims) {
    const now = computedClaims.get(name);
    if (now === undefined || now.compatibleReplicas !== old.compatibleReplicas || now.compatibleReadyReplicas !== old.compatibleReadyReplicas) return true;
  }
  return false;
}
