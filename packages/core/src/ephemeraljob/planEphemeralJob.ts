import type { EphemeralContainer, EphemeralJob, EphemeralJobCondition, EphemeralJobPhase, EphemeralJobStatus } from '../api/ephemeralJob.js';
import type { Pod } from '../api/pod.js';
import { formatTime, parseTime, type EpochMs } from '../shared/podState.js';
import { ephemeralJobTargets, ephemeralPodState, hasJobEphemeralContainers, injectedEphemeralContainers } from './ephemeralJobPods.js';

/** Default `ttlSecondsAfterFinished` of an EphemeralJob (OpenKruise's 1800). */
export const DEFAULT_EPHEMERALJOB_TTL_SECONDS = 1800;

/** What {@link planEphemeralJob} reads. */
export interface EphemeralJobSnapshot {
  readonly job: EphemeralJob;
  /** The pods of the job's namespace. */
  readonly pods: readonly Pod[];
  readonly now: EpochMs;
}

/** One write the pass asks for. */
export type EphemeralJobAction =
  | { readonly kind: 'inject'; readonly pod: { readonly namespace: string; readonly name: string; readonly uid: string }; readonly containers: readonly EphemeralContainer[] }
  | { readonly kind: 'delete-job' };

/** What one EphemeralJob pass decided. */
export interface EphemeralJobPlan {
  /** `finished` (waiting for or past the TTL), `paused`, or `sync` (injections up to parallelism). */
  readonly step: { readonly kind: 'finished'; readonly ttlLeftMs: number } | { readonly kind: 'paused' } | { readonly kind: 'sync'; readonly injected: readonly string[] };
  /** Injections (in slow-start order) or the job's own deletion. */
  readonly actions: readonly EphemeralJobAction[];
  readonly status: EphemeralJobStatus;
  readonly requeueAfterMs: number | undefined;
}

function withCondition(conditions: readonly EphemeralJobCondition[], type: string, reason: string, message: string, now: string): EphemeralJobCondition[] {
  const condition = { type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason, message };
  const index = conditions.findIndex((c) => c.type === type);
  return index < 0 ? [...conditions, condition] : conditions.map((c, i) => (i === index ? condition : c));
}

function computeStatus(job: EphemeralJob, targets: readonly Pod[], now: EpochMs, startTime: EpochMs): EphemeralJobStatus {
  const at = formatTime(now);
  let conditions = job.status?.conditions ?? [{ type: 'Initialized', status: 'True', lastProbeTime: at, lastTransitionTime: at, reason: 'Initialized', message: '' }];
  const counts = { running: 0, succeeded: 0, failed: 0, waiting: 0 };
  for (const pod of targets) {
    const state = ephemeralPodState(job, pod);
    if (state !== 'unknown') counts[state]++;
  }
  const match = targets.length;
  let completionTime = job.status?.completionTime ?? undefined;
  let phase: EphemeralJobPhase;
  if (counts.failed > 0) conditions = withCondition(conditions, 'JobFailed', 'ContainerFailed', `${String(counts.failed)}/${String(match)} pods have a failed ephemeral container`, at);
  if (match === 0) {
    phase = 'Waiting';
    conditions = withCondition(conditions, 'MatchedEmpty', 'MatchEmpty', 'job match no pods', at);
  } else if (counts.running > 0) phase = 'Running';
  else if (counts.waiting > 0) phase = 'Waiting';
  else if (counts.succeeded + counts.failed === match) {
    completionTime = at;
    phase = counts.failed > 0 ? 'Failed' : 'Succeeded';
    conditions =
      counts.failed > 0
        ? withCondition(conditions, 'JobFailed', 'JobFailed', `job failed to run all tasks, ${String(counts.failed)}/${String(match)} pods failed`, at)
        : withCondition(conditions, 'JobSucceeded', 'JobSucceeded', 'job success to run all tasks', at);
  } else phase = 'Unknown';
  if (job.spec.paused === true) phase = 'Paused';
  const deadline = job.spec.activeDeadlineSeconds;
  if ((phase === 'Waiting' || phase === 'Unknown' || phase === 'Running') && deadline !== undefined && now - startTime >= deadline * 1000) {
    completionTime = at;
    phase = 'Failed';
    conditions = withCondition(conditions, 'JobFailed', 'DeadlineExceeded', `EphemeralJob ${job.metadata?.namespace ?? ''}/${job.metadata?.name ?? ''} was active longer than specified deadline`, at);
  }
  if (job.spec.template.ephemeralContainers.length === 0) {
    phase = 'Error';
    conditions = withCondition(conditions, 'JobError', 'Error', 'job spec invalid fields.', at);
  }
  return { ...job.status, conditions, startTime: formatTime(startTime), ...(completionTime === undefined ? {} : { completionTime }), phase, match, ...counts };
}

/**
 * Returns one EphemeralJob pass as OpenKruise's controller runs it (`Reconcile` in
 * `pkg/controller/ephemeraljob`): a finished job (a completion time) waits for
 * `ttlSecondsAfterFinished` (default 1800) and deletes itself; otherwise the targets are counted
 * (running, succeeded, failed, waiting), the phase and conditions follow, and, unless paused,
 * targets without the job's containers get them, at most `parallelism` (default 1) minus the
 * running ones. With `activeDeadlineSeconds` the pass comes back at the deadline.
 *
 * @example 3 matching pods, parallelism 3, none injected → 3 `inject` actions, status { match: 3, waiting: 3, phase: 'Waiting' }
 */
export function planEphemeralJob(snapshot: EphemeralJobSnapshot): EphemeralJobPlan {
  const { job, now } = snapshot;
  const completed = parseTime(job.status?.completionTime);
  if (completed !== undefined) {
    const left = (job.spec.ttlSecondsAfterFinished ?? DEFAULT_EPHEMERALJOB_TTL_SECONDS) * 1000 - (now - completed);
    return { step: { kind: 'finished', ttlLeftMs: left }, actions: left <= 0 ? [{ kind: 'delete-job' }] : [], status: job.status ?? {}, requeueAfterMs: left <= 0 ? undefined : left };
  }
  const startTime = parseTime(job.status?.startTime) ?? now;
  const deadline = job.spec.activeDeadlineSeconds;
  const requeueAfterMs = deadline === undefined ? undefined : Math.max(1, deadline * 1000 - (now - startTime));
  const targets = ephemeralJobTargets(job, snapshot.pods);
  const status = computeStatus(job, targets, now, startTime);
  if (status.phase === 'Paused') return { step: { kind: 'paused' }, actions: [], status, requeueAfterMs };
  const toInject = job.spec.template.ephemeralContainers.length === 0 ? [] : targets.filter((p) => !hasJobEphemeralContainers(job, p));
  const parallelism = Math.min(job.spec.parallelism ?? 1, toInject.length);
  const room = parallelism - (status.running ?? 0);
  const chosen = room > 0 ? toInject.slice(0, room) : [];
  const containers = injectedEphemeralContainers(job);
  const actions: EphemeralJobAction[] = chosen.map((pod) => ({ kind: 'inject', pod: { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' }, containers }));
  return { step: { kind: 'sync', injected: chosen.map((p) => p.metadata.name ?? '') }, actions, status, requeueAfterMs };
}
