import { canonicalJson, type CloneSetStatus } from '@kruise-ts/core';
import { ConflictError, NotFoundError, Resources } from '@kruise-ts/k8s-adapter';
import type { CloneSetPass, CloneSetWriteDeps } from './cloneSetContext.js';

/**
 * Writes `status` through the status subresource when it differs from what the CloneSet has,
 * at the resourceVersion it was read at. A conflict or a deleted CloneSet is not an error: the
 * next pass computes the status again from fresh caches. Returns whether it wrote.
 */
export async function syncCloneSetStatus(deps: CloneSetWriteDeps, pass: CloneSetPass, status: CloneSetStatus): Promise<boolean> {
  if (canonicalJson(pass.object.status ?? {}) === canonicalJson(status)) return false;
  try {
    await deps.client.replace(Resources.CloneSet, { ...pass.object, status }, { subresource: 'status', signal: pass.signal });
    return true;
  } catch (error) {
    if (error instanceof ConflictError || error instanceof NotFoundError) return false;
    throw error;
  }
}
