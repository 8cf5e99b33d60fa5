import type { CloneSet } from '../api/cloneSet.js';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  INPLACE_UPDATE_GRACE_ANNOTATION,
  INPLACE_UPDATE_GRACE_ANNOTATION_OLD,
  POD_TEMPLATE_HASH_LABEL,
} from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import { checkInPlaceUpdateCompleted } from '../inplace/checkInPlaceUpdateCompleted.js';
import type { InPlaceVerdict } from '../inplace/classifyInPlaceUpdate.js';
import type { InPlaceFeatureGates } from '../inplace/inPlaceFeatureGates.js';
import type { EpochMs } from '../shared/podState.js';
import { isPodActive } from '../shared/podState.js';
import { shortHash, type ControllerRevision } from '../shared/revision.js';
import { countCloneSetPods, diffsFromCounts, type ReplicaDiffs } from './calculateReplicaDiffs.js';
import { isCloneSetPodAvailable } from './cloneSetPod.js';
import { isPodAtRevision, podLifecycleState } from '../workload/workloadPod.js';
import { resolveCloneSetSettings, type CloneSetFeatureGates, type CloneSetSettings } from './cloneSetSettings.js';
import { planLifecycleRefresh, type LifecycleTransition } from '../workload/lifecycle.js';
import { limitUpdates } from './limitUpdates.js';
import { decidePodUpdate, type PodUpdateDecision } from '../workload/decidePodUpdate.js';
import { sortUpdateCandidates } from '../workload/updateSort.js';

/** What {@link planUpdate} looks at. */
export interface CloneSetUpdateInput {
  /** The CloneSet (spec of the update revision). */
  readonly cloneSet: CloneSet;
  /** Pods owned by the CloneSet; inactive ones are ignored. */
  readonly pods: readonly Pod[];
  /** The revision partition keeps (`status.currentRevision`). */
  readonly currentRevision: ControllerRevision;
  /** The revision of the current template. */
  readonly updateRevision: ControllerRevision;
  /** Every revision pods may be at (default: current and update). */
  readonly revisions?: readonly ControllerRevision[];
  /** Now, epoch ms. */
  readonly now: EpochMs;
  /** Feature gates of the CloneSet algorithms and of the in-place engine. */
  readonly featureGates?: CloneSetFeatureGates & InPlaceFeatureGates;
  /** Whether a pod's in-place update has completed (default: `checkInPlaceUpdateCompleted`). */
  readonly isInPlaceUpdateCompleted?: (pod: Pod, now: EpochMs) => boolean;
}

