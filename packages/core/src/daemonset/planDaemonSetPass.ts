import type { DaemonSet, DaemonSetStatus } from '../api/daemonSet.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../api/labels.js';
import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import type { InPlaceFeatureGates } from '../inplace/inPlaceFeatureGates.js';
import type { EpochMs } from '../shared/podState.js';
import { fnv1a32, safeEncode, type ControllerRevision } from '../shared/revision.js';
import { isEmptyLabelSelector } from '../shared/selector.js';
import { claimEffects, claimPods } from '../workload/claimPods.js';
import { inPlaceRefreshEffects, type InPlaceRefresh } from '../workload/inPlaceEffects.js';
import { suffixDrawer, type NameSuffixes } from '../workload/nameSuffixes.js';
import { concatWaves, zipWaves, type EffectWave } from '../workload/podEffects.js';
import type { PassEvent, WorkloadEffect } from '../workload/workloadEffect.js';
import { soonest, type WorkloadPassPlan } from '../workload/workloadPassPlan.js';
import { computeDaemonSetStatus, isDaemonSetStatusChanged } from './computeDaemonSetStatus.js';
import { inPlaceUpdateEffects, syncNodesWaves } from './daemonSetEffects.js';
import { daemonSetHistoryCleanup, daemonSetRevisions } from './daemonSetHistory.js';
import { daemonPodPlacement, nodeShouldRunDaemonPod } from './daemonSetNodes.js';
import { daemonPodNamePrefix, daemonPodTarget, daemonPodTemplate, daemonSetControllerRef, newDaemonSetPod } from './daemonSetPod.js';
import { resolveDaemonSetSettings, type DaemonSetSettings } from './daemonSetSettings.js';
import { failedPodsBackoffKey, type FailedPodBackoffUpdate, type FailedPodsBackoff } from './failedPodsBackoff.js';
import { planDaemonSetManage, type DaemonNode, type DaemonSetManagePlan } from './planDaemonSetManage.js';
import { planDaemonSetRollingUpdate, type DaemonSetRollingUpdatePlan } from './planDaemonSetUpdate.js';
import { syncNodesWrites } from './syncDaemonNodes.js';

/** Everything one Advanced DaemonSet pass looks at. */
export interface DaemonSetSnapshot {
  /** The set as stored (metadata with uid and generation, status). Missing defaults are applied as OpenKruise's webhook would. */
  readonly daemonSet: DaemonSet;
  /** Pods of its namespace it controls, and orphans its selector matches (candidates for adoption). */
  readonly pods: readonly Pod[];
  /** Every node of the cluster. */
  readonly nodes: readonly Node[];
  /** Every ControllerRevision it owns. */
  readonly revisions: readonly ControllerRevision[];
  /** Now (one clock reading per pass), epoch ms. */
  readonly now: EpochMs;
  /** In-place feature gates (OpenKruise's defaults when unset). */
  readonly featureGates?: InPlaceFeatureGates;
  /**
   * Random suffixes of new pod names (the apiserver's `generateName`: `<set>-<suffix>`), drawn only
   * as many times as pods are created; a name an existing pod has is drawn again. Without it a
   * suffix is derived from the set, the node and `now` (deterministic, for offline plans).
   */
  readonly podNameSuffixes?: NameSuffixes;
  /** The failed-pod back-off entries the controller kept from earlier passes (none when unset). */
  readonly failedPodsBackoff?: FailedPodsBackoff;
  /** The apiserver serves `pods/resize` (Kubernetes ≥ 1.32; default true). */
  readonly resizeSubresource?: boolean;
}

/** Where a pass stopped: the last stage it reached (OpenKruise's `syncDaemonSet` order). */
export type DaemonSetStage =
  /** The set is being deleted: nothing is done. */
  | 'deleting'
  /** The selector is empty: a Warning `SelectingAll`, nothing else (not even the status). */
  | 'selecting-all'
  /** The manage loop wrote: the pass ends there (its status keeps `observedGeneration`). */
  | 'manage'
  /** `rollingUpdate.paused`: in-place refresh, history, status; no rolling update. */
  | 'paused'
  /** `OnDelete`: in-place refresh, history, status. */
  | 'on-delete'
  /** The rolling update ran. */
  | 'update';

