import type { Pod } from '../api/pod.js';
import type { SidecarSet } from '../api/sidecarSet.js';
import { findSidecarSetRevision } from '../api/sidecarSetRevision.js';
import { DEFAULT_SIDECARSET_REVISION_HISTORY_LIMIT } from '../api/withSidecarSetDefaults.js';
import type { ControllerRevision } from '../shared/revision.js';
import { planRevisionHistoryCleanup } from '../shared/revisionHistory.js';
import { readPodSidecarSetHashes } from './podSidecarSetHashes.js';

/**
 * Returns the names of the SidecarSet's revisions to delete (OpenKruise's `truncateHistory`): as
 * many as there are revisions beyond `revisionHistoryLimit` (default 10, at least 1; the limit
 * counts every revision), the oldest first, never one in use: the latest (`status.latestRevision`),
 * the one `injectionStrategy.revision` pins, and every revision a pod's `kruise.io/sidecarset-hash`
 * record names for this SidecarSet.
 *
 * @example 12 revisions, limit 10, latest r12, a pod still on r1 → delete r2 and r3
 */
export function planSidecarSetHistoryCleanup(ss: SidecarSet, pods: readonly Pod[], revisions: readonly ControllerRevision[]): string[] {
  const name = ss.metadata?.name ?? '';
  const live = new Set<string>();
  if ((ss.status?.latestRevision ?? '') !== '') live.add(ss.status?.latestRevision ?? '');
  const pin = ss.spec.injectionStrategy?.revision;
  if (pin !== undefined) {
    const found = findSidecarSetRevision(ss, pin, revisions);
    if (found.kind === 'found') live.add(found.revision.metadata.name ?? '');
  }
  for (const pod of pods) {
    const read = readPodSidecarSetHashes(pod.metadata, 'hash');
    const revision = read.kind === 'parsed' ? read.hashes[name]?.controllerRevision : undefined;
    if (revision !== undefined && revision !== '') live.add(revision);
  }
  const limit = Math.max(1, ss.spec.revisionHistoryLimit ?? DEFAULT_SIDECARSET_REVISION_HISTORY_LIMIT);
  const inUse = revisions.filter((r) => live.has(r.metadata.name ?? '')).length;
  return planRevisionHistoryCleanup(revisions, live, Math.max(0, limit - inUse));
}
