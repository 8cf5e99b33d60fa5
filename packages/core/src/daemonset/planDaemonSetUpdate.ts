import { CONTROLLER_REVISION_HASH_LABEL } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import type { InPlaceVerdict, RecreateReason } from '../inplace/classifyInPlaceUpdate.js';
import type { InPlaceFeatureGates } from '../inplace/inPlaceFeatureGates.js';
import { isPodAvailableToWorkload, type EpochMs } from '../shared/podState.js';
import type { ControllerRevision } from '../shared/revision.js';
import { matchesLabelSelector } from '../shared/selector.js';
import { decidePodUpdate, type PodUpdateDecision } from '../workload/decidePodUpdate.js';
import { podLifecycleState } from '../workload/workloadPod.js';
import { shouldRunDaemonPod } from './daemonSetNodes.js';
import { hasInPlaceReadinessGate, splitNodePods } from './daemonSetPod.js';
import { daemonSetBudgets, daemonSetPartition, type DaemonSetSettings } from './daemonSetSettings.js';
import { revisionHash } from './daemonSetHistory.js';
import type { DaemonNode } from './planDaemonSetManage.js';
import { planSyncNodes, type DaemonPodCreation, type DaemonPodDeletion, type SyncNodesPlan } from './syncDaemonNodes.js';

/** Why an old pod is replaced now: it is unavailable anyway, or the budget has room. */
export type ReplaceWhy = 'old-pod-unavailable' | 'within-max-unavailable';

/** Why a pod is recreated rather than updated in place. */
export type DaemonSetRecreateReason = 'recreate-policy' | 'no-in-place-readiness-gate' | 'old-revision-not-found' | RecreateReason;

/** Why the rolling update creates or deletes a pod (the `syncNodes` reasons). */
export type UpdateCreateReason = 'surge-old-pod-unavailable' | 'surge-within-max-surge';
export type UpdateDeleteReason = `recreate-${DaemonSetRecreateReason}` | 'surge-new-pod-available';

/** What the rolling update does to one node, with why. */
export type DaemonSetUpdateAction =
  | {
      /** The old pod is updated in place (`rollingUpdateType: InPlaceIfPossible`, only in-place fields changed). */
      readonly kind: 'in-place';
      readonly node: string;
      readonly pod: Pod;
      readonly why: ReplaceWhy;
      readonly decision: Extract<PodUpdateDecision, { kind: 'update-in-place' }>;
    }
  | {
      /** The old pod is deleted; the manage loop creates the new one on a later pass. */
      readonly kind: 'recreate';
      readonly node: string;
      readonly pod: Pod;
      readonly why: ReplaceWhy;
      readonly recreate: DaemonSetRecreateReason;
    }
  | {
      /** An in-place candidate beyond burstReplicas (or in a lifecycle state that waits): left for a later pass. */
      readonly kind: 'held';
      readonly node: string;
      readonly pod: Pod;
      readonly reason: 'burst-replicas' | Extract<PodUpdateDecision, { kind: 'wait' | 'error' | 'prepare-update' }>['kind'];
    }
  | {
      /** With surge: a new pod is created next to the old one. */
      readonly kind: 'surge';
      readonly node: string;
      readonly why: 'old-pod-unavailable' | 'within-max-surge';
    }
  | {
      /** With surge: the new pod is available, the old one goes. */
      readonly kind: 'retire-old';
      readonly node: string;
      readonly pod: Pod;
    };

/** How much of the budget the update found used and took. */
export type DaemonSetUpdateBudget =
  | { readonly kind: 'max-unavailable'; readonly max: number; readonly unavailable: number; readonly candidates: number; readonly taken: number }
  | { readonly kind: 'max-surge'; readonly max: number; readonly surging: number; readonly candidates: number; readonly taken: number };

