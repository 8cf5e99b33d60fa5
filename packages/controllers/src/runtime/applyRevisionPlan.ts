import { isRevisionCollision, type ControllerRevision, type UpdateRevisionPlan } from '@kruise-ts/core';
import { AlreadyExistsError, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';

type RevisionObject = ControllerRevision & KubeObject;

/**
 * Returns the ControllerRevision core's `UpdateRevisionPlan` stands for, writing what it takes:
 * `existing` as is; `renumber` through a PUT at the revision's resourceVersion (a stale cache
 * fails with a ConflictError rather than overwriting); `create` created. A create that finds the
 * name taken by the same data of the same owner (`ownerUid`; the cache was behind) returns that
 * revision, by other data `collision`: the caller bumps `collisionCount` and tries again.
 */
export async function applyRevisionPlan(client: KubeClient, plan: UpdateRevisionPlan, ownerUid: string, signal: AbortSignal): Promise<ControllerRevision | 'collision'> {
  switch (plan.kind) {
    case 'existing':
      return plan.revision;
    case 'renumber':
      return client.replace(Resources.ControllerRevision, { ...plan.revision, revision: plan.revisionNumber } as RevisionObject, { signal });
    case 'create':
      try {
        return await client.create(Resources.ControllerRevision, plan.revision as RevisionObject, { signal });
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
        const existing = await client.get(Resources.ControllerRevision, { name: plan.revision.metadata.name ?? '', namespace: plan.revision.metadata.namespace }, { signal });
        const ours = existing.metadata.ownerReferences?.some((o) => o.uid === ownerUid) === true;
        return ours && !isRevisionCollision(existing, plan.revision) ? existing : 'collision';
      }
  }
}
