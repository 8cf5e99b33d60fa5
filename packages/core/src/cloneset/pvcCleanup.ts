import type { PersistentVolumeClaim, Pod } from '../api/pod.js';
import { isPodActive } from '../shared/podState.js';
import { instanceIdOf } from './scaleCreations.js';

/** PVCs a CloneSet without PVC reuse removes before scaling (OpenKruise `cleanupPVCs`). */
export interface PvcCleanup {
  /** PVCs of active pods: the only ones scaling looks at afterwards. */
  readonly kept: readonly PersistentVolumeClaim[];
  /** Names of PVCs whose pod is gone: deleted. */
  readonly delete: readonly string[];
  /** PVCs of an inactive pod that still exists: their owner becomes that pod, so they go with it. */
  readonly handOver: readonly { readonly pvc: string; readonly pod: string }[];
}

/**
 * Returns what to do with PVCs no active pod uses when PVC reuse is off; with reuse on, nothing
 * (every PVC is kept, and vanished pods' ids are reused).
 *
 * @example reuse off, PVC id 'a' (pod active), 'b' (pod Failed), 'c' (no pod) → keep a, hand b to its pod, delete c
 */
export function planPvcCleanup(pods: readonly Pod[], pvcs: readonly PersistentVolumeClaim[], reuse: boolean): PvcCleanup {
  if (reuse || pvcs.length === 0) return { kept: pvcs, delete: [], handOver: [] };
  const active = new Set(pods.filter(isPodActive).map(instanceIdOf).filter((id) => id !== ''));
  const inactive = new Map(pods.filter((pod) => !isPodActive(pod)).map((pod) => [instanceIdOf(pod), pod.metadata.name ?? '']));
  const kept: PersistentVolumeClaim[] = [];
  const remove: string[] = [];
  const handOver: { pvc: string; pod: string }[] = [];
  for (const pvc of pvcs) {
    const id = instanceIdOf(pvc);
    const owner = inactive.get(id);
    if (active.has(id)) kept.push(pvc);
    else if (owner !== undefined && id !== '') handOver.push({ pvc: pvc.metadata.name ?? '', pod: owner });
    else remove.push(pvc.metadata.name ?? '');
  }
  return { kept, delete: remove, handOver };
}
