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
function groupPods(ws: WorkloadSpread, pods: readonly Pod[], replicas: number, nodes: ReadonlyMap<string, Node> | undefined): { groups: Map<string, Pod[]>; adoptions: SubsetAdoption[] } {
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

const sameStatuses = (a: readonly WorkloadSpreadSubsetStatus[] | undefined, b: readonly WorkloadSpreadSubsetStatus[]): boolean => canonicalJson(a ?? []) === canonicalJson(b);

function rescheduleSeconds(ws: WorkloadSpread): number {
  const strategy = ws.spec.scheduleStrategy;
  return strategy?.type === 'Adaptive' ? (strategy.adaptive?.rescheduleCriticalSeconds ?? 0) : 0;
}

/**
 * Returns one pass of the WorkloadSpread controller (OpenKruise's `syncWorkloadSpread`): the pods
 * grouped by the subset their `matched-workloadspread` annotation names (a pod naming none put in
 * the subset its node fits and annotated, else in a no-subset group), deletion costs per subset (CloneSet, Deployment, ReplicaSet targets), each subset's
 * status recounted, and under Adaptive with rescheduleCriticalSeconds > 0 the `Schedulable`
 * conditions and the unschedulable pods to delete (without it the condition is removed).
 *
 * @example CloneSet of 6, subsets a (max 2), b (max 2), c (no max), 2 pods each →
 *   status a/b/c replicas 2, missingReplicas 0/0/−1; costs a "300", b "200", c "100"
 */
export function planWorkloadSpread(input: WorkloadSpreadPassInput): WorkloadSpreadPassPlan {
  const { ws, now } = input;
  const subsets = ws.spec.subsets;
  const namespace = ws.metadata?.namespace ?? '';
  const { groups, adoptions } = groupPods(ws, input.pods, input.workloadReplicas, input.nodes);
  const old = new Map((ws.status?.subsetStatuses ?? []).map((s) => [s.name, s]));
  const critical = rescheduleSeconds(ws);
  const withCost = DELETION_COST_KINDS.includes(ws.spec.targetRef?.kind ?? '');
  const statuses: WorkloadSpreadSubsetStatus[] = [];
  const costs: PodDeletionCost[] = [];
  const podsToDelete: { pod: string; subset: string }[] = [];
  const events: PassEvent[] = [];
  let requeueAfterMs: number | undefined;
  const requeue = (ms: number | undefined): void => {
    if (ms !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? ms, ms);
  };
  for (const [index, subset] of subsets.entries()) {
    const pods = groups.get(subset.name) ?? [];
    if (withCost) costs.push(...planSubsetDeletionCost({ subset, index, subsetCount: subsets.length, pods, workloadReplicas: input.workloadReplicas }));
    const computed = computeWorkloadSpreadSubsetStatus({ subset, pods, old: old.get(subset.name), workloadReplicas: input.workloadReplicas, namespace, now });
    if (computed.kind === 'invalid-max-replicas') return { kind: 'skip', reason: 'invalid-max-replicas' };
    events.push(...computed.events);
    requeue(computed.requeueAfterMs);
    let status = computed.status;
    if (critical > 0) {
      const previous = old.get(subset.name)?.conditions?.find((c) => c.type === WORKLOADSPREAD_SUBSET_SCHEDULABLE);
      const last = index === subsets.length - 1;
      const plan = planSubsetSchedulable({ subsetName: subset.name, pods, old: previous, rescheduleCriticalSeconds: critical, last, namespace, workloadSpreadName: ws.metadata?.name ?? '', now });
      status = { ...status, conditions: [plan.condition] };
      podsToDelete.push(...plan.podsToDelete.map((pod) => ({ pod: pod.metadata.name ?? '', subset: subset.name })));
      events.push(...plan.events);
      requeue(plan.requeueAfterMs);
    }
    statuses.push(status);
  }
  const strays = groups.get(NO_SUBSET) ?? [];
  if (withCost && strays.length > 0) costs.push(...planSubsetDeletionCost({ subset: undefined, index: subsets.length, subsetCount: subsets.length, pods: strays, workloadReplicas: input.workloadReplicas }));
  const byName = new Map(input.pods.map((p) => [p.metadata.name ?? '', p]));
  const deletionCosts = costs.filter((c) => byName.get(c.pod)?.metadata.annotations?.[POD_DELETION_COST_ANNOTATION] !== c.cost);
  const generation = ws.metadata?.generation;
  const status: WorkloadSpreadStatus = { ...(generation === undefined ? {} : { observedGeneration: generation }), subsetStatuses: statuses };
  const statusChanged = ws.status?.observedGeneration !== generation || !sameStatuses(ws.status?.subsetStatuses, statuses);
  return { kind: 'sync', status, statusChanged, adoptions, deletionCosts, podsToDelete, events, requeueAfterMs };
}
