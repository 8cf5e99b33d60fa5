import type { Pod } from '../api/pod.js';
import type { SidecarSet, SidecarSetStatus } from '../api/sidecarSet.js';
import type { EpochMs } from '../shared/podState.js';
import { selectSidecarSetPods, type NamespaceLabels } from './selectSidecarSetPods.js';
import { isSidecarSetPodUpdated, isSidecarSetPodConsistent, isSidecarSetPodReady } from './sidecarSetPodState.js';

/** Options of {@link computeSidecarSetStatus}. */
export interface SidecarSetStatusOptions {
  /** Name of the ControllerRevision of the current spec (default `status.latestRevision`). */
  readonly latestRevision?: string | undefined;
  /** Collision count after registering that revision (default `status.collisionCount`, else 0). */
  readonly collisionCount?: number | undefined;
  /** Labels of the pods' namespaces, for a namespaceSelector (see `selectSidecarSetPods`). */
  readonly namespaceLabels?: NamespaceLabels | undefined;
}

/**
 * Returns a SidecarSet's status (OpenKruise's `calculateStatus`) over the pods it manages
 * (`selectSidecarSetPods` of `pods`): `matchedPods`; `updatedPods` at the SidecarSet's hash;
 * `readyPods` consistent (`isSidecarSetPodConsistent`) and ready (`isSidecarSetPodReady`);
 * `updatedReadyPods` both; `observedGeneration` the SidecarSet's generation; `latestRevision` and
 * `collisionCount` as given. The status does not depend on time; `now` is taken for symmetry with
 * the other SidecarSet functions.
 *
 * @example 10 managed pods, 4 at the new hash of which 3 ready, 9 ready in all →
 *   { matchedPods: 10, updatedPods: 4, readyPods: 9, updatedReadyPods: 3, observedGeneration: 2, latestRevision: 'log-x8d…', collisionCount: 0 }
 */
export function computeSidecarSetStatus(ss: SidecarSet, pods: readonly Pod[], _now?: EpochMs, options: SidecarSetStatusOptions = {}): SidecarSetStatus {
  const managed = selectSidecarSetPods(ss, pods, options.namespaceLabels);
  let updated = 0;
  let ready = 0;
  let updatedReady = 0;
  for (const pod of managed) {
    const isUpdated = isSidecarSetPodUpdated(ss, pod);
    const isReady = isSidecarSetPodConsistent(ss, pod) && isSidecarSetPodReady(ss, pod);
    if (isUpdated) updated++;
    if (isReady) ready++;
    if (isUpdated && isReady) updatedReady++;
  }
  const latestRevision = options.latestRevision ?? ss.status?.latestRevision;
  return {
    observedGeneration: ss.metadata?.generation ?? 0,
    matchedPods: managed.length,
    updatedPods: updated,
    readyPods: ready,
    updatedReadyPods: updatedReady,
    ...(latestRevision !== undefined && { latestRevision }),
    collisionCount: options.collisionCount ?? ss.status?.collisionCount ?? 0,
  };
}
