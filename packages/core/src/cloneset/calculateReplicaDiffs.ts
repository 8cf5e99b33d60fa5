import type { CloneSet } from '../api/cloneSet.js';
import type { Pod } from '../api/pod.js';
import type { EpochMs } from '../shared/podState.js';
import { isPodActive } from '../shared/podState.js';
import { isCloneSetPodAvailable, isPodUpdatedForScale, isSpecifiedDelete } from './cloneSetPod.js';
import { isPodAtRevision, podLifecycleState } from '../workload/workloadPod.js';
import type { CloneSetFeatureGates, CloneSetSettings } from './cloneSetSettings.js';
import { resolveCloneSetSettings } from './cloneSetSettings.js';

/** What {@link calculateReplicaDiffs} looks at. */
export interface ReplicaDiffsInput {
  /** The CloneSet (spec of the update revision). */
  readonly cloneSet: CloneSet;
  /** Pods owned by the CloneSet; inactive ones (Succeeded, Failed, terminating) are ignored. */
  readonly pods: readonly Pod[];
  /** `status.currentRevision` (the revision partition keeps). */
  readonly currentRevision: string;
  /** The revision of the current template. */
  readonly updateRevision: string;
  /** Now, epoch ms (for minReadySeconds). */
  readonly now: EpochMs;
  /** Feature gates (all off by default). */
  readonly featureGates?: CloneSetFeatureGates;
  /**
   * Count PreparingUpdate pods as updated. OpenKruise does so in the scale path when the
   * PreparingUpdateAsUpdate gate is on, and never in the update path. Default false.
   */
  readonly preparingUpdateAsUpdate?: boolean;
  /** The manager flag `--cloneset-scaling-exclude-preparing-delete`. Default false. */
  readonly scalingExcludePreparingDelete?: boolean;
}

/**
 * The numbers a CloneSet reconcile acts on (OpenKruise's `expectationDiffs`); every field is 0
 * when there is nothing to do.
 */
export interface ReplicaDiffs {
  /** Pods to create now (before scaleUpLimit). */
  readonly scaleUpNum: number;
  /** How many of the creations should be at the current revision (may exceed scaleUpNum). */
  readonly scaleUpNumOldRevision: number;
  /** Pods to delete, not counting pods already specified for deletion. */
  readonly scaleDownNum: number;
  /** How many of the deletions should be current-revision pods (may exceed scaleDownNum). */
  readonly scaleDownNumOldRevision: number;
  /** Most pods to create in this pass (scaleStrategy.maxUnavailable minus unavailable pods). */
  readonly scaleUpLimit: number;
  /** Most ready pods that may be deleted in this pass (updateStrategy.maxUnavailable budget). */
  readonly deleteReadyLimit: number;
  /** Pods to keep above replicas (surge in use). */
  readonly useSurge: number;
  /** How much of useSurge is current-revision pods. */
  readonly useSurgeOldRevision: number;
  /** Pods to move to the update revision (> 0) or back to the current revision (< 0, rollback). */
  readonly updateNum: number;
  /** Most pods that may be unavailable because of updating (maxUnavailable + pods − replicas). */
  readonly updateMaxUnavailable: number;
}

/** How the pods of one revision class (updated or not) are spread. */
export interface RevisionPodCounts {
  /** All pods of the class. */
  readonly total: number;
  /** Pods not in PreparingDelete. */
  readonly active: number;
  /** Active pods specified for deletion. */
  readonly toDelete: number;
  /** Active pods neither specified for deletion nor available. */
  readonly unavailable: number;
  /** Pods in PreparingDelete. */
  readonly preDeleting: number;
}

/** Pod counts per revision class: `updated` pods are at the update revision. */
export interface CloneSetPodCounts {
  /** Pods at the update revision. */
  readonly updated: RevisionPodCounts;
  /** Pods at any other revision. */
  readonly old: RevisionPodCounts;
}

type MutableCounts = { -readonly [K in keyof RevisionPodCounts]: number };

