import type { Pod } from '../api/pod.js';
import type { WorkloadSpread, WorkloadSpreadStatus, WorkloadSpreadSubsetStatus } from '../api/workloadSpread.js';
import type { EpochMs } from '../shared/podState.js';
import type { PassEvent } from '../workload/workloadEffect.js';
import { computeWorkloadSpreadSubsetStatus } from './computeWorkloadSpreadSubsetStatus.js';
import { WORKLOADSPREAD_VERSION_IGNORED } from './workloadSpreadPodVersion.js';

/**
 * Returns the subset statuses a pod of `version` is placed by (OpenKruise's
 * `VersionedSubsetStatuses[version]`): that version's list when it has one; for
 * {@link WORKLOADSPREAD_VERSION_IGNORED}, the unversioned `subsetStatuses` otherwise (the same
 * count, as a status written before versions were kept has it); `undefined` when neither exists, so
 * the caller starts the version from the subsets' caps.
 *
 * @example status { versionedSubsetStatuses: { '6b7f': [a] } }, version '6b7f' → [a]; version '9c1d' → undefined
 * @example status { subsetStatuses: [a, b] }, version 'versionIgnored' → [a, b]
 */
export function subsetStatusesOfVersion(status: WorkloadSpreadStatus | undefined, version: string): readonly WorkloadSpreadSubsetStatus[] | undefined {
  const versioned = status?.versionedSubsetStatuses?.[version];
  if (versioned !== undefined && versioned.length > 0) return versioned;
  const unversioned = status?.subsetStatuses;
  return version === WORKLOADSPREAD_VERSION_IGNORED && unversioned !== undefined && unversioned.length > 0 ? unversioned : undefined;
}

const hasEntries = (status: WorkloadSpreadSubsetStatus): boolean => Object.keys(status.creatingPods ?? {}).length > 0 || Object.keys(status.deletingPods ?? {}).length > 0;

/**
 * Returns the stored status of subset `name` the unversioned recount starts from: the unversioned
 * entry with the creatingPods and deletingPods of every version's entry of that subset added (the
 * webhook records a versioned pod's creation under its version only, and the whole-workload count
 * must hold those slots too); `undefined` when no entry names the subset.
 *
 * @example subsetStatuses [a {}], versioned { v1: [a { creatingPods: { p: t } }] } → a { creatingPods: { p: t } }
 */
export function mergedSubsetStatus(status: WorkloadSpreadStatus | undefined, name: string): WorkloadSpreadSubsetStatus | undefined {
  const own = (status?.subsetStatuses ?? []).find((s) => s.name === name);
  const versioned = Object.values(status?.versionedSubsetStatuses ?? {}).flatMap((list) => list.filter((s) => s.name === name));
  if (versioned.length === 0) return own;
  const base = own ?? versioned[0];
  if (base === undefined) return undefined;
  const all = [own, ...versioned].filter((s): s is WorkloadSpreadSubsetStatus => s !== undefined);
  const creatingPods = Object.assign({}, ...all.map((s) => s.creatingPods ?? {})) as Record<string, string>;
  const deletingPods = Object.assign({}, ...all.map((s) => s.deletingPods ?? {})) as Record<string, string>;
  return { ...base, creatingPods, deletingPods };
}

/** What {@link computeVersionedSubsetStatuses} reads. */
export interface VersionedSubsetStatusesInput {
  readonly ws: WorkloadSpread;
  /** The workload's pods by version, then by the subset they are in. */
  readonly podsByVersion: ReadonlyMap<string, ReadonlyMap<string, readonly Pod[]>>;
  readonly workloadReplicas: number;
  /** The recounted unversioned statuses: each version's subset takes its `Schedulable` condition. */
  readonly subsetStatuses: readonly WorkloadSpreadSubsetStatus[];
  readonly now: EpochMs;
}

/** The recounted `versionedSubsetStatuses`, the events of dropped entries and when a kept entry expires. */
export type VersionedSubsetStatusesResult =
  | { readonly kind: 'computed'; readonly versioned: Record<string, WorkloadSpreadSubsetStatus[]>; readonly events: readonly PassEvent[]; readonly requeueAfterMs: number | undefined }
  | { readonly kind: 'invalid-max-replicas' };

/**
 * Returns the WorkloadSpread's `versionedSubsetStatuses` recounted (OpenKruise's
 * `calculateWorkloadSpreadStatus` over `groupVersionedPods`): for each pod version, every subset's
 * status counted from that version's pods alone against the subset's full cap, so that during a
 * rolling update that creates before it deletes each version may fill each subset up to
 * maxReplicas. A version has an entry while the workload has a pod of it; a version with no pod yet
 * keeps its entry while a creatingPods/deletingPods record of it has not expired (the webhook placed
 * a pod the controller has not seen). Each version starts from its own stored entries (see
 * {@link subsetStatusesOfVersion}) and takes the unversioned subset's conditions.
 *
 * @example subsets zone-a (max 3), zone-b (no max); version old has 3 pods in zone-a and 2 in zone-b,
 *   version new 3 and 2 → old: zone-a { replicas 3, missing 0 }, zone-b { replicas 2, missing −1 }; new: the same
 *   (the unversioned zone-a counts 6, missing 0)
 * @example zone-a (max 2); old has 2 pods there, new has none and a creatingPods record from 5 s ago
 *   → old: zone-a { replicas 2, missing 0 }; new: zone-a { replicas 0, missing 1, creatingPods { new-x } }
 */
export function computeVersionedSubsetStatuses(input: VersionedSubsetStatusesInput): VersionedSubsetStatusesResult {
  const { ws, now } = input;
  const namespace = ws.metadata?.namespace ?? '';
  const stored = ws.status?.versionedSubsetStatuses ?? {};
  const pending = Object.keys(stored).filter((version) => (stored[version] ?? []).some(hasEntries));
  const versions = [...new Set([...input.podsByVersion.keys(), ...pending])].sort();
  const conditions = new Map(input.subsetStatuses.map((s) => [s.name, s.conditions]));
  const versioned: Record<string, WorkloadSpreadSubsetStatus[]> = {};
  const events: PassEvent[] = [];
  let requeueAfterMs: number | undefined;
  for (const version of versions) {
    const groups = input.podsByVersion.get(version);
    const old = new Map((subsetStatusesOfVersion(ws.status, version) ?? []).map((s) => [s.name, s]));
    const statuses: WorkloadSpreadSubsetStatus[] = [];
    for (const subset of ws.spec.subsets) {
      const computed = computeWorkloadSpreadSubsetStatus({ subset, pods: groups?.get(subset.name) ?? [], old: old.get(subset.name), workloadReplicas: input.workloadReplicas, namespace, now });
      if (computed.kind === 'invalid-max-replicas') return { kind: 'invalid-max-replicas' };
      events.push(...computed.events);
      if (computed.requeueAfterMs !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? computed.requeueAfterMs, computed.requeueAfterMs);
      const kept = conditions.get(subset.name);
      statuses.push(kept === undefined ? computed.status : { ...computed.status, conditions: kept });
    }
    if (groups !== undefined || statuses.some(hasEntries)) versioned[version] = statuses;
  }
  return { kind: 'computed', versioned, events, requeueAfterMs };
}
