import { planUpdateRevision, type CloneSet, type ControllerRevision } from '@kruise-ts/core';
import { applyRevisionPlan } from '../runtime/applyRevisionPlan.js';
import type { CloneSetPass, CloneSetWriteDeps } from './cloneSetContext.js';

/** The revisions a pass works with, or a hash collision to record first. */
export type RevisionSync =
  | {
      readonly kind: 'ready';
      /** The revision `status.currentRevision` names (the update revision at first). */
      readonly current: ControllerRevision;
      /** The revision of the current template. */
      readonly update: ControllerRevision;
      /** Every revision the CloneSet owns, the update revision included. */
      readonly revisions: readonly ControllerRevision[];
      readonly collisionCount: number;
    }
  | { readonly kind: 'collision'; readonly collisionCount: number };

/**
 * Makes sure the ControllerRevision of the CloneSet's template exists and is the newest: reuses
 * it, renumbers an older identical one (a rollback), or creates it. A name taken by a revision
 * with other data is a hash collision: the caller records `collisionCount + 1` and tries again.
 */
export async function syncRevisions(deps: CloneSetWriteDeps, pass: CloneSetPass, cloneSet: CloneSet, owned: readonly ControllerRevision[]): Promise<RevisionSync> {
  const { name = '', namespace, uid = '', annotations } = pass.object.metadata;
  const collisionCount = pass.object.status?.collisionCount ?? 0;
  const plan = planUpdateRevision({
    owner: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name, uid, ...(namespace === undefined ? {} : { namespace }), ...(annotations === undefined ? {} : { annotations }) },
    template: cloneSet.spec.template,
    volumeClaimTemplates: cloneSet.spec.volumeClaimTemplates ?? [],
    collisionCount,
    revisions: owned,
  });
  const update = await applyRevisionPlan(deps.client, plan, uid, pass.signal);
  if (update === 'collision') return { kind: 'collision', collisionCount: collisionCount + 1 };
  const revisions = [...owned.filter((r) => r.metadata.name !== update.metadata.name), update];
  const currentName = pass.object.status?.currentRevision;
  const current = revisions.find((r) => r.metadata.name === currentName) ?? update;
  return { kind: 'ready', current, update, revisions, collisionCount };
}
