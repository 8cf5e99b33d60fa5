import { SUBSET_PATCH_ANNOTATION, KRUISE_CONTROLLER_REVISION_HASH_LABEL } from '../api/labels.js';
import type { Pod, PodTemplateSpec } from '../api/pod.js';
import { UNITEDDEPLOYMENT_API_VERSION, UNITEDDEPLOYMENT_KIND, type UnitedDeployment, type UnitedDeploymentCondition, type UnitedDeploymentStatus } from '../api/unitedDeployment.js';
import { subsetTemplateField, type SubsetTemplateField } from '../api/validateUnitedDeployment.js';
import { withUnitedDeploymentDefaults } from '../api/withUnitedDeploymentDefaults.js';
import { diffJson } from '../inplace/diffJson.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import { buildControllerRevision, type ControllerRevision } from '../shared/revision.js';
import { nextRevisionNumber, planRevisionReuse } from '../shared/revisionHistory.js';
import { historyCleanupEffects, revisionStep } from '../workload/revisionEffects.js';
import { slowStartWaves } from '../workload/slowStart.js';
import type { EffectWave } from '../workload/podEffects.js';
import type { JsonPatchOp, OwnedRef, PassEvent, WorkloadEffect } from '../workload/workloadEffect.js';
import type { WorkloadPassPlan } from '../workload/workloadPassPlan.js';
import { allocateSubsetReplicas, isAdaptive, reservesUnschedulablePods } from './allocateSubsetReplicas.js';
import { buildSubsetChild, SUBSET_CHILD_TYPES, subsetPatchText } from './buildSubsetChild.js';
import { computeUnitedDeploymentStatus } from './computeUnitedDeploymentStatus.js';
import { planSubsetReservation } from './planSubsetReservation.js';
import { planSubsetSchedulability, SUBSET_SCHEDULABLE_CONDITION } from './planSubsetSchedulability.js';
import type { AllocatorKind, ObservedSubsetReplicas, SubsetAllocationReason } from './subsetAllocation.js';
import { childPartition, childSpecReplicas, childStatusReplicas, childSubsetName, subsetPods, type SubsetChild } from './subsetChildren.js';

/** What one UnitedDeployment pass reads. */
export interface UnitedDeploymentSnapshot {
  /** The UnitedDeployment (v1beta1; defaults are applied inside). */
  readonly unitedDeployment: UnitedDeployment;
  /** Every workload object it controls, of any child kind. */
  readonly children: readonly SubsetChild[];
  /** Pods its selector matches in its namespace (the children's pods). */
  readonly pods: readonly Pod[];
  /** The ControllerRevisions it owns. */
  readonly revisions: readonly ControllerRevision[];
  readonly now: EpochMs;
}

/** Why a subset's child is updated, completing "the child is patched because …". */
export type SubsetUpdateReason = 'revision-changed' | 'patch-changed' | 'replicas-changed' | 'partition-changed';

/** What a pass did and why. */
export type UnitedDeploymentPassStep =
  | { readonly kind: 'no-template'; readonly reason: 'no-child-template' }
  | { readonly kind: 'allocation-refused'; readonly reason: string; readonly message: string }
  | {
      readonly kind: 'sync';
      readonly allocator: AllocatorKind;
      /** Replicas and why, by subset. */
      readonly replicas: Readonly<Record<string, number>>;
      readonly reasons: Readonly<Record<string, SubsetAllocationReason>>;
      readonly partitions: Readonly<Record<string, number>>;
      /** Subsets whose child is created, and children deleted (removed subsets, duplicates, other kinds). */
      readonly create: readonly string[];
      readonly delete: readonly string[];
      /** Subsets whose child is patched, with why. */
      readonly update: readonly { readonly subset: string; readonly why: readonly SubsetUpdateReason[] }[];
    };

/** The plan of one UnitedDeployment pass. */
export type UnitedDeploymentPassPlan = WorkloadPassPlan<UnitedDeploymentPassStep, UnitedDeploymentStatus>;

const refOf = (child: SubsetChild): OwnedRef => ({ apiVersion: child.apiVersion, kind: child.kind, name: child.metadata.name ?? '', uid: child.metadata.uid ?? '', ...(child.metadata.namespace === undefined ? {} : { namespace: child.metadata.namespace }) });
const byAge = (a: SubsetChild, b: SubsetChild): number => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

