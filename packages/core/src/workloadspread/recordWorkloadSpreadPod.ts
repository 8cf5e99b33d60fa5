import { WORKLOADSPREAD_SUBSET_SCHEDULABLE, type WorkloadSpread, type WorkloadSpreadStatus, type WorkloadSpreadSubsetStatus } from '../api/workloadSpread.js';
import { isPercentString } from '../shared/intOrPercent.js';
import { subsetCap } from './subsetMaxReplicas.js';
import { subsetStatusesOfVersion } from './computeVersionedSubsetStatuses.js';
import { WORKLOADSPREAD_VERSION_IGNORED } from './workloadSpreadPodVersion.js';

/**
 * What the pod webhook does to a WorkloadSpread's status for one pod creation, with its reason:
 * `recorded` (the pod takes a slot of `subset`: the new status to write), `unlimited` (the subset
 * has no maxReplicas: the pod goes there and nothing is written, as OpenKruise does since
 * v1.3), `already-recorded` (a retried request: the pod is in a subset's creatingPods or
 * deletingPods, nothing to write), `no-subset` (every subset is full or unschedulable: the pod is
 * created unchanged).
 */
export type PodCreationRecord =
  | { readonly kind: 'recorded'; readonly subset: string; readonly key: string; readonly status: WorkloadSpreadStatus }
  | { readonly kind: 'unlimited'; readonly subset: string }
  | { readonly kind: 'already-recorded'; readonly subset: string }
  | { readonly kind: 'no-subset'; readonly reason: 'no-subset-status' | 'all-subsets-full' };

/**
 * What the webhook does to the status for a pod deletion or eviction: `recorded` (the slot is
 * released: missingReplicas + 1, the pod in deletingPods), `unlimited` (no maxReplicas: nothing to
 * release, nothing written), `already-recorded`, or `no-subset` (the subset the pod names has no
 * status).
 */
export type PodDeletionRecord =
  | { readonly kind: 'recorded'; readonly subset: string; readonly status: WorkloadSpreadStatus }
  | { readonly kind: 'unlimited'; readonly subset: string }
  | { readonly kind: 'already-recorded'; readonly subset: string }
  | { readonly kind: 'no-subset'; readonly reason: 'unknown-subset' };

function recordedIn(statuses: readonly WorkloadSpreadSubsetStatus[], key: string): WorkloadSpreadSubsetStatus | undefined {
  return statuses.find((s) => Object.hasOwn(s.creatingPods ?? {}, key) || Object.hasOwn(s.deletingPods ?? {}, key));
}

/** Returns whether the subset status carries `Schedulable: False` (the Adaptive strategy marked it). */
export function isSubsetUnschedulable(status: WorkloadSpreadSubsetStatus): boolean {
  return (status.conditions ?? []).some((c) => c.type === WORKLOADSPREAD_SUBSET_SCHEDULABLE && c.status === 'False');
}

// The status with `next` in place in the version's list (OpenKruise writes
// `versionedSubsetStatuses[version]`); the versionIgnored list is the unversioned one as well, so
// both stay the same count of a workload without versions.
function withSubset(status: WorkloadSpreadStatus | undefined, version: string, statuses: readonly WorkloadSpreadSubsetStatus[], next: WorkloadSpreadSubsetStatus): WorkloadSpreadStatus {
  const list = statuses.map((s) => (s.name === next.name ? next : s));
  return {
    ...status,
    ...(version === WORKLOADSPREAD_VERSION_IGNORED ? { subsetStatuses: list } : {}),
    versionedSubsetStatuses: { ...status?.versionedSubsetStatuses, [version]: list },
  };
}

/**
 * Returns whether any subset caps with a percentage, so the workload's replicas matter to the
 * first statuses (OpenKruise's `hasPercentSubset`: otherwise it does not read the workload).
 *
 * @example subsets [{ maxReplicas: 2 }, { maxReplicas: '50%' }] → true
 */
export function hasPercentSubset(ws: WorkloadSpread): boolean {
  return ws.spec.subsets.some((s) => s.maxReplicas !== undefined && isPercentString(s.maxReplicas));
}

/**
 * Returns the subset statuses the pod webhook starts from when the WorkloadSpread has none yet
 * (OpenKruise's `initializedSubsetStatuses`): one per subset, in order, replicas 0 and
 * missingReplicas the subset's cap against `workloadReplicas` (a percentage rounded up; −1 with
 * no maxReplicas; an unreadable cap counts 0).
 *
 * @example subsets a '50%', b (no cap), workloadReplicas 5 → [{ name: 'a', replicas: 0, missingReplicas: 3 }, { name: 'b', replicas: 0, missingReplicas: -1 }]
 */
export function initialSubsetStatuses(ws: WorkloadSpread, workloadReplicas: number): WorkloadSpreadSubsetStatus[] {
  return ws.spec.subsets.map((subset) => {
    const cap = subsetCap(subset, workloadReplicas);
    return { name: subset.name, replicas: 0, missingReplicas: cap.kind === 'unlimited' ? -1 : cap.kind === 'limited' ? cap.max : 0 };
  });
}

