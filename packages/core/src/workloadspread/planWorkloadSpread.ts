import { POD_DELETION_COST_ANNOTATION } from '../api/labels.js';
import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import { MATCHED_WORKLOADSPREAD_ANNOTATION, WORKLOADSPREAD_SUBSET_SCHEDULABLE, type WorkloadSpread, type WorkloadSpreadStatus, type WorkloadSpreadSubsetStatus } from '../api/workloadSpread.js';
import { canonicalJson } from '../shared/revision.js';
import type { EpochMs } from '../shared/podState.js';
import type { PassEvent } from '../workload/workloadEffect.js';
import { computeWorkloadSpreadSubsetStatus } from './computeWorkloadSpreadSubsetStatus.js';
import { formatMatchedWorkloadSpread, readMatchedWorkloadSpread } from './matchedWorkloadSpread.js';
import { matchSubsetForNode } from './matchSubsetForNode.js';
import { subsetCap } from './subsetMaxReplicas.js';
import { planSubsetDeletionCost, type PodDeletionCost } from './planSubsetDeletionCost.js';
import { planSubsetSchedulable } from './planSubsetSchedulable.js';
import { computeVersionedSubsetStatuses, mergedSubsetStatus } from './computeVersionedSubsetStatuses.js';
import { DEFAULT_VERSIONED_STATUS_KINDS, podWorkloadVersion, WORKLOADSPREAD_VERSION_IGNORED } from './workloadSpreadPodVersion.js';

/** The kinds whose scale-down reads `controller.kubernetes.io/pod-deletion-cost` (OpenKruise's `isEffectiveKindForDeletionCost`). */
export const DELETION_COST_KINDS: readonly string[] = ['CloneSet', 'Deployment', 'ReplicaSet'];

/** What one WorkloadSpread pass reads. */
export interface WorkloadSpreadPassInput {
  readonly ws: WorkloadSpread;
  /** The target workload's pods (all phases). */
  readonly pods: readonly Pod[];
  /**
   * The nodes of pods that name no subset (pods created before the WorkloadSpread), by name: such
   * a pod is put in the subset its node fits ({@link matchSubsetForNode}). Absent: they stay in no subset.
   */
  readonly nodes?: ReadonlyMap<string, Node> | undefined;
  /** The workload's replicas (a Job's parallelism): the base of percentage caps. */
  readonly workloadReplicas: number;
  readonly now: EpochMs;
  /** The workload kinds whose pods are counted per version (default {@link DEFAULT_VERSIONED_STATUS_KINDS}). */
  readonly versionedKinds?: ReadonlySet<string> | undefined;
  /**
   * The workload's newest version (OpenKruise's `GetWorkloadVersion`: a Deployment's newest
   * ReplicaSet's pod-template-hash, a CloneSet's short updateRevision when versioned, else
   * `versionIgnored`, the default): its pods are scaled in from the last subset, the other
   * versions' pods from the first.
   */
  readonly latestVersion?: string | undefined;
}

/** One pass of the WorkloadSpread controller, or why it writes nothing. */
export type WorkloadSpreadPassPlan =
  | {
      readonly kind: 'sync';
      /** The recounted status; write it when `statusChanged`. */
      readonly status: WorkloadSpreadStatus;
      readonly statusChanged: boolean;
      /** Pods created before the WorkloadSpread put in a subset by their node: the metadata to patch on them. */
      readonly adoptions: readonly SubsetAdoption[];
      /** Deletion costs to patch (only pods whose annotation differs). */
      readonly deletionCosts: readonly PodDeletionCost[];
      /** Pods the Adaptive strategy deletes (unschedulable too long), by subset. */
      readonly podsToDelete: readonly { readonly pod: string; readonly subset: string }[];
      readonly events: readonly PassEvent[];
      /** When an entry or condition expires and the pass must run again. */
      readonly requeueAfterMs: number | undefined;
    }
  | { readonly kind: 'skip'; readonly reason: 'invalid-max-replicas' };

