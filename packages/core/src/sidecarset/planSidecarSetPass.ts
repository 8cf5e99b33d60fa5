import type { Pod } from '../api/pod.js';
import type { SidecarSet, SidecarSetStatus } from '../api/sidecarSet.js';
import { planSidecarSetRevision } from '../api/sidecarSetRevision.js';
import { diffPodForPatch } from '../inplace/diffPodForPatch.js';
import type { EpochMs } from '../shared/podState.js';
import type { ControllerRevision } from '../shared/revision.js';
import { concatWaves, isEmptyPodPatch, objectRef, podConditionEffects, podRef, zipWaves } from '../workload/podEffects.js';
import { revisionStep } from '../workload/revisionEffects.js';
import type { PassEvent, WorkloadEffect } from '../workload/workloadEffect.js';
import type { WorkloadPassPlan } from '../workload/workloadPassPlan.js';
import { computeSidecarSetStatus } from './computeSidecarSetStatus.js';
import { planSidecarSetHistoryCleanup } from './planSidecarSetHistoryCleanup.js';
import { planSidecarSetUpdate, type SidecarSetUpdatePlan } from './planSidecarSetUpdate.js';
import type { NamespaceLabels } from './selectSidecarSetPods.js';

/** Everything one SidecarSet pass looks at. */
export interface SidecarSetSnapshot {
  /** The SidecarSet as stored (defaulted by the webhook), with its status. */
  readonly sidecarSet: SidecarSet;
  /** Pods its selector matches (the planner narrows them to those it manages). */
  readonly pods: readonly Pod[];
  /** Labels of the pods' namespaces, for a namespaceSelector. */
  readonly namespaceLabels?: NamespaceLabels;
  /** Its ControllerRevisions (in the manager's namespace, labelled with its name). */
  readonly revisions: readonly ControllerRevision[];
  /** The manager's namespace, where its revisions live. */
  readonly revisionNamespace: string;
  /** Now (one clock reading per pass), epoch ms. */
  readonly now: EpochMs;
}

/**
 * The stage of a SidecarSet pass: sidecars upgraded in place (and hot upgrades finished), only pods
 * marked as not upgradable in place, or nothing to write (`update` says why).
 */
export type SidecarSetPassStep = { readonly stage: 'upgrade' | 'mark-not-upgradable' | 'idle'; readonly update: SidecarSetUpdatePlan };

/** One SidecarSet pass (see {@link WorkloadPassPlan}). */
export interface SidecarSetPassPlan extends WorkloadPassPlan<SidecarSetPassStep, SidecarSetStatus> {
  /** Name of the revision of the current spec. */
  readonly latestRevision: string;
}

function podPatch(pod: Pod, updated: Pod, reason: string, events?: WorkloadEffect['events']): WorkloadEffect[] {
  const patch = diffPodForPatch(pod, updated);
  return isEmptyPodPatch(patch) ? [] : [{ kind: 'patch-pod', target: podRef(pod), patch, reason, ...(events === undefined ? {} : { events }) }];
}

const upgradable = (pod: Pod, name: string, value: boolean, now: EpochMs): WorkloadEffect[] =>
  podConditionEffects(pod, [{ kind: 'mark-sidecarset-upgradable', sidecarSet: name, upgradable: value }], now, value ? 'sidecars-upgraded' : 'sidecars-not-upgradable', { guarded: true });

/**
 * Returns what one SidecarSet reconcile does (OpenKruise's `UpdateSidecarSet`), with no I/O:
 * prelude: register the revision of the current spec; stage: finished hot upgrades get their
 * idle twin reset, the pods {@link planSidecarSetUpdate} picks get their new sidecar images (one
 * patch each) after `SidecarSetUpgradable` True, pods that cannot be upgraded in place get it False
 * (one `NotUpgradablePods` event when that is new); then the status and the revision clean-up.
 *
 * @example 10 pods on fluentd:1, spec fluentd:2, maxUnavailable 2 → stage upgrade, effects [[upgradable a, upgradable b], [patch a, patch b]]
 */
export function planSidecarSetPass(snapshot: SidecarSetSnapshot): SidecarSetPassPlan {
  const { now } = snapshot;
  const name = snapshot.sidecarSet.metadata?.name ?? '';
  const collisionCount = snapshot.sidecarSet.status?.collisionCount ?? 0;
  const revision = revisionStep(planSidecarSetRevision({ sidecarSet: snapshot.sidecarSet, namespace: snapshot.revisionNamespace, collisionCount, revisions: snapshot.revisions }), snapshot.revisions);
  const latestRevision = revision.update.metadata.name ?? '';
  const ss: SidecarSet = { ...snapshot.sidecarSet, status: { ...snapshot.sidecarSet.status, latestRevision, collisionCount } };
  const options = snapshot.namespaceLabels === undefined ? {} : { namespaceLabels: snapshot.namespaceLabels };
  const update = planSidecarSetUpdate(ss, snapshot.pods, now, options);

  const resets = update.hotUpgradeResets.map((r) => podPatch(r.pod, r.updated, 'hot-upgrade-finished'));
  const upgrades = (update.decision.kind === 'upgrade' ? update.decision.upgrades : []).flatMap(({ pod, upgrade }) => {
    if (upgrade.kind === 'failed') return [];
    // The condition first: it is written at the resourceVersion the pass read, before the patch moves it.
    return [[...upgradable(pod, name, true, now), ...podPatch(pod, upgrade.pod, 'sidecar-image-changed')]];
  });
  const refusedEvents: PassEvent[] = (update.decision.kind === 'upgrade' ? update.decision.upgrades : []).flatMap(({ pod, upgrade }) =>
    upgrade.kind === 'failed' ? [{ type: 'Warning' as const, reason: 'UpdateSidecarFailed', message: `pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}: ${upgrade.message}` }] : [],
  );
  const marks = update.notUpgradable.map((pod) => upgradable(pod, name, false, now));
  const newlyMarked = marks.filter((m) => m.length > 0).length;
  const events: PassEvent[] = [
    ...refusedEvents,
    ...(newlyMarked > 0 ? [{ type: 'Normal' as const, reason: 'NotUpgradablePods', message: `SidecarSet in-place update detected ${String(update.notUpgradable.length)} not upgradable pod(s) in this round, will skip them.` }] : []),
  ];
  const status = computeSidecarSetStatus(ss, snapshot.pods, now, { latestRevision, collisionCount, ...options });
  const doomed = new Set(planSidecarSetHistoryCleanup({ ...ss, status }, snapshot.pods, revision.revisions));
  const cleanups: WorkloadEffect[] = revision.revisions
    .filter((r) => doomed.has(r.metadata.name ?? '') && (r.metadata.uid ?? '') !== '')
    .map((r) => ({ kind: 'delete-revision', target: objectRef(r), reason: 'revision-history-limit' }));
  return {
    step: { stage: upgrades.length > 0 || resets.some((r) => r.length > 0) ? 'upgrade' : newlyMarked > 0 ? 'mark-not-upgradable' : 'idle', update },
    prelude: concatWaves([revision.effects]),
    effects: concatWaves([resets.flat()], zipWaves(upgrades), [marks.flat()]),
    status,
    cleanups,
    events,
    requeueAfterMs: undefined,
    latestRevision,
  };
}
