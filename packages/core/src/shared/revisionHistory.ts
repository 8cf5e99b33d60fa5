import type { PersistentVolumeClaim, PodTemplateSpec } from '../api/pod.js';
import { buildControllerRevision, canonicalJson, equalToRevisionHash, type ControllerRevision, type RevisionOwner } from './revision.js';

/** What {@link planUpdateRevision} looks at. */
export interface UpdateRevisionInput {
  /** The workload that owns the revisions. */
  readonly owner: RevisionOwner;
  /** The workload's current pod template. */
  readonly template: PodTemplateSpec;
  /** CloneSet only: its volumeClaimTemplates (adds the VCT-hash annotation). */
  readonly volumeClaimTemplates?: readonly PersistentVolumeClaim[];
  /** `status.collisionCount` (0 when unset). */
  readonly collisionCount: number;
  /** The ControllerRevisions the workload owns. */
  readonly revisions: readonly ControllerRevision[];
}

/**
 * How the update revision is obtained this pass: it is already the newest revision; an older
 * revision with the same template becomes the newest again (a rollback, renumbered); or a new
 * ControllerRevision is created.
 */
export type UpdateRevisionPlan =
  | { readonly kind: 'existing'; readonly revision: ControllerRevision }
  | { readonly kind: 'renumber'; readonly revision: ControllerRevision; readonly revisionNumber: number }
  | { readonly kind: 'create'; readonly revision: ControllerRevision };

/** Returns the revisions sorted oldest first (by revision number, then name). */
export function sortRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort((a, b) => a.revision - b.revision || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

/** Returns whether two revisions record the same data (what Kubernetes' `EqualRevision` compares). */
export function equalRevisionData(a: Pick<ControllerRevision, 'data'>, b: Pick<ControllerRevision, 'data'>): boolean {
  return canonicalJson(a.data) === canonicalJson(b.data);
}

/**
 * Returns how to get the update revision, as Kubernetes' and OpenKruise's revision history does:
 * the template's revision is built with the next number; if the newest existing revision holds
 * the same data it is used as is; if an older one does, it is renumbered to be the newest;
 * otherwise the new revision is created (a name taken by different data is a hash collision: the
 * caller bumps `collisionCount` and tries again, see {@link isRevisionCollision}).
 *
 * @example revisions r1 (nginx:1, #1), r2 (nginx:2, #2), template nginx:1 → renumber r1 to #3
 */
export function planUpdateRevision(input: UpdateRevisionInput): UpdateRevisionPlan {
  const wanted = buildControllerRevision({
    owner: input.owner,
    template: input.template,
    revision: nextRevisionNumber(input.revisions),
    collisionCount: input.collisionCount,
    ...(input.volumeClaimTemplates === undefined ? {} : { volumeClaimTemplates: input.volumeClaimTemplates }),
  });
  return planRevisionReuse(wanted, input.revisions);
}

/**
 * Returns the number a new revision gets: one more than the highest existing one (1 for none).
 *
 * @example revisions #1, #4 → 5
 */
export function nextRevisionNumber(revisions: readonly ControllerRevision[]): number {
  return Math.max(0, ...revisions.map((r) => r.revision)) + 1;
}

/**
 * Returns how to get the revision `wanted` (built with {@link nextRevisionNumber}) from the
 * existing ones, by data equality: the newest already holds it (`existing`); an older one does
 * (`renumber` it to `wanted.revision`, a rollback); none does (`create` it). Shared by every kind
 * that keeps a revision history (CloneSet, SidecarSet).
 *
 * @example revisions r1 (data A, #1), r2 (data B, #2), wanted data A #3 → { kind: 'renumber', revision: r1, revisionNumber: 3 }
 */
export function planRevisionReuse(wanted: ControllerRevision, revisions: readonly ControllerRevision[]): UpdateRevisionPlan {
  const sorted = sortRevisions(revisions);
  const equal = sorted.filter((r) => equalRevisionData(r, wanted));
  const newest = sorted.at(-1);
  if (newest !== undefined && equal.includes(newest)) return { kind: 'existing', revision: newest };
  const older = equal.at(-1);
  if (older !== undefined) return { kind: 'renumber', revision: older, revisionNumber: wanted.revision };
  return { kind: 'create', revision: wanted };
}

/**
 * Returns whether an existing revision with the wanted name holds different data: a hash
 * collision (bump `collisionCount`); with the same data the existing one is simply used.
 */
export function isRevisionCollision(existing: Pick<ControllerRevision, 'data'>, wanted: Pick<ControllerRevision, 'data'>): boolean {
  return !equalRevisionData(existing, wanted);
}

/**
 * Returns the names of the revisions to delete so that at most `limit` revisions that no pod and
 * no status field uses remain: the oldest unused ones go first. Live revisions are never deleted.
 *
 * @example 14 revisions, 2 live, revisionHistoryLimit 10 → delete the 2 oldest unused
 */
export function planRevisionHistoryCleanup(revisions: readonly ControllerRevision[], live: ReadonlySet<string>, limit: number): string[] {
  const unused = sortRevisions(revisions).filter((r) => !live.has(r.metadata.name ?? ''));
  const excess = unused.length - Math.max(0, limit);
  return excess > 0 ? unused.slice(0, excess).map((r) => r.metadata.name ?? '') : [];
}

/**
 * Returns the names of the revisions still in use: those named in `pinned` (the status's current
 * and update revisions) and those a pod's revision label names, by full name or short hash.
 *
 * @example revisions web-aaa, web-bbb, web-ccc; pinned [web-ccc]; pods labelled 'bbb' → {web-ccc, web-bbb}
 */
export function liveRevisionNames(revisions: readonly ControllerRevision[], podRevisionLabels: Iterable<string | undefined>, pinned: readonly string[]): Set<string> {
  const live = new Set(pinned);
  // Stop reading labels once every revision is live: most passes pin both revisions the pods carry.
  let dead = revisions.filter((r) => r.metadata.name !== undefined && !live.has(r.metadata.name)).length;
  if (dead === 0) return live;
  for (const label of podRevisionLabels) {
    for (const r of revisions) {
      const name = r.metadata.name;
      if (name === undefined || live.has(name) || !equalToRevisionHash(label, name)) continue;
      live.add(name);
      dead--;
    }
    if (dead <= 0) break;
  }
  return live;
}
