import type { ControllerRevision } from '@kruise-ts/core';
import type { KubeClient, KubeObject } from '@kruise-ts/k8s-adapter';
import { revisionNumberOf, runningRevisionKey, type PinnedRevision } from './pinnedRevision.js';
import { listControlledRevisions } from './rolloutHistory.js';
import type { RolloutRef } from './workloadRef.js';

/**
 * Returns a reader of the revision an object (read or watched) runs, for `rollout status
 * --revision`: its {@link runningRevisionKey} looked up among the ControllerRevisions it controls
 * ({@link listControlledRevisions}), listed once and again only when the key is one not seen yet
 * (a new rollout's revision is written before the status names it).
 *
 * @example CloneSet web at updateRevision web-b, revisions web-a #1, web-b #2 → reader(web) resolves { key: 'web-b', number: 2 }
 */
export function runningRevisionReader(client: KubeClient, ref: RolloutRef, namespace: string, kruiseNamespace: string): (object: KubeObject) => Promise<PinnedRevision['running']> {
  let revisions: readonly ControllerRevision[] | undefined;
  return async (object) => {
    const key = runningRevisionKey(ref.kind, object);
    if (key === undefined) return { key, number: undefined };
    let number = revisions === undefined ? undefined : revisionNumberOf(key, revisions);
    if (number === undefined) {
      revisions = await listControlledRevisions(client, ref, object, namespace, kruiseNamespace);
      number = revisionNumberOf(key, revisions);
    }
    return { key, number };
  };
}
