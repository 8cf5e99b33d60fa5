import { canonicalJson, computeSidecarSetStatus, planSidecarSetUpdate, type SidecarSet, type SidecarSetStatus } from '@kruise-ts/core';
import { ConflictError, NotFoundError } from '@kruise-ts/k8s-adapter';
import type { ReconcileContext, ReconcileResult } from '../runtime/createController.js';
import { TerminalError } from '../runtime/terminalError.js';
import { applySidecarSetUpdate } from './applySidecarSetUpdate.js';
import { observeSidecarSet, type SidecarSetCaches } from './observeSidecarSet.js';
import { recordSidecarSetEvent, type SidecarSetPass, type SidecarSetWriteDeps } from './sidecarSetContext.js';
import { SidecarSets } from './sidecarSetResources.js';
import { cleanupSidecarSetHistory, syncSidecarSetRevision } from './syncSidecarSetRevision.js';

/** Everything a SidecarSet reconcile uses. */
export interface SidecarSetReconcileDeps extends SidecarSetWriteDeps {
  readonly caches: SidecarSetCaches;
}

const done: ReconcileResult = { kind: 'done' };
const after = (ms: number): ReconcileResult => ({ kind: 'requeue', afterMs: Math.max(1, ms) });

/**
 * Writes `status` through the status subresource at the resourceVersion the SidecarSet was read
 * at, when it differs. A conflict or a deleted SidecarSet is not an error: the next pass computes
 * the status again. Returns whether it wrote.
 */
async function syncSidecarSetStatus(deps: SidecarSetWriteDeps, pass: SidecarSetPass, status: SidecarSetStatus): Promise<boolean> {
  if (canonicalJson(pass.object.status ?? {}) === canonicalJson(status)) return false;
  try {
    await deps.client.replace(SidecarSets, { ...pass.object, status }, { subresource: 'status', signal: pass.signal });
    return true;
  } catch (error) {
    if (error instanceof ConflictError || error instanceof NotFoundError) return false;
    throw error;
  }
}

/**
 * Reconciles one SidecarSet as OpenKruise's `UpdateSidecarSet`: observe (the SidecarSet, the
 * pods its selector matches, namespace labels, its revisions) → register the revision of its
 * spec → write the status (`computeSidecarSetStatus`, with observedGeneration) → wait until the
 * pod cache has seen our last pod writes → plan (`planSidecarSetUpdate`) → apply: reset finished
 * hot upgrades, upgrade the pods the plan picks in place, mark pods that cannot be upgraded →
 * delete old revisions. Pod events bring the next pass: readiness of the upgraded pods frees the
 * maxUnavailable budget for the next ones.
 */
export async function reconcileSidecarSet(deps: SidecarSetReconcileDeps, key: string, context: ReconcileContext): Promise<ReconcileResult> {
  const observed = observeSidecarSet(deps.caches, key);
  if (observed.kind === 'gone' || observed.kind === 'deleting') return done;
  const pass: SidecarSetPass = { key, object: observed.object, signal: context.signal };
  if (observed.kind === 'invalid') {
    const text = observed.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    recordSidecarSetEvent(deps, pass, 'Warning', 'InvalidSpec', text);
    throw new TerminalError(`SidecarSet ${key} is invalid: ${text}`);
  }
  const revision = await syncSidecarSetRevision(deps, pass, observed.sidecarSet, observed.revisions);
  if (revision.kind === 'stale') return after(100);
  if (revision.kind === 'collision') {
    await syncSidecarSetStatus(deps, pass, { ...observed.object.status, collisionCount: revision.collisionCount });
    return after(1);
  }
  const ss: SidecarSet = { ...observed.sidecarSet, status: { ...observed.object.status, latestRevision: revision.latestRevision, collisionCount: revision.collisionCount } };
  const now = deps.clock.now();
  const namespaceLabels = observed.namespaceLabels;
  const status = computeSidecarSetStatus(ss, observed.pods, now, { latestRevision: revision.latestRevision, collisionCount: revision.collisionCount, namespaceLabels });
  await syncSidecarSetStatus(deps, pass, status);
  for (const pod of observed.pods) {
    const check = deps.resourceVersions.check(pod.metadata.uid ?? '');
    if (check.kind === 'unsatisfied') return after(check.requeueAfterMs);
  }
  const plan = planSidecarSetUpdate(ss, observed.pods, now, { namespaceLabels });
  const outcome = await applySidecarSetUpdate(deps, pass, plan);
  if (outcome.upgraded > 0) context.log.debug({ upgraded: outcome.upgraded, decision: plan.decision.kind }, 'sidecars upgraded in place');
  else if (plan.decision.kind === 'idle') context.log.debug({ reason: plan.decision.reason, matched: plan.pods.length }, 'no pod to upgrade');
  await cleanupSidecarSetHistory(deps, pass, ss, observed.pods, revision.revisions);
  return done;
}