/** The revision a UnitedDeployment records: `{ spec: { template: <subset template>, $patch: replace } }`, labelled as the UnitedDeployment. */
function wantedRevision(ud: UnitedDeployment, revisions: readonly ControllerRevision[]): ControllerRevision {
  const owner = { apiVersion: UNITEDDEPLOYMENT_API_VERSION, kind: UNITEDDEPLOYMENT_KIND, name: ud.metadata?.name ?? '', uid: ud.metadata?.uid ?? '', ...(ud.metadata?.namespace === undefined ? {} : { namespace: ud.metadata.namespace }), ...(ud.metadata?.annotations === undefined ? {} : { annotations: ud.metadata.annotations }) };
  // The subset template takes the pod template's place in the revision data (OpenKruise records `spec.template` the same way).
  const revision = buildControllerRevision({ owner, template: ud.spec.template as unknown as PodTemplateSpec, revision: nextRevisionNumber(revisions), collisionCount: ud.status?.collisionCount ?? 0 });
  return { ...revision, metadata: { ...revision.metadata, labels: { ...ud.metadata?.labels } } };
}

/** Sorts the children by subset: the oldest of the template's kind is the subset's child; the rest are doomed. */
function classifyChildren(children: readonly SubsetChild[], field: SubsetTemplateField): { readonly bySubset: Map<string, SubsetChild>; readonly doomed: SubsetChild[] } {
  const type = SUBSET_CHILD_TYPES[field];
  const bySubset = new Map<string, SubsetChild>();
  const doomed: SubsetChild[] = [];
  for (const child of [...children].sort(byAge)) {
    const name = childSubsetName(child);
    if (name === undefined) continue;
    if (child.kind !== type.kind || child.apiVersion !== type.apiVersion || bySubset.has(name)) doomed.push(child);
    else bySubset.set(name, child);
  }
  return { bySubset, doomed };
}

// Reservation mode: the pods' reserved labels, the subset's reserved pods and Schedulable condition.
function reservedSubsets(ud: UnitedDeployment, bySubset: ReadonlyMap<string, SubsetChild>, pods: readonly Pod[], updatedRevision: string, now: EpochMs) {
  const existing: Record<string, ObservedSubsetReplicas> = {};
  const schedulable = new Map<string, UnitedDeploymentCondition>();
  const reserved = new Map<string, number>();
  const effects: WorkloadEffect[] = [];
  const delays: number[] = [];
  const strategy = ud.spec.topology?.scheduleStrategy;
  for (const [name, child] of bySubset) {
    const { replicas, readyReplicas } = childStatusReplicas(child);
    const condition = previousSchedulable(ud, name);
    const plan = planSubsetReservation({ pods: subsetPods(pods, ud.spec.selector, name), condition, updatedRevision, strategy, now });
    schedulable.set(name, plan.condition);
    reserved.set(name, plan.reservedPods);
    effects.push(...plan.effects);
    if (plan.requeueAfterMs !== undefined) delays.push(plan.requeueAfterMs);
    existing[name] = { specReplicas: childSpecReplicas(child), statusReplicas: replicas, readyReplicas, pendingPods: 0, unschedulable: plan.unschedulable, previouslyUnschedulable: plan.previouslyUnschedulable, reservedPods: plan.reservedPods };
  }
  return { existing, schedulable, reserved, effects, requeueAfterMs: delays.length === 0 ? undefined : Math.min(...delays) };
}

const previousSchedulable = (ud: UnitedDeployment, name: string): UnitedDeploymentCondition | undefined =>
  ud.status?.subsetStatuses?.find((s) => s.name === name)?.conditions?.find((c) => c.type === SUBSET_SCHEDULABLE_CONDITION);

function observedSubsets(ud: UnitedDeployment, bySubset: ReadonlyMap<string, SubsetChild>, pods: readonly Pod[], updatedRevision: string, now: EpochMs) {
  if (reservesUnschedulablePods(ud.spec.topology?.scheduleStrategy)) return reservedSubsets(ud, bySubset, pods, updatedRevision, now);
  const existing: Record<string, ObservedSubsetReplicas> = {};
  const schedulable = new Map<string, UnitedDeploymentCondition>();
  const delays: number[] = [];
  const strategy = ud.spec.topology?.scheduleStrategy;
  for (const [name, child] of bySubset) {
    const { replicas, readyReplicas } = childStatusReplicas(child);
    const previous = previousSchedulable(ud, name);
    const verdict = isAdaptive(strategy) ? planSubsetSchedulability({ condition: previous, replicas, readyReplicas, pods: subsetPods(pods, ud.spec.selector, name), strategy, now }) : undefined;
    if (verdict?.condition !== undefined) schedulable.set(name, verdict.condition);
    if (verdict?.requeueAfterMs !== undefined) delays.push(verdict.requeueAfterMs);
    existing[name] = {
      specReplicas: childSpecReplicas(child),
      statusReplicas: replicas,
      readyReplicas,
      pendingPods: verdict?.pendingPods ?? 0,
      unschedulable: verdict?.unschedulable ?? false,
      previouslyUnschedulable: previous?.status === 'False',
      reservedPods: 0,
    };
  }
  return { existing, schedulable, reserved: undefined, effects: [] as WorkloadEffect[], requeueAfterMs: delays.length === 0 ? undefined : Math.min(...delays) };
}

