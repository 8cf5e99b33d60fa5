import { planSidecarSetHistoryCleanup, planSidecarSetRevision, type ControllerRevision, type Pod, type SidecarSet } from '@kruise-ts/core';
import { ConflictError, NotFoundError, Resources } from '@kruise-ts/k8s-adapter';
import { applyRevisionPlan } from '../runtime/applyRevisionPlan.js';
import type { SidecarSetPass, SidecarSetWriteDeps } from './sidecarSetContext.js';

/** The revision of the SidecarSet's current spec, or why the pass must start again. */
export type SidecarSetRevisionSync =
  | { readonly kind: 'ready'; readonly latestRevision: string; readonly collisionCount: number; readonly revisions: readonly ControllerRevision[] }
  /** The name is taken by another spec's revision: record `collisionCount` in the status, then retry. */
  | { readonly kind: 'collision'; readonly collisionCount: number }
  /** The cache was behind our own write (a renumber raced): look again shortly. */
  | { readonly kind: 'stale' };

/**
 * Registers the ControllerRevision of the SidecarSet's spec (core's `planSidecarSetRevision`,
 * applied by `applyRevisionPlan`): uses the newest equal one, renumbers an older equal one, or
 * creates it; a name taken by other data is a hash collision.
 */
export async function syncSidecarSetRevision(deps: SidecarSetWriteDeps, pass: SidecarSetPass, ss: SidecarSet, owned: readonly ControllerRevision[]): Promise<SidecarSetRevisionSync> {
  const collisionCount = pass.object.status?.collisionCount ?? 0;
  const plan = planSidecarSetRevision({ sidecarSet: ss, namespace: deps.revisionNamespace, collisionCount, revisions: owned });
  // A renumber at a resourceVersion our cache has not caught up with: not an error, look again.
  const latest = await applyRevisionPlan(deps.client, plan, pass.object.metadata.uid ?? '', pass.signal).catch((error: unknown) => {
    if (error instanceof ConflictError || error instanceof NotFoundError) return 'stale' as const;
    throw error;
  });
  if (latest === 'stale') return { kind: 'stale' };
  if (latest === 'collision') return { kind: 'collision', collisionCount: collisionCount + 1 };
  const revisions = [...owned.filter((r) => r.metadata.name !== latest.metadata.name), latest];
  return { kind: 'ready', latestRevision: latest.metadata.name ?? '', collisionCount, revisions };
}

/**
 * Deletes the revisions beyond `revisionHistoryLimit` that no pod, pin or status uses (core's
 * `planSidecarSetHistoryCleanup`), each with its uid as precondition; one already gone is fine.
 */
export async function cleanupSidecarSetHistory(deps: SidecarSetWriteDeps, pass: SidecarSetPass, ss: SidecarSet, pods: readonly Pod[], revisions: readonly ControllerRevision[]): Promise<void> {
  const doomed = new Set(planSidecarSetHistoryCleanup(ss, pods, revisions));
  await Promise.all(
    revisions
      .filter((r) => doomed.has(r.metadata.name ?? ''))
      .map(async (r) => {
        try {
          await deps.client.delete(Resources.ControllerRevision, { name: r.metadata.name ?? '', namespace: r.metadata.namespace }, { preconditions: { uid: r.metadata.uid ?? '' }, signal: pass.signal });
        } catch (error) {
          if (!(error instanceof NotFoundError || error instanceof ConflictError)) throw error;
        }
      }),
  );
}