const emptyCounts = (): MutableCounts => ({ total: 0, active: 0, toDelete: 0, unavailable: 0, preDeleting: 0 });

// Mutates `counts`: this runs once per pod on every reconcile of CloneSets with 10,000 pods.
function countPod(counts: MutableCounts, pod: Pod, settings: CloneSetSettings, now: EpochMs): void {
  counts.total += 1;
  if (podLifecycleState(pod) === 'PreparingDelete') {
    counts.preDeleting += 1;
    return;
  }
  counts.active += 1;
  if (isSpecifiedDelete(pod, settings.podsToDelete)) counts.toDelete += 1;
  else if (!isCloneSetPodAvailable(pod, settings.minReadySeconds, now)) counts.unavailable += 1;
}

/**
 * Returns the CloneSet's pods counted per revision class, as `calculateReplicaDiffs` counts them:
 * PreparingDelete pods apart, specified deletions apart, then unavailable ones.
 */
export function countCloneSetPods(
  pods: readonly Pod[],
  settings: CloneSetSettings,
  isUpdated: (pod: Pod) => boolean,
  now: EpochMs,
): CloneSetPodCounts {
  const updated = emptyCounts();
  const old = emptyCounts();
  for (const pod of pods) countPod(isUpdated(pod) ? updated : old, pod, settings, now);
  return { updated, old };
}

interface Surge {
  readonly useSurge: number;
  readonly useSurgeOldRevision: number;
}

// Surge covers either specified deletions beyond maxUnavailable or an update whose old and new
// diffs have opposite signs, never both in one pass: the controller scales or updates, not both.
function calculateSurge(settings: CloneSetSettings, counts: CloneSetPodCounts, updateOldDiff: number, updateNewDiff: number): Surge {
  if (settings.maxSurge <= 0) return { useSurge: 0, useSurgeOldRevision: 0 };
  const toDelete = counts.updated.toDelete + counts.old.toDelete;
  const scaleSurge = toDelete > 0 ? Math.min(Math.max(totalUnavailable(counts) + toDelete - settings.maxUnavailable, 0), toDelete) : 0;
  const scaleOldSurge = Math.max(scaleSurge - counts.updated.toDelete, 0);
  let updateSurge = 0;
  let updateOldSurge = 0;
  if (Math.sign(updateOldDiff) * Math.sign(updateNewDiff) === -1) {
    if (Math.abs(updateOldDiff) <= Math.abs(updateNewDiff)) {
      updateSurge = Math.abs(updateOldDiff);
      updateOldSurge = updateOldDiff < 0 ? updateSurge : 0;
    } else {
      updateSurge = Math.abs(updateNewDiff);
      updateOldSurge = updateNewDiff > 0 ? updateSurge : 0;
    }
  }
  const [surge, oldSurge] = scaleSurge >= updateSurge ? [scaleSurge, scaleOldSurge] : [updateSurge, updateOldSurge];
  const useSurge = Math.min(settings.maxSurge, surge);
  return { useSurge, useSurgeOldRevision: Math.min(useSurge, oldSurge) };
}

function totalUnavailable(counts: CloneSetPodCounts): number {
  return counts.updated.preDeleting + counts.old.preDeleting + counts.updated.unavailable + counts.old.unavailable;
}

/**
 * Returns how many pods to create, delete and update next, exactly as OpenKruise's
 * `calculateDiffsWithExpectation` computes them (see {@link ReplicaDiffs}).
 *
 * - Partition rounds up (a percentage under 100% never holds back every pod); maxSurge rounds up
 *   and is 0 while paused; maxUnavailable (default 20%) rounds up when maxSurge is 0, else down.
 * - `updateNum` is `oldActive − partition` or `−(newActive − (replicas − partition))`, whichever is
 *   smaller in size; without the CloneSetPartitionRollback gate (or when current = update
 *   revision) the rollback direction is cut to 0.
 * - `deleteReadyLimit = max(maxUnavailable + pods − replicas − unavailable, 0)` when anything is
 *   to be deleted; `updateMaxUnavailable = maxUnavailable + pods − replicas` when updating.
 *
 * @example replicas 5, partition 3, maxUnavailable 1, 5 ready old pods → updateNum 2, updateMaxUnavailable 1
 * @example replicas 5, maxSurge 1, maxUnavailable 0, 5 ready pods of which 1 specified-delete
 *   → scaleUpNum 1, scaleUpLimit 1, useSurge 1 (create the replacement first)
 */
