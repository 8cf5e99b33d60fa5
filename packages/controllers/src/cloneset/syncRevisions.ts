import { isRevisionCollision, planUpdateRevision, type CloneSet, type ControllerRevision } from '@kruise-ts/core';
import { AlreadyExistsError, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
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

type RevisionObject = ControllerRevision & KubeObject;

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
  let update: ControllerRevision;
  switch (plan.kind) {
    case 'existing':
      update = plan.revision;
      break;
    case 'renumber':
      update = await deps.client.replace(Resources.ControllerRevision, { ...plan.revision, revision: plan.revisionNumber } as RevisionObject, { signal: pass.signal });
      break;
    case 'create': {
      const created = await createRevision(deps, pass, plan.revision);
      if (created === 'collision') return { kind: 'collision', collisionCount: collisionCount + 1 };
      update = created;
    }
  }
  const revisions = [...owned.filter((r) => r.metadata.name !== update.metadata.name), update];
  const currentName = pass.object.status?.currentRevision;
  const current = revisions.find((r) => r.metadata.name === currentName) ?? update;
  return { kind: 'ready', current, update, revisions, collisionCount };
}

async function createRevision(deps: CloneSetWriteDeps, pass: CloneSetPass, wanted: ControllerRevision): Promise<ControllerRevision | 'collision'> {
  try {
    return await deps.client.create(Resources.ControllerRevision, wanted as RevisionObject, { signal: pass.signal });
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    const key = { name: wanted.metadata.name ?? '', namespace: wanted.metadata.namespace };
    const existing = await deps.client.get(Resources.ControllerRevision, key, { signal: pass.signal });
    const ours = existing.metadata.ownerReferences?.some((o) => o.uid === pass.object.metadata.uid) === true;
    return ours && !isRevisionCollision(existing, wanted) ? existing : 'collision';
  }
}