/** The rolling update of a pass (OpenKruise `rollingUpdate`). */
export interface DaemonSetRollingUpdatePlan {
  /** The nodes the partition and the update selector leave to update, in the order they are looked at. */
  readonly nodes: readonly string[];
  readonly budget: DaemonSetUpdateBudget;
  readonly actions: readonly DaemonSetUpdateAction[];
  /** Its creations and deletions through `syncNodes` (preDelete hook, burstReplicas). */
  readonly sync: SyncNodesPlan<UpdateCreateReason, UpdateDeleteReason>;
}

/** What the rolling update reads. */
export interface DaemonSetUpdateContext {
  readonly settings: DaemonSetSettings;
  /** Every node (sorted by name) with its eligibility and pods. */
  readonly nodes: readonly DaemonNode[];
  readonly updateRevision: ControllerRevision;
  /** The other revisions the set owns (where old pods come from). */
  readonly oldRevisions: readonly ControllerRevision[];
  readonly now: EpochMs;
  readonly featureGates?: InPlaceFeatureGates | undefined;
}

const isPreDeleting = (pod: Pod | undefined): boolean => pod !== undefined && podLifecycleState(pod) === 'PreparingDelete';
const nilOrPreDeleting = (pod: Pod | undefined): boolean => pod === undefined || isPreDeleting(pod);

/**
 * Returns the nodes a rolling update may touch, in the order it looks at them (OpenKruise
 * `filterDaemonPodsNodeToUpdate`), over the nodes with pods or that should run one: from the
 * highest name down, first those already updated (or with excess pods), then those with no live
 * old pod, then the rest (only those the update selector matches, when there is one); cut to the
 * node count minus the partition.
 *
 * @example 10 nodes n0..n9 at the old revision, partition 3 → n9, n8, ..., n3
 */
export function daemonNodesToUpdate(entries: readonly DaemonNode[], settings: DaemonSetSettings, hash: string, partition: number): DaemonNode[] {
  const updated: DaemonNode[] = [];
  const updating: DaemonNode[] = [];
  const rest: DaemonNode[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] as DaemonNode;
    const split = splitNodePods(entry.pods, hash, settings.templateGeneration);
    if (split.kind === 'excess' || split.newPod !== undefined) updated.push(entry);
    else if (nilOrPreDeleting(split.oldPod)) updating.push(entry);
    else if (settings.updateSelector === undefined || matchesLabelSelector(settings.updateSelector, entry.node.metadata.labels ?? {})) rest.push(entry);
  }
  const maxUpdate = entries.length - partition;
  return maxUpdate <= 0 ? [] : [...updated, ...updating, ...rest].slice(0, maxUpdate);
}

interface Candidates {
  unavailable: number;
  readonly allowed: { readonly node: string; readonly pod: Pod }[];
  readonly candidates: { readonly node: string; readonly pod: Pod }[];
}

// The maxSurge == 0 branch: new pods not available and empty nodes use the budget; old pods
// already unavailable go at once, available ones while the budget has room.
function unavailableCandidates(entries: readonly DaemonNode[], context: DaemonSetUpdateContext, hash: string, maxUnavailable: number): Candidates {
  const { minReadySeconds, templateGeneration } = context.settings;
  const out: Candidates = { unavailable: 0, allowed: [], candidates: [] };
  for (const entry of entries) {
    const split = splitNodePods(entry.pods, hash, templateGeneration);
    if (split.kind === 'excess') {
      out.unavailable++;
      continue;
    }
    const { newPod, oldPod } = split;
    if (nilOrPreDeleting(oldPod) === nilOrPreDeleting(newPod)) out.unavailable++;
    else if (newPod !== undefined) {
      if (!isPodAvailableToWorkload(newPod, minReadySeconds, context.now)) out.unavailable++;
      if (isPreDeleting(newPod)) out.unavailable++;
    } else if (oldPod !== undefined) {
      if (!isPodAvailableToWorkload(oldPod, minReadySeconds, context.now)) out.allowed.push({ node: entry.name, pod: oldPod });
      else if (out.unavailable < maxUnavailable) out.candidates.push({ node: entry.name, pod: oldPod });
    }
  }
  return out;
}