/** A pod created before its WorkloadSpread, put in a subset by its node, and the metadata patch that records it. */
export interface SubsetAdoption {
  readonly pod: string;
  readonly subset: string;
  /** Labels and annotations of the subset's patch (unless the WorkloadSpread ignores them for existing pods) and the matched annotation. */
  readonly metadata: { readonly labels?: Readonly<Record<string, string>>; readonly annotations: Readonly<Record<string, string>> };
}

/** WorkloadSpread annotation: `"true"` keeps a subset's patch metadata off the pods it adopts. */
export const IGNORE_PATCH_EXISTING_PODS_ANNOTATION = 'workloadspread.kruise.io/ignore-patch-existing-pods-metadata';

/** The pseudo subset of pods that name no subset of this WorkloadSpread. */
const NO_SUBSET = '';
const UNLIMITED = 2147483647;

const stringRecord = (value: unknown): Record<string, string> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string')) : undefined;

function adoptionOf(ws: WorkloadSpread, pod: Pod, subset: string): SubsetAdoption {
  const patch = ws.spec.subsets.find((s) => s.name === subset)?.patch;
  const ignore = (ws.metadata?.annotations?.[IGNORE_PATCH_EXISTING_PODS_ANNOTATION] ?? '').toLowerCase() === 'true';
  const metadata = ignore ? undefined : (patch?.['metadata'] as { labels?: unknown; annotations?: unknown } | undefined);
  const labels = stringRecord(metadata?.labels);
  const annotations = { ...stringRecord(metadata?.annotations), [MATCHED_WORKLOADSPREAD_ANNOTATION]: formatMatchedWorkloadSpread({ name: ws.metadata?.name ?? '', subset }) };
  return { pod: pod.metadata.name ?? '', subset, metadata: { ...(labels === undefined ? {} : { labels }), annotations } };
}

// OpenKruise's groupPod: pods by the subset their annotation names; a pod naming none (created
// before the WorkloadSpread) goes to the subset its node fits, counted against the room left.
function groupPodsBySubset(ws: WorkloadSpread, pods: readonly Pod[], replicas: number, nodes: ReadonlyMap<string, Node> | undefined): { groups: Map<string, Pod[]>; adoptions: SubsetAdoption[] } {
  const groups = new Map<string, Pod[]>([[NO_SUBSET, []], ...ws.spec.subsets.map((s): [string, Pod[]] => [s.name, []])]);
  const ownSubset = (pod: Pod): string | undefined => {
    const matched = readMatchedWorkloadSpread(pod);
    return matched !== undefined && matched.name === ws.metadata?.name && matched.subset !== '' ? matched.subset : undefined;
  };
  const missing = new Map(ws.spec.subsets.map((s) => {
    const cap = subsetCap(s, replicas);
    return [s.name, cap.kind === 'limited' ? cap.max : cap.kind === 'unlimited' ? UNLIMITED : 0];
  }));
  for (const pod of pods) {
    const subset = ownSubset(pod);
    if (subset !== undefined && missing.has(subset)) missing.set(subset, (missing.get(subset) ?? 0) - 1);
  }
  const adoptions: SubsetAdoption[] = [];
  for (const pod of pods) {
    let subset = ownSubset(pod);
    const node = subset === undefined ? nodes?.get(pod.spec.nodeName ?? '') : undefined;
    if (node !== undefined) {
      subset = matchSubsetForNode(ws, pod, node, missing);
      if (subset !== undefined) {
        missing.set(subset, (missing.get(subset) ?? 0) - 1);
        adoptions.push(adoptionOf(ws, pod, subset));
      }
    }
    groups.get(subset !== undefined && groups.has(subset) ? subset : NO_SUBSET)?.push(pod);
  }
  return { groups, adoptions };
}

