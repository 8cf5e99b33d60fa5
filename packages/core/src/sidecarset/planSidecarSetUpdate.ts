import type { Pod } from '../api/pod.js';
import type { UpdateScatterStrategy, UpdateScatterTerm } from '../api/pub.js';
import type { SidecarSet } from '../api/sidecarSet.js';
import { sortActivePodIndexes } from '../workload/podSorter.js';
import { sortByPriority, sortByScatter } from '../workload/updateSort.js';
import { calculatePartitionReplicas, scaledValueFromIntOrPercent } from '../shared/intOrPercent.js';
import { isRunningAndReady, type EpochMs } from '../shared/podState.js';
import { matchesLabelSelector } from '../shared/selector.js';
import { podHotUpgradeContainers } from './hotUpgrade.js';
import { selectSidecarSetPods, type NamespaceLabels } from './selectSidecarSetPods.js';
import { classifySidecarSetUpgradability, isSidecarSetPodUpdated, isSidecarSetPodConsistent, isSidecarSetPodReady, sidecarContainerNamesInPod } from './sidecarSetPodState.js';
import { isPodInHotUpgrade, resetHotUpgradeIdleContainers, upgradePodSidecars, type PodSidecarUpgrade } from './upgradePodSidecars.js';

/** Why no pod is upgraded this round. */
export type SidecarSetIdleReason = 'not-update' | 'update-complete' | 'paused' | 'no-candidates' | 'partition-reached' | 'max-unavailable-reached';

/** A pod write planned by the SidecarSet controller. */
export interface SidecarSetPodWrite {
  /** The pod as observed. */
  readonly pod: Pod;
  /** The change: the pod to write (`upgraded`), or why it cannot be computed. */
  readonly upgrade: PodSidecarUpgrade;
}

/** What the SidecarSet controller does next (one pass of OpenKruise's `UpdateSidecarSet`). */
export interface SidecarSetUpdatePlan {
  /** `upgrade` with the pods to upgrade in place now, or `idle` and why. */
  readonly decision: { readonly kind: 'upgrade'; readonly upgrades: readonly SidecarSetPodWrite[] } | { readonly kind: 'idle'; readonly reason: SidecarSetIdleReason };
  /** Pods whose hot upgrade is done: their idle twin goes back to the empty image (written first). */
  readonly hotUpgradeResets: readonly { readonly pod: Pod; readonly updated: Pod; readonly changedContainers: readonly string[] }[];
  /** Pods that cannot be upgraded in place (more than images changed): condition SidecarSetUpgradable=False. */
  readonly notUpgradable: readonly Pod[];
  /** The pods the SidecarSet manages (`selectSidecarSetPods`). */
  readonly pods: readonly Pod[];
}

/** Options of {@link planSidecarSetUpdate}. */
export interface PlanSidecarSetUpdateOptions {
  /** Labels of the pods' namespaces, for a namespaceSelector. */
  readonly namespaceLabels?: NamespaceLabels | undefined;
}

/**
 * Returns the scatter terms with every `key: '*'` term replaced by one term per value of that label
 * among the pods (first seen first), duplicates dropped (OpenKruise's `parseUpdateScatterTerms`).
 *
 * @example [{ key: 'zone', value: '*' }] over pods zone=a, zone=b, zone=a → [{ key: 'zone', value: 'a' }, { key: 'zone', value: 'b' }]
 */
export function expandScatterTerms(scatter: UpdateScatterStrategy, pods: readonly Pod[]): UpdateScatterTerm[] {
  const terms = scatter.flatMap((term) =>
    term.value !== '*' ? [term] : pods.flatMap((pod) => (pod.metadata.labels?.[term.key] === undefined ? [] : [{ key: term.key, value: pod.metadata.labels[term.key] ?? '' }])),
  );
  return terms.filter((term, i) => terms.findIndex((t) => t.key === term.key && t.value === term.value) === i).map((t) => ({ key: t.key, value: t.value }));
}

/**
 * Returns how many of the sorted candidates to upgrade now (OpenKruise's `calculateUpgradeCount`):
 * the last `partition` candidates are held back (partition scaled against all managed pods, as
 * `calculatePartitionReplicas`); a not-ready candidate is always taken (it cannot get less
 * available); a ready one only while pods updated but not consistent or not ready, plus those taken
 * so far, stay under maxUnavailable (default 1, percentages rounded up; unusable values count 0).
 *
 * @example 100 pods, 30 updated of which 4 not consistent yet, maxUnavailable 10, 70 ready candidates → 6
 */
export function sidecarSetUpgradeCount(ss: SidecarSet, candidates: readonly Pod[], pods: readonly Pod[]): number {
  const strategy = ss.spec.updateStrategy;
  const partition = calculatePartitionReplicas(strategy?.partition, pods.length);
  const held = partition.kind === 'scaled' ? partition.value : 0;
  if (candidates.length - held <= 0) return 0;
  const max = scaledValueFromIntOrPercent(strategy?.maxUnavailable ?? 1, pods.length, true);
  const maxUnavailable = max.kind === 'scaled' ? max.value : 0;
  let unavailable = pods.filter((p) => isSidecarSetPodUpdated(ss, p) && (!isSidecarSetPodConsistent(ss, p) || !isSidecarSetPodReady(ss, p))).length;
  let count = 0;
  for (const pod of candidates.slice(0, candidates.length - held)) {
    if (isSidecarSetPodReady(ss, pod)) {
      if (unavailable >= maxUnavailable) break;
      unavailable++;
    }
    count++;
  }
  return count;
}