type InPlaceOutcome = DaemonSetUpdateAction & { readonly kind: 'in-place' | 'recreate' | 'held' };

// inPlaceUpdatePods: pods with the readiness gate and a known old revision are updated in place
// when only in-place fields changed (at most burstReplicas of them); the others are recreated.
function inPlaceOrRecreate(replace: readonly { readonly node: string; readonly pod: Pod; readonly why: ReplaceWhy }[], context: DaemonSetUpdateContext): InPlaceOutcome[] {
  const inPlace = context.settings.rollingUpdateType === 'InPlaceIfPossible';
  const verdicts = new Map<string, InPlaceVerdict>();
  const outcomes: InPlaceOutcome[] = [];
  let budget = Math.max(0, context.settings.burstReplicas);
  for (const { node, pod, why } of replace) {
    if (!inPlace) {
      outcomes.push({ kind: 'recreate', node, pod, why, recreate: 'recreate-policy' });
      continue;
    }
    if (!hasInPlaceReadinessGate(pod)) {
      outcomes.push({ kind: 'recreate', node, pod, why, recreate: 'no-in-place-readiness-gate' });
      continue;
    }
    const label = pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
    const from = context.oldRevisions.find((r) => label === revisionHash(r));
    if (from === undefined) {
      outcomes.push({ kind: 'recreate', node, pod, why, recreate: 'old-revision-not-found' });
      continue;
    }
    const decision = decidePodUpdate(pod, context.updateRevision, {
      settings: { podUpdatePolicy: 'InPlaceIfPossible', lifecycle: undefined, gracePeriodSeconds: 0 },
      revisions: [from],
      verdicts,
      ...(context.featureGates === undefined ? {} : { featureGates: context.featureGates }),
    });
    if (decision.kind === 'recreate') outcomes.push({ kind: 'recreate', node, pod, why, recreate: decision.reason });
    else if (decision.kind !== 'update-in-place') outcomes.push({ kind: 'held', node, pod, reason: decision.kind });
    else if (budget <= 0) outcomes.push({ kind: 'held', node, pod, reason: 'burst-replicas' });
    else {
      budget--;
      outcomes.push({ kind: 'in-place', node, pod, why, decision });
    }
  }
  return outcomes;
}

function planWithoutSurge(entries: readonly DaemonNode[], context: DaemonSetUpdateContext, hash: string, maxUnavailable: number): Omit<DaemonSetRollingUpdatePlan, 'nodes'> {
  const found = unavailableCandidates(entries, context, hash, maxUnavailable);
  const room = Math.min(Math.max(0, maxUnavailable - found.unavailable), found.candidates.length);
  const replace = [
    ...found.allowed.map((c) => ({ ...c, why: 'old-pod-unavailable' as const })),
    ...found.candidates.slice(0, room).map((c) => ({ ...c, why: 'within-max-unavailable' as const })),
  ];
  const actions = inPlaceOrRecreate(replace, context);
  const deletions: DaemonPodDeletion<UpdateDeleteReason>[] = actions.flatMap((a) => (a.kind === 'recreate' ? [{ node: a.node, pod: a.pod, reason: `recreate-${a.recreate}` as const }] : []));
  return {
    budget: { kind: 'max-unavailable', max: maxUnavailable, unavailable: found.unavailable, candidates: found.candidates.length, taken: room },
    actions,
    sync: planSyncNodes(deletions, [], context.settings),
  };
}