/** What each stage of a pass decided. */
export interface DaemonSetPassStep {
  /** The last stage reached. */
  readonly stage: DaemonSetStage;
  /** The manage loop: node by node, and its writes. */
  readonly manage?: DaemonSetManagePlan;
  /** Pods whose in-place update moves on (grace period over, next container batch, InPlaceUpdateReady). */
  readonly refresh?: readonly InPlaceRefresh[];
  /** The rolling update. */
  readonly update?: DaemonSetRollingUpdatePlan;
}

/** One Advanced DaemonSet pass: the shared {@link WorkloadPassPlan} plus what the controller keeps. */
export interface DaemonSetPassPlan extends WorkloadPassPlan<DaemonSetPassStep, DaemonSetStatus> {
  /** The update revision (created by the prelude when new). */
  readonly updateRevision: ControllerRevision;
  /** Its hash: the pods' `controller-revision-hash`, `status.updateRevision`. */
  readonly hash: string;
  /** The resolved settings the pass used. */
  readonly settings: DaemonSetSettings;
  /** Failed-pod back-off entries to keep for the next passes (see `withFailedPodBackoffUpdates`). */
  readonly failedPodsBackoff: readonly FailedPodBackoffUpdate[];
}

// A suffix from the set, the node, `now` and an attempt number, in the apiserver's alphabet.
const derivedSuffix = (uid: string, node: string, now: EpochMs, attempt: number): string => safeEncode(String(fnv1a32(`${uid}/${node}/${String(now)}/${String(attempt)}`))).slice(-5);

// Pod names for new pods: fresh suffixes, none an existing pod already has.
function podNamer(ds: DaemonSet, pods: readonly Pod[], snapshot: DaemonSetSnapshot): (node: string) => string | undefined {
  // The names taken, gathered only when a pod is created (most passes create none).
  let taken: Set<string> | undefined;
  const prefix = daemonPodNamePrefix(ds);
  const given = snapshot.podNameSuffixes === undefined ? undefined : suffixDrawer(snapshot.podNameSuffixes);
  const uid = ds.metadata?.uid ?? '';
  return (node) => {
    taken ??= new Set(pods.map((p) => p.metadata.name ?? ''));
    for (let attempt = 0; attempt < 100; attempt++) {
      const suffix = given === undefined ? derivedSuffix(uid, node, snapshot.now, attempt) : given();
      if (suffix === undefined) return undefined;
      if (!taken.has(`${prefix}${suffix}`)) {
        taken.add(`${prefix}${suffix}`);
        return suffix;
      }
    }
    return undefined;
  };
}

// The nodes sorted by name, each with its eligibility and its pods; pods pinned to unknown nodes apart.
function observeNodes(ds: DaemonSet, nodes: readonly Node[], pods: readonly Pod[]): { entries: DaemonNode[]; orphaned: Pod[][] } {
  const placement = daemonPodPlacement(ds.spec.template.spec);
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    const target = daemonPodTarget(pod);
    if (target.kind !== 'node') continue;
    const list = byNode.get(target.node);
    if (list === undefined) byNode.set(target.node, [pod]);
    else list.push(pod);
  }
  const named = nodes.map((node) => ({ name: node.metadata.name ?? '', node }));
  named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const entries = named.map(({ name, node }): DaemonNode => {
    const own = byNode.get(name);
    byNode.delete(name);
    return { name, node, eligibility: nodeShouldRunDaemonPod(node, placement), pods: own };
  });
  return { entries, orphaned: [...byNode.values()] };
}


// The status a pass computes, or the stored one when nothing OpenKruise compares changed.
function statusToWrite(ds: DaemonSet, entries: readonly DaemonNode[], hash: string, settings: DaemonSetSettings, now: EpochMs, observeGeneration: boolean): { status: DaemonSetStatus; requeueAfterMs: number | undefined } {
  const result = computeDaemonSetStatus({ daemonSet: ds, nodes: entries, hash, templateGeneration: settings.templateGeneration, minReadySeconds: settings.minReadySeconds, now, observeGeneration });
  return { status: isDaemonSetStatusChanged(ds, result.status) ? result.status : (ds.status ?? result.status), requeueAfterMs: result.requeueAfterMs };
}

