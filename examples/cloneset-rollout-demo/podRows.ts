/**
 * How the demo looks at pods: one row per pod (state, revision, lifecycle, availability) using
 * core's own readings of a CloneSet pod, and the rows grouped by revision and state for the view.
 */
import {
  CLONESET_INSTANCE_ID_LABEL,
  CONTROLLER_REVISION_HASH_LABEL,
  INPLACE_UPDATE_READY_CONDITION,
  checkInPlaceUpdateCompleted,
  getPodCondition,
  isCloneSetPodAvailable,
  isPodScheduled,
  isPodTerminating,
  isRunningAndReady,
  maxContainerRestarts,
  podLifecycleState,
  type Pod,
} from '@kruise-ts/core';

/** Where a pod stands, in the order a pod goes through them. */
export const POD_STATES = ['pending', 'creating', 'running', 'ready', 'in-place updating', 'terminating'] as const;
/**
 * `pending`: not bound to a node; `creating`: bound, containers starting; `running`: running, not
 * ready; `ready`: running and ready; `in-place updating`: InPlaceUpdateReady is False or the
 * kubelet has not run the new image yet; `terminating`: being deleted.
 */
export type PodState = (typeof POD_STATES)[number];

/** One pod as the view shows it. */
export interface PodRow {
  readonly name: string;
  readonly uid: string;
  /** `apps.kruise.io/cloneset-instance-id` (the name's random suffix). */
  readonly instanceId: string;
  /** `controller-revision-hash`. */
  readonly revision: string;
  readonly node: string;
  readonly ip: string;
  readonly state: PodState;
  /** What an in-place update waits for (`grace 1s`, `image of net`), else `''`. */
  readonly detail: string;
  /** `lifecycle.apps.kruise.io/state` (`Normal`, `PreparingNormal`, `Updating`…), `''` without one. */
  readonly lifecycle: string;
  /** Available to its CloneSet (`isCloneSetPodAvailable`: ready, lifecycle Normal, InPlaceUpdateReady not False). */
  readonly available: boolean;
  /** `image` of each container, in order. */
  readonly images: readonly string[];
  /** Highest container restart count (an in-place image change restarts one container). */
  readonly restarts: number;
}

function inPlaceDetail(pod: Pod, now: number): string | undefined {
  const completion = checkInPlaceUpdateCompleted(pod, now);
  switch (completion.kind) {
    case 'completed':
      return getPodCondition(pod, INPLACE_UPDATE_READY_CONDITION)?.status === 'False' ? 'readiness' : undefined;
    case 'in-grace':
      return `grace ${completion.remainingSeconds}s`;
    case 'waiting-image':
      return `image of ${completion.container}`;
    case 'waiting-resources':
      return `resources of ${completion.container}`;
    case 'next-batch-pending':
      return `next batch ${completion.containers.join(',')}`;
    case 'waiting-env-from-metadata':
      return 'env from metadata';
    case 'container-status-missing':
      return 'container status';
    case 'invalid-state':
      return 'invalid state';
  }
}

function stateOf(pod: Pod, inPlace: string | undefined): PodState {
  if (isPodTerminating(pod)) return 'terminating';
  if (!isPodScheduled(pod)) return 'pending';
  if (pod.status?.phase !== 'Running') return 'creating';
  if (inPlace !== undefined) return 'in-place updating';
  return isRunningAndReady(pod) ? 'ready' : 'running';
}

/** Returns the view's row of a pod at `now` (epoch ms). */
export function podRow(pod: Pod, now: number): PodRow {
  const labels = pod.metadata.labels ?? {};
  const inPlace = pod.status?.phase === 'Running' ? inPlaceDetail(pod, now) : undefined;
  return {
    name: pod.metadata.name ?? '',
    uid: pod.metadata.uid ?? '',
    instanceId: labels[CLONESET_INSTANCE_ID_LABEL] ?? pod.metadata.name ?? '',
    revision: labels[CONTROLLER_REVISION_HASH_LABEL] ?? '',
    node: pod.spec.nodeName ?? '',
    ip: pod.status?.podIP ?? '',
    state: stateOf(pod, inPlace),
    detail: inPlace ?? '',
    lifecycle: podLifecycleState(pod),
    available: !isPodTerminating(pod) && isCloneSetPodAvailable(pod, 0, now),
    images: pod.spec.containers.map((c) => c.image ?? ''),
    restarts: maxContainerRestarts(pod),
  };
}

/**
 * Returns how many of `replicas` pods are not available: live pods that are not, plus pods
 * missing below `replicas` (a recreate deletes before it creates).
 *
 * @example replicas 6, 6 live pods of which 2 in-place updating → 2; replicas 6, 4 live all available → 2
 */
export function countUnavailable(rows: readonly PodRow[], replicas: number): number {
  const live = rows.filter((r) => r.state !== 'terminating');
  return live.filter((r) => !r.available).length + Math.max(replicas - live.length, 0);
}

/** Pods of one state (and lifecycle) within a revision. */
export interface StateGroup {
  readonly state: PodState;
  readonly lifecycle: string;
  readonly rows: readonly PodRow[];
}

/** Pods of one revision, by state. */
export interface RevisionGroup {
  readonly revision: string;
  /** The revision the CloneSet updates to (`status.updateRevision`). */
  readonly isUpdate: boolean;
  /** Container images of the revision (a pod in the middle of an in-place update may still run the old ones). */
  readonly images: readonly string[];
  readonly states: readonly StateGroup[];
}

/**
 * Returns the rows grouped by revision (old ones first, the update revision last) and then by
 * state in {@link POD_STATES} order. `updateImages` (the CloneSet template's) name the update
 * revision's images; other revisions show those of a pod not being updated.
 */
export function groupRows(rows: readonly PodRow[], updateRevision: string, updateImages: readonly string[]): RevisionGroup[] {
  const revisions = [...new Set(rows.map((r) => r.revision))].sort((a, b) => Number(a === updateRevision) - Number(b === updateRevision) || a.localeCompare(b));
  return revisions.map((revision) => {
    const mine = rows.filter((r) => r.revision === revision).sort((a, b) => a.instanceId.localeCompare(b.instanceId));
    const keys = [...new Set(mine.map((r) => `${POD_STATES.indexOf(r.state)}|${r.lifecycle}`))].sort();
    const states = keys.map((key) => {
      const group = mine.filter((r) => `${POD_STATES.indexOf(r.state)}|${r.lifecycle}` === key);
      return { state: group[0]?.state ?? 'pending', lifecycle: group[0]?.lifecycle ?? '', rows: group };
    });
    const settled = mine.find((r) => r.state !== 'in-place updating') ?? mine[0];
    return { revision, isUpdate: revision === updateRevision, images: revision === updateRevision ? updateImages : (settled?.images ?? []), states };
  });
}