function planWithSurge(entries: readonly DaemonNode[], context: DaemonSetUpdateContext, hash: string, maxSurge: number): Omit<DaemonSetRollingUpdatePlan, 'nodes'> {
  const { minReadySeconds, templateGeneration } = context.settings;
  const retire: Extract<DaemonSetUpdateAction, { kind: 'retire-old' }>[] = [];
  const allowed: string[] = [];
  const candidates: string[] = [];
  let surging = 0;
  for (const entry of entries) {
    const split = splitNodePods(entry.pods, hash, templateGeneration);
    if (split.kind === 'excess') {
      surging++;
      continue;
    }
    const { newPod, oldPod } = split;
    if (nilOrPreDeleting(oldPod)) continue;
    if (newPod === undefined) {
      if (oldPod !== undefined && !isPodAvailableToWorkload(oldPod, minReadySeconds, context.now)) allowed.push(entry.name);
      else if (surging < maxSurge) candidates.push(entry.name);
    } else if (!isPodAvailableToWorkload(newPod, minReadySeconds, context.now) || isPreDeleting(newPod)) surging++;
    else if (oldPod !== undefined) retire.push({ kind: 'retire-old', node: entry.name, pod: oldPod });
  }
  const room = Math.min(Math.max(0, maxSurge - surging), candidates.length);
  const surges: Extract<DaemonSetUpdateAction, { kind: 'surge' }>[] = [
    ...allowed.map((node) => ({ kind: 'surge' as const, node, why: 'old-pod-unavailable' as const })),
    ...candidates.slice(0, room).map((node) => ({ kind: 'surge' as const, node, why: 'within-max-surge' as const })),
  ];
  const creations: DaemonPodCreation<UpdateCreateReason>[] = surges.map((s) => ({ node: s.node, reason: s.why === 'old-pod-unavailable' ? 'surge-old-pod-unavailable' : 'surge-within-max-surge' }));
  const deletions: DaemonPodDeletion<UpdateDeleteReason>[] = retire.map((r) => ({ node: r.node, pod: r.pod, reason: 'surge-new-pod-available' }));
  return {
    budget: { kind: 'max-surge', max: maxSurge, surging, candidates: candidates.length, taken: room },
    actions: [...retire, ...surges],
    sync: planSyncNodes(deletions, creations, context.settings),
  };
}

/**
 * Returns the rolling update of a pass (OpenKruise `rollingUpdate`), over the nodes
 * {@link daemonNodesToUpdate} leaves (partition, update selector):
 * - without surge: nodes with no live pod, excess pods, or a new pod not available use up
 *   `maxUnavailable`; old pods that are not available are replaced at once, available ones while
 *   room is left; `InPlaceIfPossible` updates them in place when only in-place fields changed
 *   (at most burstReplicas), else they are deleted for the manage loop to recreate;
 * - with surge: a new pod is created next to an old one that is not available, and next to
 *   available ones while fewer than `maxSurge` new pods are not yet available; an old pod goes once
 *   the new pod on its node is available.
 *
 * @example 10 ready nodes, maxUnavailable 2, partition 3 → recreate the pods of n9 and n8 (within-max-unavailable)
 */
export function planDaemonSetRollingUpdate(context: DaemonSetUpdateContext): DaemonSetRollingUpdatePlan {
  const { settings } = context;
  const hash = revisionHash(context.updateRevision);
  // The nodes that exist and either have pods or should run one.
  const entries = context.nodes.filter((entry) => entry.pods !== undefined || shouldRunDaemonPod(entry.eligibility));
  const desired = context.nodes.reduce((n, entry) => (shouldRunDaemonPod(entry.eligibility) ? n + 1 : n), 0);
  const budgets = daemonSetBudgets(settings, desired);
  const chosen = daemonNodesToUpdate(entries, settings, hash, daemonSetPartition(settings, desired));
  const plan = budgets.maxSurge === 0 ? planWithoutSurge(chosen, context, hash, budgets.maxUnavailable) : planWithSurge(chosen, context, hash, budgets.maxSurge);
  return { nodes: chosen.map((entry) => entry.name), ...plan };
}
