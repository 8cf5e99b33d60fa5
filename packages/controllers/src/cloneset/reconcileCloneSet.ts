import {
  computeCloneSetStatus,
  msUntilNextAvailable,
  CONTROLLER_REVISION_HASH_LABEL,
  liveRevisionNames,
  planRevisionHistoryCleanup,
  planScale,
  planUpdate,
  templateFromRevision,
  type CloneSet,
  type ControllerRevision,
  type Pod,
} from '@kruise-ts/core';
import { NotFoundError, Resources } from '@kruise-ts/k8s-adapter';
import type { ReconcileContext, ReconcileResult } from '../runtime/createController.js';
import { TerminalError } from '../runtime/terminalError.js';
import { parseObjectKey } from '../runtime/watches.js';
import { applyScalePlan } from './applyScalePlan.js';
import { refreshInPlaceUpdates } from './applyInPlace.js';
import { applyUpdatePlan, CloneSetUpdateRefused } from './applyUpdatePlan.js';
import { claimPods } from './claimPods.js';
import { recordEvent, soonest, type CloneSetPass, type CloneSetWriteDeps } from './cloneSetContext.js';
import { observeCloneSet, type CloneSetCaches, type CloneSetObservation } from './observeCloneSet.js';
import { syncCloneSetStatus } from './syncCloneSetStatus.js';
import { syncRevisions, type RevisionSync } from './syncRevisions.js';
import { truncatePodsToDelete } from './truncatePodsToDelete.js';

/** Everything a CloneSet reconcile uses. */
export interface CloneSetReconcileDeps extends CloneSetWriteDeps {
  readonly caches: CloneSetCaches;
  /** Returns `count` random 5-character instance-id suffixes. */
  readonly randomSuffixes: (count: number) => string[];
}

const done: ReconcileResult = { kind: 'done' };
const after = (ms: number | undefined): ReconcileResult => (ms === undefined ? done : { kind: 'requeue', afterMs: Math.max(1, ms) });
const message = (error: Error): string => error.message;
const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Reconciles one CloneSet in OpenKruise's order: expectations, adoption, revisions, then scale;
 * only when scale changed nothing, the in-place refresh and the update; then history clean-up,
 * status, and the names of gone pods dropped from `scaleStrategy.podsToDelete`. Each pass makes
 * at most one kind of change to the pods and lets the next pass see its effect; writes go
 * through expectations so a stale cache never acts twice.
 */
export async function reconcileCloneSet(deps: CloneSetReconcileDeps, key: string, context: ReconcileContext): Promise<ReconcileResult> {
  const { namespace = '', name } = parseObjectKey(key);
  const observed = observeCloneSet(deps.caches, { namespace, name });
  if (observed.kind === 'gone') {
    deps.scaleExpectations.forget(key);
    return done;
  }
  if (observed.kind === 'deleting') return done;
  const pass: CloneSetPass = { key, object: observed.object, signal: context.signal };
  if (observed.kind === 'invalid') {
    const text = observed.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    recordEvent(deps, pass, 'Warning', 'InvalidSpec', text);
    throw new TerminalError(`CloneSet ${key} is invalid: ${text}`);
  }
  const scale = deps.scaleExpectations.check(key);
  if (scale.kind === 'unsatisfied') return after(scale.requeueAfterMs);
  for (const pod of observed.pods) {
    const check = deps.resourceVersions.check(pod.metadata.uid ?? '');
    if (check.kind === 'unsatisfied') return after(check.requeueAfterMs);
  }
  if (await claimPods(deps, pass, observed.orphans, observed.strays)) return done;

  const revisions = await syncRevisions(deps, pass, observed.cloneSet, observed.revisions);
  if (revisions.kind === 'collision') {
    await syncCloneSetStatus(deps, pass, { ...observed.object.status, collisionCount: revisions.collisionCount });
    return after(0);
  }
  const cloneSet: CloneSet = { ...observed.cloneSet, status: observed.object.status };
  const outcome = await syncPods(deps, pass, cloneSet, observed, revisions);
  await cleanupHistory(deps, pass, cloneSet, observed.pods, revisions);

  const now = deps.clock.now();
  const status = computeCloneSetStatus({
    cloneSet,
    pods: observed.pods,
    currentRevision: revisions.current.metadata.name ?? '',
    updateRevision: revisions.update.metadata.name ?? '',
    collisionCount: revisions.collisionCount,
    now,
    ...(outcome.scaleError === undefined ? {} : { scaleError: message(outcome.scaleError) }),
    ...(outcome.updateError === undefined ? {} : { updateError: message(outcome.updateError) }),
  });
  await syncCloneSetStatus(deps, pass, status);
  await truncatePodsToDelete(deps, pass, observed.pods);
  if (outcome.scaleError !== undefined) throw outcome.scaleError;
  // A refused update (InPlaceOnly) is reported by the event and the FailedUpdate condition;
  // retrying cannot help until the spec changes, which triggers a new pass anyway.
  if (outcome.updateError !== undefined && !(outcome.updateError instanceof CloneSetUpdateRefused)) throw outcome.updateError;
  return after(soonest(outcome.requeueAfterMs, msUntilNextAvailable(observed.pods, cloneSet.spec.minReadySeconds ?? 0, now)));
}

