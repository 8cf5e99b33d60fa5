import { CONTAINER_LAUNCH_PRIORITY_COMPLETED_ANNOTATION } from '../api/labels.js';
import type { OwnerReference } from '../api/objectMeta.js';
import type { Pod } from '../api/pod.js';
import { containerLaunchPriority } from '../inplace/selectContainerBatch.js';
import { getPodCondition } from '../shared/podState.js';
import { barrierConfigMapName, barrierKey } from './planLaunchPriorityInjection.js';

/** A pod's barrier ConfigMap as the controller reads it: its keys. */
export interface BarrierConfigMap {
  readonly data?: Readonly<Record<string, string>> | undefined;
}

/** The barrier ConfigMap the controller creates for a pod: empty, owned by the pod (not as controller). */
export interface NewBarrierConfigMap {
  readonly apiVersion: 'v1';
  readonly kind: 'ConfigMap';
  readonly metadata: { readonly name: string; readonly namespace?: string | undefined; readonly ownerReferences: readonly OwnerReference[] };
}

/**
 * One pass of the container-launch-priority controller over a pod, with why:
 * - `skip`: `no-barrier-env` (no container has `KRUISE_CONTAINER_BARRIER`), `completed` (the
 *   pod is annotated `apps.kruise.io/container-launch-priority-completed: "true"`) or
 *   `containers-ready` (its `ContainersReady` condition is True) — OpenKruise does not even
 *   enqueue such a pod;
 * - `create-barrier`: the ConfigMap `<pod>-barrier` is missing: create it (then look again);
 * - `release`: add key `p_<priority>` (the highest priority among the containers not ready) to
 *   the barrier; `complete` when it is also the lowest one left (then annotate the pod);
 * - `wait`: that key is already there, containers of that priority are still starting;
 * - `complete`: nothing left to release (no container waits, or the lowest key is there):
 *   annotate the pod.
 */
export type LaunchPriorityBarrierStep =
  | { readonly kind: 'skip'; readonly reason: 'no-barrier-env' | 'completed' | 'containers-ready' }
  | { readonly kind: 'create-barrier'; readonly configMap: NewBarrierConfigMap }
  | { readonly kind: 'release'; readonly key: string; readonly priority: number; readonly complete: boolean }
  | { readonly kind: 'wait'; readonly key: string }
  | { readonly kind: 'complete' };

/**
 * Returns the launch priorities (ascending) of the pod's containers that are not ready and carry
 * a barrier (OpenKruise's `findNextPriorities`).
 *
 * @example containers a(p_0, ready), b(p_-1), c(p_-2), d(no barrier) → [-2, -1]
 */
export function pendingLaunchPriorities(pod: Pod): number[] {
  const ready = new Set((pod.status?.containerStatuses ?? []).filter((s) => s.ready === true).map((s) => s.name));
  const pending: number[] = [];
  for (const container of pod.spec.containers) {
    if (ready.has(container.name)) continue;
    const priority = containerLaunchPriority(container);
    if (priority !== undefined) pending.push(priority);
  }
  return pending.sort((a, b) => a - b);
}

/** Returns the ConfigMap `<pod>-barrier` in the pod's namespace, owned by the pod (OpenKruise sets neither `controller` nor `blockOwnerDeletion`). */
export function newBarrierConfigMap(pod: Pod): NewBarrierConfigMap {
  const name = pod.metadata.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: barrierConfigMapName(name), ...(pod.metadata.namespace !== undefined && { namespace: pod.metadata.namespace }), ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name, uid: pod.metadata.uid ?? '' }] },
  };
}

/**
 * Returns what the container-launch-priority controller does for `pod` given its barrier
 * ConfigMap (undefined: none), as OpenKruise's `pkg/controller/containerlaunchpriority`: the
 * barrier is created first; then the highest pending priority is released (its key set to
 * `"true"`, so the kubelet starts those containers); when the lowest pending priority is in the
 * barrier the pod is annotated completed.
 *
 * @example pod web-0, containers a(p_0) b(p_-1) c(p_-2) none ready, barrier {} → release p_0 (complete false)
 * @example a ready, barrier { p_0 } → release p_-1; a, b ready, barrier { p_0, p_-1 } → release p_-2, complete true
 * @example a ready, barrier { p_0, p_-1 } (b still starting) → wait p_-1
 */
export function planLaunchPriorityBarrier(pod: Pod, barrier: BarrierConfigMap | undefined): LaunchPriorityBarrierStep {
  if (!pod.spec.containers.some((c) => containerLaunchPriority(c) !== undefined)) return { kind: 'skip', reason: 'no-barrier-env' };
  if (pod.metadata.annotations?.[CONTAINER_LAUNCH_PRIORITY_COMPLETED_ANNOTATION] === 'true') return { kind: 'skip', reason: 'completed' };
  if (getPodCondition(pod, 'ContainersReady')?.status === 'True') return { kind: 'skip', reason: 'containers-ready' };
  if (barrier === undefined) return { kind: 'create-barrier', configMap: newBarrierConfigMap(pod) };
  const pending = pendingLaunchPriorities(pod);
  const has = (priority: number) => Object.hasOwn(barrier.data ?? {}, barrierKey(priority));
  const lowest = pending[0];
  const highest = pending.at(-1);
  if (lowest === undefined || highest === undefined || has(lowest)) return { kind: 'complete' };
  if (has(highest)) return { kind: 'wait', key: barrierKey(highest) };
  return { kind: 'release', key: barrierKey(highest), priority: highest, complete: highest === lowest };
}
