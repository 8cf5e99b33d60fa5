import { CRR_POD_UID_LABEL, CRR_SYNC_CONTAINER_STATUSES_ANNOTATION, CRR_UNREADY_ACQUIRED_KEY, parseTime, type ContainerRecreateRequest, type CrrContainer, type CrrContainerContext, type CrrContainerState, type CrrProbeHandler, type CrrSyncContainerStatus } from '@kruise-ts/core';
import type { ContainerInfo } from '../cri/containerRuntime.js';

/** CRI label of a container's name in its pod (set by the kubelet). */
export const KUBE_CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
/** CRI label of a container's pod uid (set by the kubelet). */
export const KUBE_POD_UID_LABEL = 'io.kubernetes.pod.uid';

/** The grace period when neither the CRR nor the pod gives one (Kubernetes' default). */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

/**
 * What the daemon does next for the CRR it picked for a pod (OpenKruise's `crr_daemon_controller`):
 * - `set-recreating`: the first thing, status phase Recreating;
 * - `wait-unready`: `unreadyGracePeriodSeconds` is set and the controller has not yet held the pod
 *   not ready (`afterMs` undefined), or the grace period is still running;
 * - `fill-status-context`: a container lacks its statusContext: take it from the runtime;
 * - `patch-states`: the observed container states differ from the status;
 * - `kill`: run the preStop and stop this container (the kubelet starts a new one);
 * - `complete`: every container Succeeded or Failed, or one Failed under failurePolicy Fail;
 * - `idle`: waiting for a container to come back (`requeueAfterMs` with minStartedSeconds).
 */
export type CrrDaemonAction =
  | { readonly kind: 'set-recreating' }
  | { readonly kind: 'wait-unready'; readonly afterMs?: number }
  | { readonly kind: 'fill-status-context'; readonly contexts: readonly (CrrContainerContext | undefined)[] }
  | { readonly kind: 'patch-states'; readonly states: readonly CrrContainerState[] }
  | { readonly kind: 'kill'; readonly name: string; readonly containerId: string; readonly podSandboxId: string; readonly gracePeriodSeconds: number; readonly preStop?: CrrProbeHandler; readonly ports?: CrrContainer['ports']; readonly states: readonly CrrContainerState[] }
  | { readonly kind: 'complete' }
  | { readonly kind: 'idle'; readonly requeueAfterMs?: number };

/** The runtime id of `<runtime>://<id>` (the id alone stays as it is). */
export function runtimeIdOf(containerID: string): string {
  const at = containerID.indexOf('://');
  return at < 0 ? containerID : containerID.slice(at + 3);
}

/** The pod's current container of that name on this node: the latest attempt of it (undefined when none). */
export function currentContainer(containers: readonly ContainerInfo[], podUid: string, name: string): ContainerInfo | undefined {
  return containers
    .filter((c) => c.labels[KUBE_POD_UID_LABEL] === podUid && (c.labels[KUBE_CONTAINER_NAME_LABEL] ?? c.name) === name)
    .reduce<ContainerInfo | undefined>((latest, c) => (latest === undefined || c.attempt > latest.attempt || (c.attempt === latest.attempt && c.createdAt > latest.createdAt) ? c : latest), undefined);
}

function syncStatuses(crr: ContainerRecreateRequest): Map<string, CrrSyncContainerStatus> {
  const raw = crr.metadata?.annotations?.[CRR_SYNC_CONTAINER_STATUSES_ANNOTATION] ?? '';
  if (raw === '') return new Map();
  try {
    const parsed = JSON.parse(raw) as CrrSyncContainerStatus[];
    return new Map(Array.isArray(parsed) ? parsed.map((s) => [s.name, s]) : []);
  } catch {
    return new Map();
  }
}

/**
 * The state of each of the CRR's containers as the node shows it (OpenKruise's
 * `getCurrentCRRContainersRecreateStates`): Succeeded and Failed stay; no container → Pending "not
 * found container on Node"; exited → Recreating; with `forceRecreate`, not yet killed → Pending;
 * another id, a higher attempt or created after the CRR → Recreating, Succeeded once the controller reports that container ready
 * for more than `minStartedSeconds`; otherwise Pending. `isKilled` is kept.
 *
 * @example app killed (isKilled), a new container b2 running since 20 s, sync status b2 ready, minStartedSeconds 10 → [{ name: 'app', phase: 'Succeeded', isKilled: true }]
 */