export function calculateReplicaDiffs(input: ReplicaDiffsInput): ReplicaDiffs {
  const settings = resolveCloneSetSettings(input.cloneSet, input.scalingExcludePreparingDelete);
  const pods = input.pods.filter(isPodActive);
  const preparingAsUpdate = input.preparingUpdateAsUpdate ?? false;
  const counts = countCloneSetPods(pods, settings, (pod) => isPodUpdatedForScale(pod, input.updateRevision, preparingAsUpdate), input.now);
  const rollback = input.featureGates?.CloneSetPartitionRollback === true && input.currentRevision !== input.updateRevision;
  return diffsFromCounts(settings, counts, pods.length, rollback);
}

/**
 * Returns the {@link ReplicaDiffs} of already counted pods (the arithmetic of
 * {@link calculateReplicaDiffs}, for callers that counted pods themselves).
 */
export function diffsFromCounts(settings: CloneSetSettings, counts: CloneSetPodCounts, podCount: number, allowRollback: boolean): ReplicaDiffs {
  const { replicas, partition, maxUnavailable } = settings;
  let updateOldDiff = counts.old.active - partition;
  let updateNewDiff = counts.updated.active - (replicas - partition);
  if (!allowRollback) {
    updateOldDiff = Math.max(updateOldDiff, 0);
    updateNewDiff = Math.min(updateNewDiff, 0);
  }
  const { useSurge, useSurgeOldRevision } = calculateSurge(settings, counts, updateOldDiff, updateNewDiff);
  const unavailable = totalUnavailable(counts);
  const excluded = settings.excludePreparingDelete;
  const currentTotal = podCount - (excluded ? counts.old.preDeleting + counts.updated.preDeleting : 0);
  const currentOld = counts.old.total - (excluded ? counts.old.preDeleting : 0);
  const expectedTotal = replicas + useSurge;
  const expectedOld = partition + useSurgeOldRevision;
  const toDelete = counts.old.toDelete + counts.updated.toDelete;

  const scaleUpNum = Math.max(expectedTotal - currentTotal, 0);
  const scaleDownNum = Math.max(currentTotal - toDelete - expectedTotal, 0);
  const updateNum = Math.abs(updateOldDiff) <= Math.abs(updateNewDiff) ? updateOldDiff : -updateNewDiff;
  return {
    scaleUpNum,
    scaleUpNumOldRevision: scaleUpNum > 0 ? Math.max(expectedOld - currentOld, 0) : 0,
    scaleDownNum,
    scaleDownNumOldRevision: scaleDownNum > 0 ? Math.max(currentOld - counts.old.toDelete - expectedOld, 0) : 0,
    scaleUpLimit: scaleUpNum > 0 ? Math.min(scaleUpNum, Math.max(settings.scaleMaxUnavailable - unavailable, 0)) : 0,
    deleteReadyLimit: toDelete > 0 || scaleDownNum > 0 ? Math.max(maxUnavailable + (podCount - replicas) - unavailable, 0) : 0,
    useSurge,
    useSurgeOldRevision,
    updateNum: updateNum === 0 ? 0 : updateNum,
    updateMaxUnavailable: updateNum !== 0 ? maxUnavailable + podCount - replicas : 0,
  };
}

/** Returns whether the pod is at the update revision, the test the update path uses. */
export function isUpdatedForUpdate(updateRevision: string): (pod: Pod) => boolean {
  return (pod) => isPodAtRevision(pod, updateRevision);
}