/**
 * Returns the status OpenKruise writes while the set's expectations are not satisfied (its own
 * creations, deletions or in-place updates not yet seen in the cache): `syncDaemonSet` then only
 * runs `updateDaemonSetStatus` without moving `observedGeneration`. The stored status when
 * nothing OpenKruise compares changed; the stored status as is for a set being deleted or with an
 * empty selector (nothing is written then).
 *
 * @example 3 eligible nodes, 2 ready pods counted, stored desired 0 → { desiredNumberScheduled: 3, numberReady: 2, ... } (observedGeneration as stored)
 */
export function daemonSetStatusWhileWaiting(snapshot: Pick<DaemonSetSnapshot, 'daemonSet' | 'pods' | 'nodes' | 'revisions' | 'now'>): DaemonSetStatus {
  const ds = snapshot.daemonSet;
  if (ds.metadata?.deletionTimestamp !== undefined || isEmptyLabelSelector(ds.spec.selector)) return ds.status ?? {};
  const settings = resolveDaemonSetSettings(ds);
  const { hash } = daemonSetRevisions(ds, snapshot.revisions);
  const claimed = claimPods({ uid: ds.metadata?.uid ?? '', selector: ds.spec.selector, deleting: false }, snapshot.pods);
  const { entries } = observeNodes(ds, snapshot.nodes, [...claimed.owned, ...claimed.adopt]);
  return statusToWrite(ds, entries, hash, settings, snapshot.now, false).status;
}

/**
 * Returns what one Advanced DaemonSet reconcile does, in OpenKruise's order, with no I/O
 * (`pkg/controller/daemonset`, `syncDaemonSet`):
 * 1. nothing while the set is being deleted; a Warning `SelectingAll` and nothing else for an
 *    empty selector;
 * 2. prelude: the update revision (created, or an older equal one renumbered), then adoption of
 *    orphan pods the selector matches and release of owned pods it no longer matches;
 * 3. the manage loop ({@link planDaemonSetManage}): pods for nodes that need one, deletions on
 *    nodes that may not keep theirs, failed (under back-off) and excess pods; when it writes, the
 *    pass ends there, as OpenKruise waits for its expectations;
 * 4. the in-place refresh of every pod; then, for RollingUpdate and unless paused, the rolling
 *    update ({@link planDaemonSetRollingUpdate});
 * 5. the status (written only when it differs as `storeDaemonSetStatus` compares);
 * 6. clean-ups: old revisions beyond revisionHistoryLimit (not after step 3 ends the pass).
 *
 * @example 3 eligible nodes, no pods → stage 'manage', creations on the 3 nodes in slow-start waves [[1], [2]]
 * @example 10 ready pods at r1, template r2, maxUnavailable 2, partition 3 → stage 'update', delete the pods of the 2 highest nodes
 */
