import { DAEMONSET_API_VERSION, DAEMONSET_KIND, type DaemonSet } from '../api/daemonSet.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../api/labels.js';
import { buildControllerRevision, shortHash, type ControllerRevision } from '../shared/revision.js';
import { nextRevisionNumber, planRevisionReuse, sortRevisions } from '../shared/revisionHistory.js';
import { objectRef } from '../workload/podEffects.js';
import { revisionStep, type RevisionStep } from '../workload/revisionEffects.js';
import type { WorkloadEffect } from '../workload/workloadEffect.js';

/**
 * The revision history of an Advanced DaemonSet (OpenKruise `daemonset_history.go`): each
 * ControllerRevision carries its hash in the `controller-revision-hash` label, and pods carry that
 * hash (not the revision's name) in theirs.
 */

/**
 * Returns the hash a revision stands for: its `controller-revision-hash` label, or (for a revision
 * without one, which OpenKruise labels with its name first) its name.
 *
 * @example revision 'agent-c4b9d7f6x' labelled 'c4b9d7f6x' → 'c4b9d7f6x'
 */
export function revisionHash(revision: ControllerRevision): string {
  return revision.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? revision.metadata.name ?? '';
}

/** The update revision of a pass and the old ones. */
export interface DaemonSetRevisions extends RevisionStep {
  /** The update revision's hash (`status.updateRevision`, the pods' label). */
  readonly hash: string;
  /** Every other revision the set owns. */
  readonly old: readonly ControllerRevision[];
}

/**
 * Returns the update revision of a pass (OpenKruise `constructHistory`): the revision whose data
 * is the set's template (renumbered to be the newest when an older one, a rollback), or a new one
 * named `<set>-<hash>` with the template's labels plus `controller-revision-hash: <hash>`, the
 * set's annotations and the set as controller. The hash takes `status.collisionCount` when set.
 *
 * @example no revisions → create 'agent-<hash>' (revision 1), labels { app: 'agent', 'controller-revision-hash': '<hash>' }
 */
export function daemonSetRevisions(ds: DaemonSet, revisions: readonly ControllerRevision[]): DaemonSetRevisions {
  const owner = {
    apiVersion: DAEMONSET_API_VERSION,
    kind: DAEMONSET_KIND,
    name: ds.metadata?.name ?? '',
    uid: ds.metadata?.uid ?? '',
    ...(ds.metadata?.namespace === undefined ? {} : { namespace: ds.metadata.namespace }),
    ...(ds.metadata?.annotations === undefined ? {} : { annotations: ds.metadata.annotations }),
  };
  const built = buildControllerRevision({
    owner,
    template: ds.spec.template,
    revision: nextRevisionNumber(revisions),
    ...(ds.status?.collisionCount === undefined ? {} : { collisionCount: ds.status.collisionCount }),
  });
  const hash = shortHash(built.metadata.name ?? '');
  const wanted = { ...built, metadata: { ...built.metadata, labels: { ...built.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash } } };
  const step = revisionStep(planRevisionReuse(wanted, revisions), revisions);
  const updateName = step.update.metadata.name;
  return { ...step, hash: revisionHash(step.update), old: step.revisions.filter((r) => r.metadata.name !== updateName) };
}

/**
 * Returns the `delete-revision` effects of OpenKruise's `cleanupHistory`: when there are more old
 * revisions than `revisionHistoryLimit`, the excess is deleted oldest first, skipping revisions
 * whose hash a pod still carries (so fewer may go). Revisions not yet created are never deleted.
 *
 * @example 12 old revisions, pods on 2 of them, limit 10 → delete the 2 oldest that no pod uses
 */
export function daemonSetHistoryCleanup(old: readonly ControllerRevision[], podHashes: ReadonlySet<string>, limit: number): WorkloadEffect[] {
  let toKill = old.length - limit;
  const effects: WorkloadEffect[] = [];
  for (const revision of sortRevisions(old)) {
    if (toKill <= 0) break;
    if (podHashes.has(revisionHash(revision)) || (revision.metadata.uid ?? '') === '') continue;
    effects.push({ kind: 'delete-revision', target: objectRef(revision), reason: 'revision-history-limit' });
    toKill--;
  }
  return effects;
}
