import type { ContainerRecreateRequest } from '../api/containerRecreateRequest.js';
import type { Container, ContainerStatus, Pod } from '../api/pod.js';

/** Env that marks a sidecar to stop once the main containers of a Job-like pod exited (value `true`, any case). */
export const KRUISE_TERMINATE_SIDECAR_ENV = 'KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT';
/**
 * Env, next to {@link KRUISE_TERMINATE_SIDECAR_ENV}, that lets the pod succeed whatever the
 * sidecar's exit code (value `true`; OpenKruise's `KruiseIgnoreContainerExitCodeEnv`).
 */
export const KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE_ENV = 'KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE';
/** Env naming the image a sidecar on a virtual-kubelet node is replaced with in place to stop it. */
export const KRUISE_TERMINATE_SIDECAR_WITH_IMAGE_ENV = 'KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT_WITH_IMAGE';
/** Condition the SidecarTerminator sets when it ends the pod itself. */
export const SIDECAR_TERMINATED_CONDITION = 'SidecarTerminated';

/**
 * One write of the SidecarTerminator, in the order it must be made:
 * - `in-place-update-sidecars`: replace each sidecar's image (virtual-kubelet nodes);
 * - `create-crr`: the ContainerRecreateRequest `sidecar-termination-<pod uid>` stopping `containers`;
 * - `mark-pod-terminated`: patch the pod's phase (Succeeded when every main container exited 0)
 *   with condition `SidecarTerminated` (only with ignore-exit-code sidecars).
 */
export type SidecarTerminationEffect =
  | { readonly kind: 'in-place-update-sidecars'; readonly images: Readonly<Record<string, string>> }
  | { readonly kind: 'create-crr'; readonly crr: ContainerRecreateRequest; readonly containers: readonly string[] }
  | { readonly kind: 'mark-pod-terminated'; readonly phase: 'Succeeded' | 'Failed' };

/** Why nothing is done for a pod, or that something is. */
export type SidecarTerminationReason =
  | 'not-job-like'
  | 'pending-or-deleting'
  | 'no-sidecar'
  | 'sidecars-completed'
  | 'main-containers-running'
  | 'terminate-sidecars';

/** What {@link planSidecarTermination} decided for one pod. */
export interface SidecarTerminationPlan {
  readonly reason: SidecarTerminationReason;
  readonly effects: readonly SidecarTerminationEffect[];
}

/** Input of {@link planSidecarTermination}. */
export interface SidecarTerminationInput {
  readonly pod: Pod;
  /** The pod's node carries `type=virtual-kubelet`. */
  readonly virtualKubelet: boolean;
  /** The CRR `sidecar-termination-<pod uid>` exists already (it is never created twice). */
  readonly crrExists: boolean;
}

const isTrue = (container: Container, name: string): boolean => (container.env ?? []).some((e) => e.name === name && (e.value ?? '').toLowerCase() === 'true');
const imageOf = (container: Container): string => (container.env ?? []).find((e) => e.name === KRUISE_TERMINATE_SIDECAR_WITH_IMAGE_ENV)?.value ?? '';
const isNormalSidecar = (c: Container): boolean => isTrue(c, KRUISE_TERMINATE_SIDECAR_ENV);
const isInPlaceSidecar = (c: Container): boolean => imageOf(c) !== '';
const isSidecar = (c: Container): boolean => isNormalSidecar(c) || isInPlaceSidecar(c);

function terminated(status: ContainerStatus): { readonly exitCode?: number } | undefined {
  const state = status.state?.terminated;
  return typeof state === 'object' && state !== null ? (state) : undefined;
}

/** Every named container has terminated (and, with `succeeded`, with exit code 0); false until every container reports a status. */
function allExited(pod: Pod, names: ReadonlySet<string>, succeeded: boolean): boolean {
  const statuses = pod.status?.containerStatuses ?? [];
  if (statuses.length !== pod.spec.containers.length) return false;
  return statuses.every((s) => {
    if (!names.has(s.name)) return true;
    const end = terminated(s);
    return end !== undefined && (!succeeded || (end.exitCode ?? 0) === 0);
  });
}