// OpenKruise's groupVersionedPods: the pods by version, each version grouped by subset on its own
// (the room a pod created before the WorkloadSpread is adopted against is its version's).
function groupVersionedPods(input: WorkloadSpreadPassInput): { byVersion: Map<string, Map<string, Pod[]>>; groups: Map<string, Pod[]>; adoptions: SubsetAdoption[] } {
  const kinds = input.versionedKinds ?? DEFAULT_VERSIONED_STATUS_KINDS;
  const versions = new Map<string, Pod[]>();
  for (const pod of input.pods) {
    const version = podWorkloadVersion(pod, kinds);
    const members = versions.get(version);
    if (members === undefined) versions.set(version, [pod]);
    else members.push(pod);
  }
  const byVersion = new Map<string, Map<string, Pod[]>>();
  const groups = new Map<string, Pod[]>([[NO_SUBSET, []], ...input.ws.spec.subsets.map((s): [string, Pod[]] => [s.name, []])]);
  const adoptions: SubsetAdoption[] = [];
  for (const [version, pods] of versions) {
    const grouped = groupPodsBySubset(input.ws, pods, input.workloadReplicas, input.nodes);
    byVersion.set(version, grouped.groups);
    adoptions.push(...grouped.adoptions);
    for (const [subset, members] of grouped.groups) groups.get(subset)?.push(...members);
  }
  return { byVersion, groups, adoptions };
}

const sameStatuses = (a: readonly WorkloadSpreadSubsetStatus[] | undefined, b: readonly WorkloadSpreadSubsetStatus[]): boolean => canonicalJson(a ?? []) === canonicalJson(b);

function rescheduleSeconds(ws: WorkloadSpread): number {
  const strategy = ws.spec.scheduleStrategy;
  return strategy?.type === 'Adaptive' ? (strategy.adaptive?.rescheduleCriticalSeconds ?? 0) : 0;
}

// The deletion costs of one version's pods (OpenKruise's updateDeletionCostBySubset): the newest
// version keeps the subsets' order (scale-in from the last subset), older versions reverse it
// (their pods leave the first subsets first, where the new version is placed).
function versionDeletionCosts(ws: WorkloadSpread, groups: ReadonlyMap<string, readonly Pod[]>, reverse: boolean, workloadReplicas: number): PodDeletionCost[] {
  const subsets = ws.spec.subsets;
  const costs: PodDeletionCost[] = [];
  for (const [index, subset] of subsets.entries()) {
    const position = reverse ? subsets.length - index - 1 : index;
    costs.push(...planSubsetDeletionCost({ subset, index: position, subsetCount: subsets.length, pods: groups.get(subset.name) ?? [], workloadReplicas }));
  }
  const strays = groups.get(NO_SUBSET) ?? [];
  if (strays.length > 0) costs.push(...planSubsetDeletionCost({ subset: undefined, index: subsets.length, subsetCount: subsets.length, pods: strays, workloadReplicas }));
  return costs;
}

const sameEvent = (a: PassEvent, b: PassEvent): boolean => a.type === b.type && a.reason === b.reason && a.message === b.message;

/**
 * Returns one pass of the WorkloadSpread controller (OpenKruise's `syncWorkloadSpread`): the pods
 * grouped by version and by the subset their `matched-workloadspread` annotation names (a pod naming
 * none put in the subset its node fits and annotated, else in a no-subset group), deletion costs per
 * version and subset (CloneSet, Deployment, ReplicaSet targets; the newest version in subset order,
 * older versions in reverse), each subset's status recounted over all pods, the same per version in
 * `versionedSubsetStatuses` ({@link computeVersionedSubsetStatuses}), and under Adaptive with
 * rescheduleCriticalSeconds > 0 the `Schedulable` conditions and the unschedulable pods to delete
 * (without it the condition is removed).
 *
 * @example CloneSet of 6, subsets a (max 2), b (max 2), c (no max), 2 pods each →
 *   status a/b/c replicas 2, missingReplicas 0/0/−1; costs a "300", b "200", c "100";
 *   versionedSubsetStatuses { versionIgnored: the same three }
 * @example Deployment mid-rollout, subsets a (max 3), b: old (2 in a, 3 in b), new (3 in a, 0 in b), latest new →
 *   costs new: a "200"; old: a "100", b "200" (the old pods in a go first);
 *   versioned old a { 2, missing 1 }, new a { 3, missing 0 }
 */