// OpenKruise's postProcessSubsetStatusForReservedAdaptiveStrategy: a subset that just recovered
// and gets more replicas is marked unschedulable again, so that its new pods start reserved and
// the temporary substitutes stay until they are really running.
function markRecoveredScaleUps(ud: UnitedDeployment, observed: ReturnType<typeof observedSubsets>, replicas: Readonly<Record<string, number>>, now: EpochMs): void {
  if (!reservesUnschedulablePods(ud.spec.topology?.scheduleStrategy)) return;
  for (const [name, subset] of Object.entries(observed.existing)) {
    if (subset.unschedulable || !subset.previouslyUnschedulable || (replicas[name] ?? 0) <= subset.specReplicas) continue;
    observed.schedulable.set(name, { type: SUBSET_SCHEDULABLE_CONDITION, status: 'False', lastTransitionTime: formatTime(now), reason: 'reschedule', message: 'subset just recovered scaled up' });
  }
}

/** OpenKruise's `calcNextPartitions`: the Manual partition of each subset, at most its replicas. */
function nextPartitions(ud: UnitedDeployment, replicas: Readonly<Record<string, number>>): Record<string, number> {
  const strategy = ud.spec.updateStrategy;
  const manual = strategy?.type === 'Manual' ? (strategy.manualUpdate?.partitions ?? {}) : {};
  return Object.fromEntries((ud.spec.topology?.subsets ?? []).map((s) => [s.name, Math.min(manual[s.name] ?? 0, replicas[s.name] ?? 0)]));
}

function updateReasons(child: SubsetChild, revision: string, patch: string, replicas: number, partition: number): SubsetUpdateReason[] {
  const why: SubsetUpdateReason[] = [];
  if (child.metadata.labels?.[KRUISE_CONTROLLER_REVISION_HASH_LABEL] !== revision) why.push('revision-changed');
  if ((child.metadata.annotations?.[SUBSET_PATCH_ANNOTATION] ?? '') !== patch) why.push('patch-changed');
  if (childSpecReplicas(child) !== replicas) why.push('replicas-changed');
  if (childPartition(child) !== partition) why.push('partition-changed');
  return why;
}

// The child's labels, annotations and spec as wanted, as a JSON patch of what differs.
function childPatch(child: SubsetChild, wanted: SubsetChild): JsonPatchOp[] {
  const view = (o: SubsetChild) => ({ metadata: { labels: o.metadata.labels ?? {}, annotations: o.metadata.annotations ?? {} }, spec: o.spec ?? {} });
  return diffJson(view(child), view(wanted));
}

const event = (type: PassEvent['type'], reason: string, message: string): PassEvent => ({ type, reason, message });

/**
 * Returns one UnitedDeployment pass as OpenKruise's controller runs it: the update revision
 * (created or reused; history beyond `revisionHistoryLimit` cleaned after the status), the
 * children classified by subset (duplicates and children of another kind deleted), the Adaptive
 * subsets' schedulability, the allocation ({@link allocateSubsetReplicas}; refused → a Warning
 * `Failed SpecifySubsetReplicas` and nothing else), the partitions, then the children: created
 * for new subsets (`generateName` `<ud>-<subset>-`), deleted for removed ones, and patched where
 * the revision, the subset patch, the replicas or the partition differ, in slow-start batches;
 * and the status ({@link computeUnitedDeploymentStatus}).
 *
 * @example replicas 10, subsets zone-a 20 %, zone-b 3, zone-c, CloneSet template, no children →
 *   step sync { replicas: { zone-a: 2, zone-b: 3, zone-c: 5 }, create: [zone-a, zone-b, zone-c] }, effects [[create-revision], [create CloneSet zone-a], [zone-b, zone-c]]
 */
