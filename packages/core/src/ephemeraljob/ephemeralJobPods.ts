import { EPHEMERAL_CONTAINER_ENV_KEY, type EphemeralContainer, type EphemeralJob } from '../api/ephemeralJob.js';
import type { ContainerStatus, Pod } from '../api/pod.js';
import { isEmptyLabelSelector, matchesLabelSelector } from '../shared/selector.js';
import { isPodActive, parseTime } from '../shared/podState.js';

/**
 * How an EphemeralJob sees pods: which it targets, whether its containers are in a pod, and the
 * state of a pod's run of them (OpenKruise `filterPods`, `getSyncPods`, `parseEphemeralPodStatus`).
 */

interface EphemeralView {
  readonly spec: { readonly ephemeralContainers?: readonly EphemeralContainer[] };
  readonly status?: { readonly ephemeralContainerStatuses?: readonly ContainerStatus[] };
}

const ephemeralOf = (pod: Pod): readonly EphemeralContainer[] => (pod as unknown as EphemeralView).spec.ephemeralContainers ?? [];
const statusesOf = (pod: Pod): readonly ContainerStatus[] => (pod as unknown as EphemeralView).status?.ephemeralContainerStatuses ?? [];

/** Returns whether an ephemeral container was injected by the job with uid `uid` (its `KRUISE_EJOB_ID` env). */
export function isCreatedByEphemeralJob(uid: string, container: EphemeralContainer): boolean {
  return (container.env ?? []).some((env) => env.name === EPHEMERAL_CONTAINER_ENV_KEY && env.value === uid);
}

const templateNames = (job: EphemeralJob): Set<string> => new Set(job.spec.template.ephemeralContainers.map((c) => c.name));

/** Returns whether the pod already has an ephemeral container of one of the template's names that another job (or a person) added. */
export function hasConflictingEphemeralContainer(job: EphemeralJob, pod: Pod): boolean {
  const names = templateNames(job);
  const uid = job.metadata?.uid ?? '';
  return ephemeralOf(pod).some((c) => names.has(c.name) && !isCreatedByEphemeralJob(uid, c));
}

/** Returns whether the job's containers are in the pod (one of the template's names, injected by the job). */
export function hasJobEphemeralContainers(job: EphemeralJob, pod: Pod): boolean {
  const names = templateNames(job);
  const uid = job.metadata?.uid ?? '';
  return ephemeralOf(pod).some((c) => names.has(c.name) && isCreatedByEphemeralJob(uid, c));
}

/**
 * Returns the job's target pods (OpenKruise `filterPods`): the pods of its namespace its selector
 * matches (an empty selector matches none), oldest first then by name, active, without a
 * conflicting ephemeral container, at most `replicas` of them.
 *
 * @example replicas 3, five matching pods created one a minute → the three oldest
 */
export function ephemeralJobTargets(job: EphemeralJob, pods: readonly Pod[]): Pod[] {
  if (isEmptyLabelSelector(job.spec.selector)) return [];
  const matching = pods.filter((p) => p.metadata.namespace === job.metadata?.namespace && matchesLabelSelector(job.spec.selector, p.metadata.labels ?? {}));
  const time = (p: Pod): number => parseTime(p.metadata.creationTimestamp) ?? 0;
  matching.sort((a, b) => time(a) - time(b) || ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0));
  const targets: Pod[] = [];
  for (const pod of matching) {
    if (!isPodActive(pod) || hasConflictingEphemeralContainer(job, pod)) continue;
    if (job.spec.replicas === undefined || targets.length < job.spec.replicas) targets.push(pod);
  }
  return targets;
}

/** The state of a target's run of the job's containers. */
export type EphemeralPodState = 'waiting' | 'running' | 'succeeded' | 'failed' | 'unknown';

function containerState(status: ContainerStatus): 'succeeded' | 'failed' | 'waiting' | 'running' | 'unknown' {
  const state = (status.state ?? {}) as { terminated?: { exitCode?: number; finishedAt?: string }; running?: unknown; waiting?: { reason?: string } };
  if (state.terminated !== undefined) {
    if ((state.terminated.finishedAt ?? '') !== '' && (state.terminated.exitCode ?? 0) === 0) return 'succeeded';
    if ((state.terminated.exitCode ?? 0) !== 0) return 'failed';
  }
  if (state.running !== undefined) return 'running';
  if (state.waiting !== undefined) return state.waiting.reason === 'RunContainerError' ? 'failed' : 'waiting';
  return 'unknown';
}

/**
 * Returns the state of a target's run of the job's containers (OpenKruise
 * `parseEphemeralPodStatus`): no status yet → waiting; any of them failed (non-zero exit, or
 * `RunContainerError`) → failed; all of them succeeded → succeeded; else running, waiting or unknown.
 *
 * @example template [debug], status debug terminated exitCode 0 → 'succeeded'
 */
export function ephemeralPodState(job: EphemeralJob, pod: Pod): EphemeralPodState {
  const names = templateNames(job);
  const statuses = statusesOf(pod);
  if (statuses.length === 0) return 'waiting';
  let running = 0;
  let waiting = 0;
  let succeeded = 0;
  for (const status of statuses) {
    if (!names.has(status.name)) continue;
    const state = containerState(status);
    if (state === 'failed') return 'failed';
    if (state === 'running') running++;
    else if (state === 'waiting') waiting++;
    else if (state === 'succeeded') succeeded++;
  }
  if (succeeded > 0 && succeeded === names.size) return 'succeeded';
  if (running > 0) return 'running';
  if (waiting > 0) return 'waiting';
  return 'unknown';
}

/**
 * Returns the template's ephemeral containers as the job injects them: each with the
 * `KRUISE_EJOB_ID` env set to the job's uid.
 */
export function injectedEphemeralContainers(job: EphemeralJob): EphemeralContainer[] {
  const uid = job.metadata?.uid ?? '';
  return job.spec.template.ephemeralContainers.map((c) => ({ ...c, env: [...(c.env ?? []), { name: EPHEMERAL_CONTAINER_ENV_KEY, value: uid }] }));
}