export function observedCrrStates(crr: ContainerRecreateRequest, containers: readonly ContainerInfo[], now: number): CrrContainerState[] {
  const podUid = crr.metadata?.labels?.[CRR_POD_UID_LABEL] ?? '';
  const created = parseTime(crr.metadata?.creationTimestamp) ?? 0;
  const minStartedMs = (crr.spec.strategy?.minStartedSeconds ?? 0) * 1000;
  const synced = syncStatuses(crr);
  return crr.spec.containers.map((c): CrrContainerState => {
    const previous = crr.status?.containerRecreateStates?.find((s) => s.name === c.name);
    if (previous !== undefined && (previous.phase === 'Failed' || previous.phase === 'Succeeded')) return previous;
    const killed = previous?.isKilled === true ? { isKilled: true } : {};
    const container = currentContainer(containers, podUid, c.name);
    if (container === undefined) return { name: c.name, phase: 'Pending', message: 'not found container on Node', ...killed };
    if (container.state === 'CONTAINER_EXITED') return { name: c.name, phase: 'Recreating', ...killed };
    // forceRecreate: a container not yet killed by this CRR is killed whatever it is now.
    if (crr.spec.strategy?.forceRecreate === true && previous?.isKilled !== true) return { name: c.name, phase: 'Pending' };
    const context = c.statusContext;
    if (context === undefined || container.id !== runtimeIdOf(context.containerID) || container.attempt > context.restartCount || startedAfter(container.createdAt, created)) {
      const status = synced.get(c.name);
      const succeeded = status !== undefined && runtimeIdOf(status.containerID ?? '') === container.id && now - container.createdAt >= minStartedMs && status.ready;
      return { name: c.name, phase: succeeded ? 'Succeeded' : 'Recreating', ...killed };
    }
    return { name: c.name, phase: 'Pending', ...killed };
  });
}

// The CRR's creationTimestamp has whole seconds: a container created within that second cannot be
// told apart from one created just before the CRR, so only a later second counts as "after".
const startedAfter = (createdAt: number, crrCreated: number): boolean => Math.floor(createdAt / 1000) * 1000 > crrCreated;

const sameStates = (a: readonly CrrContainerState[] | undefined, b: readonly CrrContainerState[]): boolean => JSON.stringify(a ?? []) === JSON.stringify(b);

/**
 * Plans the daemon's next step for the CRR it picked for a pod, from the containers the runtime
 * lists on this node, at `now` (epoch ms). One step per sync; the caller syncs again after each write.
 *
 * @example phase Recreating, app Pending (still the container of statusContext), failurePolicy Fail
 *   → { kind: 'kill', name: 'app', containerId: 'a1', gracePeriodSeconds: 30, states: [{ name: 'app', phase: 'Pending' }] }
 */
export function planCrrDaemonSync(crr: ContainerRecreateRequest, containers: readonly ContainerInfo[], now: number): CrrDaemonAction {
  if (crr.status?.phase !== 'Recreating') return { kind: 'set-recreating' };
  const strategy = crr.spec.strategy ?? {};
  if (strategy.unreadyGracePeriodSeconds !== undefined) {
    const acquired = parseTime(crr.metadata?.annotations?.[CRR_UNREADY_ACQUIRED_KEY]);
    if (acquired === undefined) return { kind: 'wait-unready' };
    const left = strategy.unreadyGracePeriodSeconds * 1000 - (now - acquired);
    if (left > 0) return { kind: 'wait-unready', afterMs: left };
  }
  const podUid = crr.metadata?.labels?.[CRR_POD_UID_LABEL] ?? '';
  if (crr.spec.containers.some((c) => c.statusContext === undefined)) {
    return {
      kind: 'fill-status-context',
      contexts: crr.spec.containers.map((c) => {
        const container = currentContainer(containers, podUid, c.name);
        return c.statusContext ?? (container === undefined ? undefined : { containerID: container.id, restartCount: container.attempt });
      }),
    };
  }
  const states = observedCrrStates(crr, containers, now);
  if (!sameStates(crr.status.containerRecreateStates, states)) return { kind: 'patch-states', states };
  let completed = 0;
  for (const state of states) {
    if (state.phase === 'Succeeded' || state.phase === 'Failed') {
      completed++;
      if (state.phase === 'Failed' && strategy.failurePolicy !== 'Ignore') return { kind: 'complete' };
      continue;
    }
    if (state.phase === 'Recreating') {
      if (strategy.orderedRecreate === true) break;
      continue;
    }
    const container = currentContainer(containers, podUid, state.name);
    if (container === undefined) break;
    const spec = crr.spec.containers.find((c) => c.name === state.name);
    return {
      kind: 'kill',
      name: state.name,
      containerId: container.id,
      podSandboxId: container.podSandboxId,
      gracePeriodSeconds: strategy.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS,
      ...(spec?.preStop === undefined ? {} : { preStop: spec.preStop }),
      ...(spec?.ports === undefined ? {} : { ports: spec.ports }),
      states,
    };
  }
  if (completed === states.length) return { kind: 'complete' };
  return strategy.minStartedSeconds !== undefined && strategy.minStartedSeconds > 0 ? { kind: 'idle', requeueAfterMs: strategy.minStartedSeconds * 1000 } : { kind: 'idle' };
}
