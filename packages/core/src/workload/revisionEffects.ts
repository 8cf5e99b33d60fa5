import { CONTROLLER_REVISION_HASH_LABEL } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import { liveRevisionNames, planRevisionHistoryCleanup, type UpdateRevisionPlan } from '../shared/revisionHistory.js';
import type { ControllerRevision } from '../shared/revision.js';
import { objectRef } from './podEffects.js';
import type { ObjectRef, WorkloadEffect } from './workloadEffect.js';

/** The update revision a pass works with, and the write that makes it so (if any). */
export interface RevisionStep {
  /** The update revision as it is once `effects` are applied. */
  readonly update: ControllerRevision;
  /** Every revision the workload owns once `effects` are applied (the update revision included). */
  readonly revisions: readonly ControllerRevision[];
  /** `create-revision` or `renumber-revision`, or nothing when the newest revision is already it. */
  readonly effects: readonly WorkloadEffect[];
}

const revisionRef = (revision: ControllerRevision): ObjectRef => objectRef(revision);

/**
 * Returns the update revision of a pass from core's {@link UpdateRevisionPlan}: the newest as is;
 * an older equal one renumbered (a rollback; the write holds only while its number is unchanged);
 * or a new one created. The pass goes on with the revision as it will be, as OpenKruise does.
 *
 * @example plan renumber r1 (#1) to #3 → update r1 with revision 3, effects [renumber-revision r1 1→3]
 */
export function revisionStep(plan: UpdateRevisionPlan, owned: readonly ControllerRevision[]): RevisionStep {
  const others = (revision: ControllerRevision) => owned.filter((r) => r.metadata.name !== revision.metadata.name);
  switch (plan.kind) {
    case 'existing':
      return { update: plan.revision, revisions: owned, effects: [] };
    case 'renumber': {
      const update = { ...plan.revision, revision: plan.revisionNumber };
      const effect: WorkloadEffect = { kind: 'renumber-revision', target: revisionRef(plan.revision), from: plan.revision.revision, to: plan.revisionNumber, reason: 'template-rolled-back' };
      return { update, revisions: [...others(update), update], effects: [effect] };
    }
    case 'create':
      return { update: plan.revision, revisions: [...others(plan.revision), plan.revision], effects: [{ kind: 'create-revision', revision: plan.revision, reason: 'template-changed' }] };
  }
}

/**
 * Returns the `delete-revision` effects that keep at most `limit` unused revisions (OpenKruise's
 * `truncateHistory`): a revision is used when a pod's revision label or one of `pinned` (the
 * current and update revisions) names it; the oldest unused go first. Revisions not yet created
 * (no uid) are never deleted.
 *
 * @example 12 revisions, pods at 2 of them, pinned 1 more, limit 5 → delete the 4 oldest unused
 */
export function historyCleanupEffects(revisions: readonly ControllerRevision[], podRevisionLabels: Iterable<string | undefined>, pinned: readonly string[], limit: number): WorkloadEffect[] {
  const live = liveRevisionNames(revisions, podRevisionLabels, pinned);
  const doomed = new Set(planRevisionHistoryCleanup(revisions, live, limit));
  return revisions
    .filter((r) => doomed.has(r.metadata.name ?? '') && (r.metadata.uid ?? '') !== '')
    .map((r) => ({ kind: 'delete-revision', target: revisionRef(r), reason: 'revision-history-limit' }));
}

/**
 * Returns the pods' `controller-revision-hash` labels (`missing` for a pod without one), read one
 * by one as {@link historyCleanupEffects} walks them: it stops once every revision is live, so a
 * pass that pins every revision its pods carry reads none.
 *
 * @example [...podRevisionLabels([pod labelled web-1, pod without the label], '')] // ['web-1', '']
 */
export function* podRevisionLabels(pods: readonly Pod[], missing?: string): Generator<string | undefined, void, undefined> {
  for (const pod of pods) yield pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? missing;
}
