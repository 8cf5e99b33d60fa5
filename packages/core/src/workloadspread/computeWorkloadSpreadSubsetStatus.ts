import type { Pod } from '../api/pod.js';
import type { WorkloadSpreadSubset, WorkloadSpreadSubsetStatus } from '../api/workloadSpread.js';
import { isPodActive, parseTime, type EpochMs } from '../shared/podState.js';
import type { PassEvent } from '../workload/workloadEffect.js';
import { readMatchedWorkloadSpread } from './matchedWorkloadSpread.js';
import { subsetCap } from './subsetMaxReplicas.js';

/** OpenKruise's `CreatPodTimeout`: a creatingPods entry the controller has not seen as a pod is dropped after 30 s. */
export const WORKLOADSPREAD_CREATE_POD_TIMEOUT_MS = 30_000;
/** OpenKruise's `DeletePodTimeout`: a deletingPods entry whose pod still lives is dropped after 15 s. */
export const WORKLOADSPREAD_DELETE_POD_TIMEOUT_MS = 15_000;

/** What {@link computeWorkloadSpreadSubsetStatus} reads. */
export interface SubsetStatusInput {
  readonly subset: WorkloadSpreadSubset;
  /** The workload's pods the controller put in this subset. */
  readonly pods: readonly Pod[];
  /** The subset's status as stored (its creatingPods and deletingPods). */
  readonly old: WorkloadSpreadSubsetStatus | undefined;
  readonly workloadReplicas: number;
  readonly namespace: string;
  readonly now: EpochMs;
}

/** A subset's recounted status, the events of dropped entries, and when an entry kept will expire. */
export type SubsetStatusResult =
  | { readonly kind: 'computed'; readonly status: WorkloadSpreadSubsetStatus; readonly events: readonly PassEvent[]; readonly requeueAfterMs: number | undefined }
  | { readonly kind: 'invalid-max-replicas' };

const earliest = (a: number | undefined, b: number): number => (a === undefined ? b : Math.min(a, b));

/**
 * Returns a subset's status recounted from its pods (OpenKruise's
 * `calculateWorkloadSpreadSubsetStatus`): `replicas` = active pods; missingReplicas starts at the
 * cap (−1 unlimited) and drops by one per active pod (not below 0); a live pod still in
 * deletingPods within 15 s stays there and gives its slot back (+1, up to the cap); a creatingPods
 * entry whose pod is not seen yet stays for 30 s and holds a slot (−1); expired entries are dropped
 * with a `DeletePodFailed` / `CreatePodFailed` warning.
 *
 * @example cap 2; pods a (active), b (active, deleting since now−5 s); creating { c: now−40 s }
 *   → replicas 2, missingReplicas 1, deletingPods { b }, creatingPods {} and a CreatePodFailed event for c
 */
export function computeWorkloadSpreadSubsetStatus(input: SubsetStatusInput): SubsetStatusResult {
  const cap = subsetCap(input.subset, input.workloadReplicas);
  if (cap.kind === 'invalid') return { kind: 'invalid-max-replicas' };
  const max = cap.kind === 'unlimited' ? -1 : cap.max;
  const creating = new Map(Object.entries(input.old?.creatingPods ?? {}));
  const oldDeleting = input.old?.deletingPods ?? {};
  const deletingPods: Record<string, string> = {};
  const creatingPods: Record<string, string> = {};
  const events: PassEvent[] = [];
  let missing = max;
  let active = 0;
  let requeueAfterMs: number | undefined;
  for (const pod of input.pods) {
    const name = pod.metadata.name ?? '';
    creating.delete(readMatchedWorkloadSpread(pod)?.uid ?? name);
    if (!isPodActive(pod)) continue;
    active++;
    if (missing > 0) missing--;
    const deletedAt = oldDeleting[name];
    if (deletedAt === undefined) continue;
    const expected = (parseTime(deletedAt) ?? 0) + WORKLOADSPREAD_DELETE_POD_TIMEOUT_MS;
    if (expected < input.now) {
      events.push({ type: 'Warning', reason: 'DeletePodFailed', message: `Pod ${input.namespace}/${name} was expected to be deleted but it wasn't` });
      continue;
    }
    deletingPods[name] = deletedAt;
    if (missing < max) missing++;
    requeueAfterMs = earliest(requeueAfterMs, expected - input.now);
  }
  for (const [key, createdAt] of creating) {
    const expected = (parseTime(createdAt) ?? 0) + WORKLOADSPREAD_CREATE_POD_TIMEOUT_MS;
    if (expected < input.now) {
      events.push({ type: 'Warning', reason: 'CreatePodFailed', message: `Pod ${input.namespace}/${key} was expected to be created but it wasn't` });
      continue;
    }
    creatingPods[key] = createdAt;
    if (missing > 0) missing--;
    requeueAfterMs = earliest(requeueAfterMs, expected - input.now);
  }
  // Empty maps are left out, as Go's omitempty writes them.
  const status: WorkloadSpreadSubsetStatus = {
    name: input.subset.name,
    replicas: active,
    missingReplicas: missing,
    ...(Object.keys(creatingPods).length > 0 ? { creatingPods } : {}),
    ...(Object.keys(deletingPods).length > 0 ? { deletingPods } : {}),
  };
  return { kind: 'computed', status, events, requeueAfterMs };
}