/** The CRR OpenKruise creates: owned by the pod, `forceRecreate`, failurePolicy Ignore. */
function terminationCrr(pod: Pod, containers: readonly string[]): ContainerRecreateRequest {
  return {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'ContainerRecreateRequest',
    metadata: {
      name: `sidecar-termination-${pod.metadata.uid ?? ''}`,
      namespace: pod.metadata.namespace ?? '',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: { podName: pod.metadata.name ?? '', containers: containers.map((name) => ({ name })), strategy: { forceRecreate: true, failurePolicy: 'Ignore' } },
  };
}

/**
 * Returns what OpenKruise's SidecarTerminator does for one pod. Only a pod with restartPolicy Never
 * (every main container exited) or OnFailure (every main container exited 0), not Pending nor
 * deleting, with sidecars not all exited, is acted on. Sidecars are containers with env
 * `KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT=true` or `..._WITH_IMAGE=<image>`. On a virtual-kubelet
 * node the image sidecars are replaced in place; elsewhere the running `true` sidecars without the
 * ignore-exit-code env are stopped through one CRR. Once those have exited, if there are sidecars
 * with `KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE=true`, the pod's phase is set
 * (Succeeded when every main container exited 0, else Failed, condition `SidecarTerminated`) and
 * they are stopped through the CRR, unless it exists already.
 *
 * @example restartPolicy Never, main exited 0, `log` (TERMINATE=true) running, no CRR
 *   → { reason: 'terminate-sidecars', effects: [{ kind: 'create-crr', containers: ['log'], … }] }
 */
export function planSidecarTermination(input: SidecarTerminationInput): SidecarTerminationPlan {
  const { pod, virtualKubelet } = input;
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (policy !== 'Never' && policy !== 'OnFailure') return { reason: 'not-job-like', effects: [] };
  if (pod.metadata.deletionTimestamp !== undefined || (pod.status?.phase ?? 'Pending') === 'Pending') return { reason: 'pending-or-deleting', effects: [] };
  const sidecars = new Set(pod.spec.containers.filter(isSidecar).map((c) => c.name));
  const main = new Set(pod.spec.containers.filter((c) => !isSidecar(c)).map((c) => c.name));
  if (sidecars.size === 0) return { reason: 'no-sidecar', effects: [] };
  if (allExited(pod, sidecars, false)) return { reason: 'sidecars-completed', effects: [] };
  if (!allExited(pod, main, policy === 'OnFailure')) return { reason: 'main-containers-running', effects: [] };

  const exited = new Set((pod.status?.containerStatuses ?? []).filter((s) => terminated(s) !== undefined).map((s) => s.name));
  const running = (names: readonly string[]): string[] => names.filter((n) => !exited.has(n)).sort();
  const inPlace = virtualKubelet ? pod.spec.containers.filter(isInPlaceSidecar) : [];
  const ignoring = virtualKubelet ? [] : pod.spec.containers.filter((c) => isNormalSidecar(c) && isTrue(c, KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE_ENV)).map((c) => c.name);
  const normal = virtualKubelet ? [] : pod.spec.containers.filter((c) => isNormalSidecar(c) && !ignoring.includes(c.name)).map((c) => c.name);

  const effects: SidecarTerminationEffect[] = [];
  const images = Object.fromEntries(inPlace.filter((c) => !exited.has(c.name) && c.image !== imageOf(c)).map((c) => [c.name, imageOf(c)]));
  if (Object.keys(images).length > 0) effects.push({ kind: 'in-place-update-sidecars', images });
  let crrExists = input.crrExists;
  const stop = (names: readonly string[]): void => {
    const left = running(names);
    if (left.length === 0 || crrExists) return;
    effects.push({ kind: 'create-crr', crr: terminationCrr(pod, left), containers: left });
    crrExists = true;
  };
  stop(normal);
  const inPlaceNames = inPlace.map((c) => c.name);
  if (ignoring.length === 0 || running(normal).length > 0 || running(inPlaceNames).length > 0) return { reason: 'terminate-sidecars', effects };
  const phase = pod.status?.phase;
  if (phase !== 'Succeeded' && phase !== 'Failed') effects.push({ kind: 'mark-pod-terminated', phase: allExited(pod, main, true) ? 'Succeeded' : 'Failed' });
  stop(ignoring);
  return { reason: 'terminate-sidecars', effects };
}