/** The pod the webhook records: its name (empty under generateName), the id generated for it, and its version. */
export interface RecordedPod {
  /** The pod's name; empty for a pod created with `generateName`. */
  readonly name: string;
  /** The id the webhook generated for a pod without a name, its key in creatingPods. */
  readonly generatedUid: string;
  /** The pod's version (`podWorkloadVersion`); default `versionIgnored`. */
  readonly version?: string | undefined;
}

/**
 * Returns how a pod creation changes the WorkloadSpread's status (OpenKruise's `updateSubsetForPod`
 * on Create), deciding on the subset statuses of the pod's version only
 * ({@link subsetStatusesOfVersion}): the first subset status, in order, that is not `Schedulable:
 * False` and has room (missingReplicas > 0, or −1 for unlimited) takes the pod; in a capped subset
 * its `key` (the pod's name, or `generatedUid` for a pod created by `generateName`) enters
 * creatingPods at `now` and missingReplicas drops by one, in `versionedSubsetStatuses[version]`
 * (and, for `versionIgnored`, in `subsetStatuses` too). The caller writes `status` with the
 * resourceVersion it read, and on a 409 reads again and asks again. A version with no statuses yet
 * (a new Deployment revision, or a WorkloadSpread its controller has not counted) starts from
 * `initial` (see {@link initialSubsetStatuses}; the whole list is then written), or, without it,
 * admits the pod unchanged.
 *
 * @example subsets a (missing 0), b (missing 2), c (−1); pod web-x at t →
 *   { kind: 'recorded', subset: 'b', key: 'web-x', status: b { missingReplicas: 1, creatingPods: { 'web-x': t } } }
 * @example versioned { old: [a (missing 0), b (−1)] }, pod of version new, initial [a (missing 3), b (−1)] →
 *   recorded in a: versioned { old: unchanged, new: [a (missing 2, creatingPods { pod }), b (−1)] }
 */
export function recordPodCreation(ws: WorkloadSpread, pod: RecordedPod, now: string, initial?: readonly WorkloadSpreadSubsetStatus[]): PodCreationRecord {
  const version = pod.version ?? WORKLOADSPREAD_VERSION_IGNORED;
  const statuses = subsetStatusesOfVersion(ws.status, version) ?? initial ?? [];
  if (pod.name !== '') {
    const known = recordedIn(statuses, pod.name);
    if (known !== undefined) return { kind: 'already-recorded', subset: known.name };
  }
  if (statuses.length === 0) return { kind: 'no-subset', reason: 'no-subset-status' };
  const chosen = statuses.find((s) => !isSubsetUnschedulable(s) && (s.missingReplicas > 0 || s.missingReplicas === -1));
  if (chosen === undefined) return { kind: 'no-subset', reason: 'all-subsets-full' };
  if (chosen.missingReplicas === -1) return { kind: 'unlimited', subset: chosen.name };
  const key = pod.name !== '' ? pod.name : pod.generatedUid;
  const next: WorkloadSpreadSubsetStatus = {
    ...chosen,
    creatingPods: { ...chosen.creatingPods, [key]: now },
    missingReplicas: chosen.missingReplicas - 1,
  };
  return { kind: 'recorded', subset: chosen.name, key, status: withSubset(ws.status, version, statuses, next) };
}

/**
 * Returns how a pod deletion or eviction changes the status (OpenKruise's `updateSubsetForPod` on
 * Delete/Eviction), in the statuses of the pod's version: a capped subset the pod's annotation
 * names gets the pod in deletingPods at `now` and one more missingReplicas; a pod already recorded,
 * or of an unlimited subset, changes nothing; a version with no statuses releases nothing
 * (`no-subset`).
 *
 * @example subset b { missingReplicas: 0 }, delete web-3 of b → b { missingReplicas: 1, deletingPods: { 'web-3': t } }
 */
export function recordPodDeletion(ws: WorkloadSpread, pod: { readonly name: string; readonly subset: string; readonly version?: string | undefined }, now: string): PodDeletionRecord {
  const version = pod.version ?? WORKLOADSPREAD_VERSION_IGNORED;
  const statuses = subsetStatusesOfVersion(ws.status, version) ?? [];
  const known = recordedIn(statuses, pod.name);
  if (known !== undefined) return { kind: 'already-recorded', subset: known.name };
  const subset = statuses.find((s) => s.name === pod.subset);
  if (subset === undefined) return { kind: 'no-subset', reason: 'unknown-subset' };
  if (subset.missingReplicas === -1) return { kind: 'unlimited', subset: subset.name };
  const next: WorkloadSpreadSubsetStatus = {
    ...subset,
    deletingPods: { ...subset.deletingPods, [pod.name]: now },
    missingReplicas: subset.missingReplicas + 1,
  };
  return { kind: 'recorded', subset: subset.name, status: withSubset(ws.status, version, statuses, next) };
}