export function planUnitedDeploymentPass(snapshot: UnitedDeploymentSnapshot): UnitedDeploymentPassPlan {
  const ud = withUnitedDeploymentDefaults(snapshot.unitedDeployment);
  const { now } = snapshot;
  const unchanged = { prelude: [], effects: [], cleanups: [], requeueAfterMs: undefined } as const;
  const field = subsetTemplateField(ud.spec.template);
  if (field === undefined) return { ...unchanged, step: { kind: 'no-template', reason: 'no-child-template' }, status: ud.status ?? {}, events: [] };
  const revision = revisionStep(planRevisionReuse(wantedRevision(ud, snapshot.revisions), snapshot.revisions), snapshot.revisions);
  const updatedRevision = revision.update.metadata.name ?? '';
  const currentName = ud.status?.currentRevision;
  const currentRevision = currentName !== undefined && snapshot.revisions.some((r) => r.metadata.name === currentName) ? currentName : updatedRevision;
  const { bySubset, doomed } = classifyChildren(snapshot.children, field);
  const observed = observedSubsets(ud, bySubset, snapshot.pods, updatedRevision, now);
  const subsets = ud.spec.topology?.subsets ?? [];
  const allocation = allocateSubsetReplicas({ replicas: ud.spec.replicas, subsets, existing: observed.existing, scheduleStrategy: ud.spec.topology?.scheduleStrategy });
  if (allocation.kind === 'invalid') {
    const warning = event('Warning', 'Failed SpecifySubsetReplicas', `Specified subset replicas is ineffective: ${allocation.message}`);
    return { ...unchanged, prelude: revision.effects.length === 0 ? [] : [revision.effects], step: { kind: 'allocation-refused', reason: allocation.reason, message: allocation.message }, status: ud.status ?? {}, events: [warning] };
  }
  markRecoveredScaleUps(ud, observed, allocation.replicas, now);
  const partitions = nextPartitions(ud, allocation.replicas);
  const wanted = (name: string) => buildSubsetChild({ ud, field, subset: subsets.find((s) => s.name === name) ?? { name }, revision: updatedRevision, replicas: allocation.replicas[name] ?? 0, partition: partitions[name] ?? 0 });
  const specNames = new Set(subsets.map((s) => s.name));
  const creates = subsets.map((s) => s.name).filter((name) => !bySubset.has(name));
  const removed = [...bySubset].filter(([name]) => !specNames.has(name)).map(([, child]) => child);
  const deletions = [...doomed, ...removed];
  const updates = subsets.flatMap((subset) => {
    const child = bySubset.get(subset.name);
    if (child === undefined) return [];
    const why = updateReasons(child, updatedRevision, subsetPatchText(subset), allocation.replicas[subset.name] ?? 0, partitions[subset.name] ?? 0);
    return why.length === 0 ? [] : [{ subset: subset.name, child, why }];
  });
  const kind = SUBSET_CHILD_TYPES[field].kind;
  const createEffects: WorkloadEffect[][] = creates.map((name) => [{ kind: 'create-owned', reason: 'subset-added', object: wanted(name), events: { failure: event('Warning', 'FailedUpdateSubset', `fail to create Subset (${kind}) ${name}`) } }]);
  const deleteEffects: WorkloadEffect[] = deletions.map((child) => ({ kind: 'delete-owned', reason: specNames.has(childSubsetName(child) ?? '') ? 'duplicate-or-other-kind' : 'subset-removed', target: refOf(child) }));
  const updateEffects: WorkloadEffect[][] = updates.map(({ subset, child, why }) => [
    { kind: 'patch-owned', reason: why[0] ?? 'replicas-changed', target: refOf(child), operations: childPatch(child, wanted(subset)), events: { failure: event('Warning', 'FailedUpdateSubset', `Error updating PodSet (${kind}) ${child.metadata.name ?? ''} when updating`) } },
  ]);
  const effects: EffectWave[] = [...slowStartWaves(createEffects), ...(deleteEffects.length === 0 ? [] : [deleteEffects]), ...slowStartWaves(updateEffects)];
  const events = [
    ...(creates.length === 0 ? [] : [event('Normal', 'SuccessfulUpdateSubset', `Create ${String(creates.length)} Subset (${kind})`)]),
    ...(deletions.length === 0 ? [] : [event('Normal', 'SuccessfulUpdateSubset', `Delete ${String(deletions.length)} Subset (${kind})`)]),
  ];
  const status = computeUnitedDeploymentStatus({
    ud,
    children: bySubset,
    pods: snapshot.pods,
    replicas: allocation.replicas,
    partitions,
    schedulable: observed.schedulable,
    ...(observed.reserved === undefined ? {} : { reserved: observed.reserved }),
    currentRevision,
    updatedRevision,
    provisioned: creates.length + deletions.length > 0,
    now,
  });
  const podRevisions = snapshot.pods.map((p) => p.metadata.labels?.[KRUISE_CONTROLLER_REVISION_HASH_LABEL]);
  return {
    step: { kind: 'sync', allocator: allocation.allocator, replicas: allocation.replicas, reasons: allocation.reasons, partitions, create: creates, delete: deletions.map((c) => c.metadata.name ?? ''), update: updates.map(({ subset, why }) => ({ subset, why })) },
    prelude: [revision.effects, observed.effects].filter((wave) => wave.length > 0),
    effects,
    status,
    cleanups: historyCleanupEffects(revision.revisions, podRevisions, [currentRevision, updatedRevision], ud.spec.revisionHistoryLimit),
    events,
    requeueAfterMs: observed.requeueAfterMs,
  };
}