export function planWorkloadSpread(input: WorkloadSpreadPassInput): WorkloadSpreadPassPlan {
  const { ws, now } = input;
  const subsets = ws.spec.subsets;
  const namespace = ws.metadata?.namespace ?? '';
  const { byVersion, groups, adoptions } = groupVersionedPods(input);
  const critical = rescheduleSeconds(ws);
  const latest = input.latestVersion ?? WORKLOADSPREAD_VERSION_IGNORED;
  const costs = DELETION_COST_KINDS.includes(ws.spec.targetRef?.kind ?? '')
    ? [...byVersion].flatMap(([version, versionGroups]) => versionDeletionCosts(ws, versionGroups, version !== latest, input.workloadReplicas))
    : [];
  const statuses: WorkloadSpreadSubsetStatus[] = [];
  const podsToDelete: { pod: string; subset: string }[] = [];
  const events: PassEvent[] = [];
  let requeueAfterMs: number | undefined;
  const requeue = (ms: number | undefined): void => {
    if (ms !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? ms, ms);
  };
  for (const [index, subset] of subsets.entries()) {
    const pods = groups.get(subset.name) ?? [];
    const computed = computeWorkloadSpreadSubsetStatus({ subset, pods, old: mergedSubsetStatus(ws.status, subset.name), workloadReplicas: input.workloadReplicas, namespace, now });
    if (computed.kind === 'invalid-max-replicas') return { kind: 'skip', reason: 'invalid-max-replicas' };
    events.push(...computed.events);
    requeue(computed.requeueAfterMs);
    let status = computed.status;
    if (critical > 0) {
      const previous = ws.status?.subsetStatuses?.find((s) => s.name === subset.name)?.conditions?.find((c) => c.type === WORKLOADSPREAD_SUBSET_SCHEDULABLE);
      const last = index === subsets.length - 1;
      const plan = planSubsetSchedulable({ subsetName: subset.name, pods, old: previous, rescheduleCriticalSeconds: critical, last, namespace, workloadSpreadName: ws.metadata?.name ?? '', now });
      status = { ...status, conditions: [plan.condition] };
      podsToDelete.push(...plan.podsToDelete.map((pod) => ({ pod: pod.metadata.name ?? '', subset: subset.name })));
      events.push(...plan.events);
      requeue(plan.requeueAfterMs);
    }
    statuses.push(status);
  }
  const versions = computeVersionedSubsetStatuses({ ws, podsByVersion: byVersion, workloadReplicas: input.workloadReplicas, subsetStatuses: statuses, now });
  if (versions.kind === 'invalid-max-replicas') return { kind: 'skip', reason: 'invalid-max-replicas' };
  // An entry the whole-workload recount already dropped is reported once.
  for (const event of versions.events) if (!events.some((e) => sameEvent(e, event))) events.push(event);
  requeue(versions.requeueAfterMs);
  const byPod = new Map(input.pods.map((p) => [p.metadata.name ?? '', p]));
  const deletionCosts = costs.filter((c) => byPod.get(c.pod)?.metadata.annotations?.[POD_DELETION_COST_ANNOTATION] !== c.cost);
  const generation = ws.metadata?.generation;
  const versioned = Object.keys(versions.versioned).length > 0 ? { versionedSubsetStatuses: versions.versioned } : {};
  const status: WorkloadSpreadStatus = { ...(generation === undefined ? {} : { observedGeneration: generation }), subsetStatuses: statuses, ...versioned };
  const statusChanged =
    ws.status?.observedGeneration !== generation ||
    !sameStatuses(ws.status?.subsetStatuses, statuses) ||
    canonicalJson(ws.status?.versionedSubsetStatuses ?? {}) !== canonicalJson(versions.versioned);
  return { kind: 'sync', status, statusChanged, adoptions, deletionCosts, podsToDelete, events, requeueAfterMs };
}