interface SyncOutcome {
  readonly scaleError?: Error;
  readonly updateError?: Error;
  readonly requeueAfterMs?: number | undefined;
}

/** Scale first; only when it changed nothing, refresh in-place updates and update pods. */
async function syncPods(
  deps: CloneSetReconcileDeps,
  pass: CloneSetPass,
  cloneSet: CloneSet,
  observed: Extract<CloneSetObservation, { kind: 'observed' }>,
  revisions: Extract<RevisionSync, { kind: 'ready' }>,
): Promise<SyncOutcome> {
  const now = deps.clock.now();
  const currentTemplate = templateFromRevision(revisions.current) ?? cloneSet.spec.template;
  const replicas = cloneSet.spec.replicas ?? 1;
  const scalePlan = planScale({
    cloneSet,
    pods: observed.pods,
    pvcs: observed.pvcs,
    currentRevision: revisions.current.metadata.name ?? '',
    updateRevision: revisions.update.metadata.name ?? '',
    currentTemplate,
    now,
    instanceIdSuffixes: deps.randomSuffixes(Math.max(0, replicas - observed.pods.length) + 10),
    featureGates: deps.featureGates,
    nodeLabels: observed.nodeLabels,
  });
  try {
    const scaled = await applyScalePlan(deps, pass, scalePlan, observed.pods);
    if (scaled.wrote) return {};
  } catch (scaleError) {
    return { scaleError: asError(scaleError) };
  }
  try {
    const refreshed = await refreshInPlaceUpdates(deps, pass, observed.pods);
    if (refreshed.wrote) return { requeueAfterMs: refreshed.requeueAfterMs };
    const plan = planUpdate({ cloneSet, pods: observed.pods, currentRevision: revisions.current, updateRevision: revisions.update, revisions: revisions.revisions, now, featureGates: deps.featureGates });
    const updated = await applyUpdatePlan(deps, pass, plan, observed.pods);
    return { requeueAfterMs: soonest(refreshed.requeueAfterMs, updated.requeueAfterMs), ...(updated.refused === undefined ? {} : { updateError: updated.refused }) };
  } catch (updateError) {
    return { updateError: asError(updateError) };
  }
}

/** Deletes the oldest revisions no pod and no status field uses, beyond revisionHistoryLimit. */
async function cleanupHistory(deps: CloneSetReconcileDeps, pass: CloneSetPass, cloneSet: CloneSet, pods: readonly Pod[], revisions: { current: ControllerRevision; update: ControllerRevision; revisions: readonly ControllerRevision[] }): Promise<void> {
  const live = liveRevisionNames(
    revisions.revisions,
    pods.map((pod) => pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]),
    [revisions.current.metadata.name ?? '', revisions.update.metadata.name ?? ''],
  );
  const doomed = planRevisionHistoryCleanup(revisions.revisions, live, cloneSet.spec.revisionHistoryLimit ?? 10);
  await Promise.all(
    doomed.map((name) =>
      deps.client.delete(Resources.ControllerRevision, { name, namespace: pass.object.metadata.namespace }, { signal: pass.signal }).catch((error: unknown) => {
        if (!(error instanceof NotFoundError)) throw error;
      }),
    ),
  );
}