export function planDaemonSetPass(snapshot: DaemonSetSnapshot): DaemonSetPassPlan {
  const ds = snapshot.daemonSet;
  const { now } = snapshot;
  const settings = resolveDaemonSetSettings(ds);
  const revisions = daemonSetRevisions(ds, snapshot.revisions);
  const { hash } = revisions;
  const base = { updateRevision: revisions.update, hash, settings } as const;
  const untouched = { ...base, prelude: [], effects: [], cleanups: [], status: ds.status ?? {}, requeueAfterMs: undefined, failedPodsBackoff: [] } as const;
  if (ds.metadata?.deletionTimestamp !== undefined) return { ...untouched, step: { stage: 'deleting' }, events: [] };
  if (isEmptyLabelSelector(ds.spec.selector)) {
    return { ...untouched, step: { stage: 'selecting-all' }, events: [{ type: 'Warning', reason: 'SelectingAll', message: 'This DaemonSet is selecting all pods. A non-empty selector is required.' }] };
  }

  const claimed = claimPods({ uid: ds.metadata?.uid ?? '', selector: ds.spec.selector, deleting: false }, snapshot.pods);
  const pods = [...claimed.owned, ...claimed.adopt];
  const prelude = concatWaves([[...revisions.effects, ...claimEffects(claimed, daemonSetControllerRef(ds))]]);
  const { entries, orphaned } = observeNodes(ds, snapshot.nodes, pods);
  const statusOf = (observeGeneration: boolean) => statusToWrite(ds, entries, hash, settings, now, observeGeneration);

  const template = daemonPodTemplate({ template: ds.spec.template, hash, templateGeneration: settings.templateGeneration, inPlaceReadinessGate: settings.rolling && settings.rollingUpdateType === 'InPlaceIfPossible' });
  const namer = podNamer(ds, snapshot.pods, snapshot);
  const newPod = (node: string): Pod | undefined => {
    const suffix = namer(node);
    return suffix === undefined ? undefined : newDaemonSetPod({ daemonSet: ds, template, node, suffix });
  };
  const effectContext = { newPod, now };

  const manage = planDaemonSetManage(entries, orphaned, {
    settings,
    hash,
    now,
    backoff: snapshot.failedPodsBackoff ?? new Map(),
    backoffKey: (node) => failedPodsBackoffKey(ds, node),
    namespace: ds.metadata?.namespace ?? '',
  });
  const manageWaves = syncNodesWaves(manage.sync, effectContext);
  const finish = (stage: DaemonSetStage, step: Omit<DaemonSetPassStep, 'stage' | 'manage'>, waves: readonly EffectWave[], requeueAfterMs: number | undefined, observeGeneration: boolean, cleanups: readonly WorkloadEffect[]): DaemonSetPassPlan => {
    const status = statusOf(observeGeneration);
    const events: PassEvent[] = [...manage.events];
    return { ...base, step: { stage, manage, ...step }, prelude, effects: waves, status: status.status, cleanups, events, requeueAfterMs: soonest(manage.requeueAfterMs, requeueAfterMs, status.requeueAfterMs), failedPodsBackoff: manage.backoff };
  };
  if (syncNodesWrites(manage.sync)) return finish('manage', {}, manageWaves, undefined, false, []);

  // The in-place refresh of every pod, then (RollingUpdate, not paused) the rolling update.
  const engine = { now, resizeSubresource: snapshot.resizeSubresource ?? true, featureGates: snapshot.featureGates };
  let requeueAfterMs: number | undefined;
  const refresh: InPlaceRefresh[] = [];
  const refreshOptions = { ...engine, revisionLabelKey: CONTROLLER_REVISION_HASH_LABEL };
  for (const pod of pods) {
    const result = inPlaceRefreshEffects(pod, refreshOptions);
    if (result.effects.length > 0) refresh.push(result);
    requeueAfterMs = soonest(requeueAfterMs, result.requeueAfterMs);
  }
  const refreshWaves = zipWaves(refresh.map((r) => r.effects));
  const podHashes = new Set(pods.map((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '').filter((h) => h !== ''));
  const cleanups = daemonSetHistoryCleanup(revisions.old, podHashes, settings.revisionHistoryLimit);
  if (settings.paused || settings.updateType !== 'RollingUpdate') return finish(settings.paused ? 'paused' : 'on-delete', { refresh }, refreshWaves, requeueAfterMs, true, cleanups);

  const update = planDaemonSetRollingUpdate({ settings, nodes: entries, updateRevision: revisions.update, oldRevisions: revisions.old, now, featureGates: snapshot.featureGates });
  const inPlace = update.actions.flatMap((action) => {
    if (action.kind !== 'in-place') return [];
    const started = inPlaceUpdateEffects(action, { ...engine, hash, revisionName: revisions.update.metadata.name ?? '' });
    requeueAfterMs = soonest(requeueAfterMs, started.requeueAfterMs);
    return [started.effects];
  });
  const waves = concatWaves(refreshWaves, zipWaves(inPlace), syncNodesWaves(update.sync, effectContext));
  return finish('update', { refresh, update }, waves, requeueAfterMs, true, cleanups);
}