/** A `pod-template-hash` label missing on a pod older than OpenKruise v1.1. */
export interface PodTemplateHashFix {
  /** Pod name. */
  readonly pod: string;
  /** Labels to add. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Why an update pass changes nothing. */
export type NoUpdateReason = 'paused' | 'on-delete' | 'update-complete' | 'no-candidates' | 'max-unavailable-reached';

/**
 * The update step of a CloneSet this pass (one kind of write, as OpenKruise's `Update`).
 */
export type UpdatePlan =
  | {
      /** Pod states to refresh first; no pod is updated in this pass. */
      readonly kind: 'refresh';
      /** Some pod state must be written before updating. */
      readonly reason: 'pod-states-changed';
      /** Lifecycle moves to apply. */
      readonly transitions: readonly LifecycleTransition[];
      /** Missing `pod-template-hash` labels to add. */
      readonly podTemplateHashFixes: readonly PodTemplateHashFix[];
    }
  | {
      readonly kind: 'none';
      /** Why nothing is updated. */
      readonly reason: NoUpdateReason;
      /** The numbers the decision rests on (absent when paused or OnDelete). */
      readonly diffs?: ReplicaDiffs;
    }
  | {
      readonly kind: 'update';
      /** `roll-forward` to the update revision, or `roll-back` to the current one (partition raised). */
      readonly reason: 'roll-forward' | 'roll-back';
      /** The revision the chosen pods move to. */
      readonly targetRevision: string;
      /** One decision per pod to update, in update order; stops after the first error. */
      readonly decisions: readonly PodUpdateDecision[];
      /** Pods waiting to be updated (before the limit). */
      readonly waiting: number;
      /** The numbers the decision rests on. */
      readonly diffs: ReplicaDiffs;
    };

function refreshStep(pods: readonly Pod[], settings: CloneSetSettings, input: CloneSetUpdateInput): UpdatePlan | undefined {
  const gates = input.featureGates === undefined ? {} : { featureGates: input.featureGates };
  const completed = input.isInPlaceUpdateCompleted ?? ((pod: Pod, now: EpochMs) => checkInPlaceUpdateCompleted(pod, now, gates).kind === 'completed');
  const context = { lifecycle: settings.lifecycle, updateRevision: input.updateRevision.metadata.name ?? '', inPlaceUpdateCompleted: (pod: Pod) => completed(pod, input.now) };
  const transitions: LifecycleTransition[] = [];
  const podTemplateHashFixes: PodTemplateHashFix[] = [];
  for (const pod of pods) {
    const transition = planLifecycleRefresh(pod, context);
    if (transition !== undefined) transitions.push(transition);
    if (pod.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === undefined) {
      const hash = shortHash(pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '');
      podTemplateHashFixes.push({ pod: pod.metadata.name ?? '', labels: { [POD_TEMPLATE_HASH_LABEL]: hash } });
    }
  }
  if (transitions.length === 0 && podTemplateHashFixes.length === 0) return undefined;
  return { kind: 'refresh', reason: 'pod-states-changed', transitions, podTemplateHashFixes };
}

// Pods waiting for the target revision: PreparingDelete pods are left alone, pods still in an
// in-place grace period wait for it, Updated pods at an old revision may go again.
function waitingIndexes(pods: readonly Pod[], updateRevision: string, forward: boolean): number[] {
  const waiting: number[] = [];
  pods.forEach((pod, index) => {
    if (isPodAtRevision(pod, updateRevision) === forward) return;
    const state = podLifecycleState(pod);
    if (state === 'PreparingDelete') return;
    const annotations = pod.metadata.annotations;
    const grace = annotations?.[INPLACE_UPDATE_GRACE_ANNOTATION] ?? annotations?.[INPLACE_UPDATE_GRACE_ANNOTATION_OLD] ?? '';
    if (state !== 'Updated' && grace !== '') return;
    waiting.push(index);
  });
  return waiting;
}

/**
 * Which pods an update pass weighs and which it may take (OpenKruise's `Update` before any pod is
 * touched): the diffs, the candidates in update order, those within |updateNum| (the rest are
 * kept by the partition), and those maxUnavailable lets go now. Indexes point into `pods`, the
 * active pods. Shared by {@link planUpdate} and `explainCloneSetPods`.
 */
export interface UpdateSelection {
  readonly settings: CloneSetSettings;
  /** The active pods. */
  readonly pods: readonly Pod[];
  readonly diffs: ReplicaDiffs;
  /** Pods move to the update revision (true) or back to the current one (partition raised). */
  readonly forward: boolean;
  readonly target: ControllerRevision;
  /** Candidates, in update order. */
  readonly sorted: readonly number[];
  /** The first |updateNum| candidates: the partition keeps the others. */
  readonly capped: readonly number[];
  /** The capped candidates maxUnavailable lets go now. */
  readonly chosen: readonly number[];
}

/**
 * Returns the {@link UpdateSelection} of a pass, whatever pauses it (paused, OnDelete and pod
 * states to refresh are {@link planUpdate}'s to check).
 *
 * @example replicas 10, partition 3, maxUnavailable 2, 10 ready old pods → 10 sorted, 7 capped, 2 chosen
 */
export function selectUpdateCandidates(input: CloneSetUpdateInput): UpdateSelection {
  return select(input, resolveCloneSetSettings(input.cloneSet), input.pods.filter(isPodActive));
}

function select(input: CloneSetUpdateInput, settings: CloneSetSettings, pods: readonly Pod[]): UpdateSelection {
  const updateName = input.updateRevision.metadata.name ?? '';
  const currentName = input.currentRevision.metadata.name ?? '';
  const counts = countCloneSetPods(pods, settings, (pod) => isPodAtRevision(pod, updateName), input.now);
  const rollback = input.featureGates?.CloneSetPartitionRollback === true && currentName !== updateName;
  const diffs = diffsFromCounts(settings, counts, pods.length, rollback);
  const forward = diffs.updateNum >= 0;
  const target = forward ? input.updateRevision : input.currentRevision;
  const waiting = diffs.updateNum === 0 ? [] : waitingIndexes(pods, updateName, forward);
  const sorted = sortUpdateCandidates(pods, waiting, settings);
  const isAvailable = (pod: Pod) => isCloneSetPodAvailable(pod, settings.minReadySeconds, input.now);
  const chosen = limitUpdates({ pods, candidates: sorted, updateNum: diffs.updateNum, updateMaxUnavailable: diffs.updateMaxUnavailable, targetRevision: target.metadata.name ?? '', isAvailable });
  return { settings, pods, diffs, forward, target, sorted, capped: sorted.slice(0, Math.abs(diffs.updateNum)), chosen };
}

/**
 * Returns the next update step of a CloneSet (OpenKruise's `Update`): first refresh pod states
 * (lifecycle moves, missing `pod-template-hash`); nothing while paused or with OnDelete; else
 * the pods to move to the target revision — old pods first by ActivePods order, priority,
 * scatter and PreparingUpdate-first, at most |updateNum|, within updateMaxUnavailable — each
 * updated in place, parked in PreparingUpdate by its hook, or recreated. The in-place side of
 * pods already updating (grace period, container batches, `InPlaceUpdateReady`) is
 * `planInPlaceUpdateRefresh`'s job, per pod, before this.
 *
 * @example replicas 10, partition 3, maxUnavailable 20%, 10 ready old pods → update 2 now (updateNum 7)
 * @example InPlaceOnly and an env change → decision `error` with reason `in-place-only-cannot-update-in-place`
 */
export function planUpdate(input: CloneSetUpdateInput): UpdatePlan {
  const settings = resolveCloneSetSettings(input.cloneSet);
  const active = input.pods.filter(isPodActive);
  const refresh = refreshStep(active, settings, input);
  if (refresh !== undefined) return refresh;
  if (settings.paused) return { kind: 'none', reason: 'paused' };
  if (settings.updateType === 'OnDelete') return { kind: 'none', reason: 'on-delete' };

  const { pods, diffs, forward, target, sorted, chosen } = select(input, settings, active);
  if (diffs.updateNum === 0) return { kind: 'none', reason: 'update-complete', diffs };
  if (sorted.length === 0) return { kind: 'none', reason: 'no-candidates', diffs };
  if (chosen.length === 0) return { kind: 'none', reason: 'max-unavailable-reached', diffs };

  const decisions = decideChosenPods(input, { settings, pods, target, chosen });
  return { kind: 'update', reason: forward ? 'roll-forward' : 'roll-back', targetRevision: target.metadata.name ?? '', decisions, waiting: sorted.length, diffs };
}

/**
 * Returns how each chosen pod of a selection moves to the target revision ({@link decidePodUpdate}),
 * in update order, stopping after the first error as OpenKruise's update loop does.
 *
 * @example chosen [web-3, web-7], an image change under InPlaceIfPossible → 2 `update-in-place` decisions
 */
export function decideChosenPods(input: CloneSetUpdateInput, selection: Pick<UpdateSelection, 'settings' | 'pods' | 'target' | 'chosen'>): PodUpdateDecision[] {
  const context = {
    settings: selection.settings,
    revisions: input.revisions ?? [input.currentRevision, input.updateRevision],
    verdicts: new Map<string, InPlaceVerdict>(),
    ...(input.featureGates === undefined ? {} : { featureGates: input.featureGates }),
  };
  const decisions: PodUpdateDecision[] = [];
  for (const index of selection.chosen) {
    const decision = decidePodUpdate(selection.pods[index] as Pod, selection.target, context);
    decisions.push(decision);
    if (decision.kind === 'error') break;
  }
  return decisions;
}
