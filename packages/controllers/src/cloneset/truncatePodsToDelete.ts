import { planPodsToDeleteTruncation, type Pod } from '@kruise-ts/core';
import { ConflictError, InvalidError, NotFoundError, Resources } from '@kruise-ts/k8s-adapter';
import type { CloneSetPass, CloneSetWriteDeps } from './cloneSetContext.js';

/**
 * Drops from `spec.scaleStrategy.podsToDelete` the names of pods that are gone (OpenKruise's
 * `truncatePodsToDelete`, run after the status). The JSON patch first tests that the list is still
 * the one this pass read, so a concurrent edit of the list (or of anything else) is never
 * overwritten, and the status written by this pass does not make it conflict. A failed test or a
 * deleted CloneSet is not an error: the next pass sees the new list. Returns whether it wrote.
 */
export async function truncatePodsToDelete(deps: Pick<CloneSetWriteDeps, 'client'>, pass: CloneSetPass, pods: readonly Pod[]): Promise<boolean> {
  const plan = planPodsToDeleteTruncation(pass.object.spec.scaleStrategy?.podsToDelete, pods);
  if (plan.kind === 'keep') return false;
  const path = '/spec/scaleStrategy/podsToDelete';
  const key = { name: pass.object.metadata.name ?? '', namespace: pass.object.metadata.namespace };
  try {
    await deps.client.patch(
      Resources.CloneSet,
      key,
      { type: 'json', operations: [{ op: 'test', path, value: plan.from }, { op: 'replace', path, value: plan.podsToDelete }] },
      { signal: pass.signal },
    );
    return true;
  } catch (error) {
    if (error instanceof ConflictError || error instanceof InvalidError || error instanceof NotFoundError) return false;
    throw error;
  }
}