function sortCandidates(ss: SidecarSet, pods: readonly Pod[], indexes: readonly number[]): number[] {
  const strategy = ss.spec.updateStrategy;
  const active = sortActivePodIndexes(pods, indexes);
  const prioritized = strategy?.priorityStrategy ? sortByPriority(pods, active, strategy.priorityStrategy) : active;
  return strategy?.scatterStrategy ? sortByScatter(pods, prioritized, expandScatterTerms(strategy.scatterStrategy, pods)) : prioritized;
}

// Pods whose hot upgrade finished: consistent (idle twins aside) and ready (idle twins aside).
function hotUpgradeResets(ss: SidecarSet, pods: readonly Pod[], now: EpochMs): SidecarSetUpdatePlan['hotUpgradeResets'] {
  const hot = (ss.spec.containers ?? []).filter((c) => c.upgradeStrategy?.upgradeType === 'HotUpgrade');
  if (hot.length === 0) return [];
  return pods.flatMap((pod) => {
    const idle = new Set(hot.map((c) => podHotUpgradeContainers(c.name, pod).other));
    const working = sidecarContainerNamesInPod(ss).filter((name) => !idle.has(name));
    const ready = isRunningAndReady(pod) || (pod.status?.containerStatuses ?? []).every((s) => idle.has(s.name) || s.ready === true);
    if (!isPodInHotUpgrade(ss, pod) || !isSidecarSetPodConsistent(ss, pod, working) || !ready) return [];
    const reset = resetHotUpgradeIdleContainers(ss, pod, now);
    return [{ pod, updated: reset.pod, changedContainers: reset.changedContainers }];
  });
}

/**
 * Returns what the SidecarSet controller does next for the pods it manages (`selectSidecarSetPods`
 * of `pods`), as OpenKruise's `UpdateSidecarSet` and `GetNextUpgradePods`:
 * 1. hot upgrades whose new twin works get their idle twin reset to the empty image;
 * 2. nothing more for `type: NotUpdate`, when every pod is at the SidecarSet's hash, or when paused;
 * 3. candidates: pods not at the hash, selected by `updateStrategy.selector`, whose without-image
 *    hash matches (else `notUpgradable`) and with no sidecar upgrade in progress;
 * 4. sorted (not-ready, unscheduled, pending first; then priority; then scatter, `*` expanded);
 * 5. the first {@link sidecarSetUpgradeCount} are upgraded (`upgradePodSidecars`).
 * The caller writes resets and upgrades, sets SidecarSetUpgradable on the pods
 * (`planSidecarSetUpgradableCondition`), and waits for its cache to see its writes before the
 * next pass (OpenKruise's update expectations).
 *
 * @example 10 pods on fluentd:1, SidecarSet on fluentd:2, maxUnavailable 2, partition 3 → upgrade 2 now; after 7 are updated → idle: partition-reached
 */
export function planSidecarSetUpdate(ss: SidecarSet, pods: readonly Pod[], now: EpochMs, options: PlanSidecarSetUpdateOptions = {}): SidecarSetUpdatePlan {
  const managed = selectSidecarSetPods(ss, pods, options.namespaceLabels);
  const base = { hotUpgradeResets: hotUpgradeResets(ss, managed, now), pods: managed };
  const idle = (reason: SidecarSetIdleReason, notUpgradable: readonly Pod[] = []): SidecarSetUpdatePlan => ({ ...base, notUpgradable, decision: { kind: 'idle', reason } });
  const strategy = ss.spec.updateStrategy;
  if (strategy?.type === 'NotUpdate') return idle('not-update');
  if (managed.every((pod) => isSidecarSetPodUpdated(ss, pod))) return idle('update-complete');
  if (strategy?.paused === true) return idle('paused');
  const waiting: number[] = [];
  const notUpgradable: Pod[] = [];
  managed.forEach((pod, i) => {
    if (isSidecarSetPodUpdated(ss, pod) || (strategy?.selector !== undefined && !matchesLabelSelector(strategy.selector, pod.metadata.labels))) return;
    const verdict = classifySidecarSetUpgradability(ss, pod);
    if (verdict.kind === 'upgradable') waiting.push(i);
    else if (verdict.kind === 'not-upgradable') notUpgradable.push(pod);
  });
  if (waiting.length === 0) return idle('no-candidates', notUpgradable);
  const candidates = sortCandidates(ss, managed, waiting).map((i) => managed[i] as Pod);
  const count = sidecarSetUpgradeCount(ss, candidates, managed);
  if (count === 0) {
    const held = calculatePartitionReplicas(strategy?.partition, managed.length);
    return idle(held.kind === 'scaled' && candidates.length <= held.value ? 'partition-reached' : 'max-unavailable-reached', notUpgradable);
  }
  const upgrades = candidates.slice(0, count).map((pod) => ({ pod, upgrade: upgradePodSidecars(ss, pod, now) }));
  return { ...base, notUpgradable, decision: { kind: 'upgrade', upgrades } };
}
