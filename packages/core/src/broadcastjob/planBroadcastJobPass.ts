import type { BroadcastJob, BroadcastJobPhase, BroadcastJobStatus } from '../api/broadcastJob.js';
import { BROADCASTJOB_API_VERSION, BROADCASTJOB_KIND } from '../api/broadcastJobSpec.js';
import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import { withBroadcastJobDefaults, type DefaultedBroadcastJob } from '../api/withBroadcastJobDefaults.js';
import { scaledValueFromIntOrPercent } from '../shared/intOrPercent.js';
import { formatTime, isPodActive, parseTime, type EpochMs } from '../shared/podState.js';
import { suffixDrawer, type NameSuffixes } from '../workload/nameSuffixes.js';
import { objectRef, type EffectWave } from '../workload/podEffects.js';
import { slowStartWaves } from '../workload/slowStart.js';
import type { PassEvent, WorkloadEffect } from '../workload/workloadEffect.js';
import type { WorkloadPassPlan } from '../workload/workloadPassPlan.js';
import { broadcastJobDeadlineLeftMs, broadcastJobTtlLeftMs, finishedCondition, isBroadcastJobFinished } from './broadcastJobConditions.js';
import { broadcastJobNodes, broadcastJobPodNamePrefix, countBroadcastJobPods, newBroadcastJobPod, type BroadcastJobNodes } from './broadcastJobPods.js';

/** What {@link planBroadcastJobPass} reads. */
export interface BroadcastJobSnapshot {
  /** The job (v1beta1); OpenKruise's defaults are applied to what is unset. */
  readonly job: BroadcastJob;
  /** The pods it controls, as the cache has them. */
  readonly pods: readonly Pod[];
  /** Every node of the cluster. */
  readonly nodes: readonly Node[];
  /** The time of the pass (epoch ms). */
  readonly now: EpochMs;
  /** Suffixes of new pod names (what the apiserver's generateName would add). */
  readonly podNameSuffixes: NameSuffixes;
}

/**
 * What the pass decided, with why:
 * - `finished`: Complete or Failed already; `delete-job` once the TTL ran out, else `wait` for it (or `keep`, no TTL);
 * - `failed`: the phase is failed (status counts only);
 * - `paused`: `spec.paused`, or a failed pod under failurePolicy Pause;
 * - `fail`: the job fails now (`failed-pod-found` under FailFast, or `deadline-exceeded`): its active pods deleted;
 * - `run`: pods deleted from nodes they no longer fit, pods created on eligible nodes up to
 *   `parallelism`, and `complete` when every desired node ran its pod.
 */
export type BroadcastJobStep =
  | { readonly kind: 'finished'; readonly action: 'delete-job' | 'wait' | 'keep' }
  | { readonly kind: 'failed' }
  | { readonly kind: 'paused'; readonly reason: 'spec-paused' | 'failed-pod-found' }
  | { readonly kind: 'fail'; readonly reason: 'failed-pod-found' | 'deadline-exceeded'; readonly deleted: readonly string[] }
  | {
      readonly kind: 'run';
      readonly desired: number;
      readonly parallelism: number;
      readonly created: readonly string[];
      readonly deleted: readonly string[];
      readonly complete: boolean;
    };

/** The plan of one BroadcastJob pass: the shared pass plan, its status being the job's. */
export type BroadcastJobPassPlan = WorkloadPassPlan<BroadcastJobStep, BroadcastJobStatus>;

/** `parallelism` when unset or unreadable: OpenKruise's `1<<31 - 1`. */
const NO_LIMIT = 2147483647;

function plan(step: BroadcastJobStep, status: BroadcastJobStatus, parts: { effects?: readonly EffectWave[]; events?: PassEvent[]; requeueAfterMs?: number | undefined }): BroadcastJobPassPlan {
  return { step, prelude: [], effects: parts.effects ?? [], status, cleanups: [], events: parts.events ?? [], requeueAfterMs: parts.requeueAfterMs };
}

function deletePod(pod: Pod, reason: string): WorkloadEffect {
  return { kind: 'delete-pod', reason, target: objectRef(pod), events: { success: { type: 'Normal', reason: 'SuccessfulDelete', message: `Delete pod: ${pod.metadata.name ?? ''}` } } };
}

function finishedPass(job: BroadcastJob, now: EpochMs): BroadcastJobPassPlan {
  const status = job.status ?? {};
  const left = broadcastJobTtlLeftMs(job, now);
  if (left === undefined) return plan({ kind: 'finished', action: 'keep' }, status, {});
  if (left > 0) return plan({ kind: 'finished', action: 'wait' }, status, { requeueAfterMs: left });
  const { name = '', namespace, uid = '' } = job.metadata ?? {};
  const remove: WorkloadEffect = { kind: 'delete-owned', reason: 'ttl-after-finished', target: { apiVersion: BROADCASTJOB_API_VERSION, kind: BROADCASTJOB_KIND, name, uid, ...(namespace !== undefined && { namespace }) } };
  return plan({ kind: 'finished', action: 'delete-job' }, status, { effects: [[remove]] });
}

// Pod names for new pods: drawn suffixes no pod of the job already has.
function podNamer(job: BroadcastJob, pods: readonly Pod[], suffixes: NameSuffixes): () => string | undefined {
  const taken = new Set(pods.map((p) => p.metadata.name ?? ''));
  const prefix = broadcastJobPodNamePrefix(job);
  const draw = suffixDrawer(suffixes);
  return () => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const suffix = draw();
      if (suffix === undefined) return undefined;
      if (!taken.has(`${prefix}${suffix}`)) {
        taken.add(`${prefix}${suffix}`);
        return suffix;
      }
    }
    return undefined;
  };
}

interface Counts {
  active: number;
  failed: number;
  readonly succeeded: number;
}

const countsMessage = (counts: Counts): string => `${String(counts.succeeded)} pods succeeded, ${String(counts.failed)} pods failed`;

function finish(job: DefaultedBroadcastJob, status: BroadcastJobStatus, type: 'Complete' | 'Failed', message: string, now: EpochMs): { status: BroadcastJobStatus; requeueAfterMs: number | undefined } {
  const at = formatTime(now);
  const ttl = job.spec.completionPolicy.ttlSecondsAfterFinished;
  return {
    status: { ...status, conditions: [...(status.conditions ?? []), finishedCondition(type, message, at)], completionTime: at },
    // OpenKruise comes back a second after the TTL, so the pass sees it passed.
    requeueAfterMs: ttl === undefined ? undefined : (ttl + 1) * 1000,
  };
}

function runPass(job: DefaultedBroadcastJob, nodes: BroadcastJobNodes, snapshot: BroadcastJobSnapshot, counts: Counts, base: { status: BroadcastJobStatus; events: PassEvent[]; requeueAfterMs: number | undefined }): BroadcastJobPassPlan {
  const events = base.events;
  const deletions = nodes.toDelete.map(({ pod }) => deletePod(pod, 'node-no-longer-fits'));
  // OpenKruise counts every pod it deletes as failed and no longer active.
  counts.failed += deletions.length;
  counts.active -= deletions.length;
  const desired = nodes.desired.size;
  const scaled = scaledValueFromIntOrPercent(job.spec.parallelism, desired, true);
  const parallelism = scaled.kind === 'scaled' ? scaled.value : NO_LIMIT;
  const creates: WorkloadEffect[] = [];
  if (job.metadata?.deletionTimestamp === undefined && nodes.toRun.length > 0) {
    if (counts.active > parallelism) {
      events.push({ type: 'Warning', reason: 'TooManyActivePods', message: 'Number of active pods exceed parallelism limit' });
    } else if (counts.active < parallelism) {
      const nextSuffix = podNamer(job, snapshot.pods, snapshot.podNameSuffixes);
      for (const node of nodes.toRun.slice(0, Math.min(parallelism - counts.active, nodes.toRun.length))) {
        const suffix = nextSuffix();
        if (suffix === undefined) break;
        const pod = newBroadcastJobPod(job, node, suffix);
        creates.push({
          kind: 'create-pod',
          reason: 'node-without-pod',
          pod,
          events: { success: { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name ?? ''}` }, failure: { type: 'Warning', reason: 'FailedCreate', message: 'Error creating' } },
        });
      }
      counts.active += creates.length;
    }
  }
  const complete = job.spec.completionPolicy.type !== 'Never' && desired > 0 && [...nodes.desired.values()].every((pod) => pod !== undefined && !isPodActive(pod));
  let { status, requeueAfterMs } = base;
  if (complete) {
    const finished = finish(job, { ...status, phase: 'completed' }, 'Complete', `Job completed, ${countsMessage(counts)}`, snapshot.now);
    status = finished.status;
    requeueAfterMs = finished.requeueAfterMs;
    const { name = '', namespace = '' } = job.metadata ?? {};
    events.push({ type: 'Normal', reason: 'JobComplete', message: `Job ${namespace}/${name} is completed, ${countsMessage(counts)}` });
  }
  const step: BroadcastJobStep = {
    kind: 'run',
    desired,
    parallelism,
    created: creates.map((e) => (e.kind === 'create-pod' ? (e.pod.metadata.name ?? '') : '')),
    deleted: nodes.toDelete.map(({ pod }) => pod.metadata.name ?? ''),
    complete,
  };
  const effects = [...(deletions.length > 0 ? [deletions] : []), ...slowStartWaves(creates.map((c) => [c]))];
  return plan(step, { ...status, active: counts.active, failed: counts.failed }, { effects, events, requeueAfterMs });
}

/**
 * Returns one BroadcastJob pass as OpenKruise's controller runs it (`Reconcile` in
 * `pkg/controller/broadcastjob`):
 *
 * 1. A finished job (Complete or Failed, completion Always) only waits for its
 *    `ttlSecondsAfterFinished`, then deletes itself.
 * 2. `startTime` is set on the first pass; phase `running` when none.
 * 3. Pods count as active, failed (phase Failed, or an OnFailure pod restarted more than
 *    `failurePolicy.restartLimit` times) or succeeded; eligible nodes are those the template
 *    fits (`checkNodeFitness`: node name, affinity, taints, cordon, resources).
 * 4. A failed phase writes the counts only; `spec.paused` makes the phase `paused`.
 * 5. A failed pod: Pause → phase paused; FailFast → the job fails; Continue → nothing. Past
 *    `activeDeadlineSeconds` the job fails too. A failing job deletes its active pods, gets the
 *    `Failed` condition and `completionTime`.
 * 6. Otherwise pods on nodes they no longer fit are deleted, and pods are created on eligible
 *    nodes without one (name order) while active < parallelism (an int, or a percentage of the
 *    desired nodes rounded up), in slow-start batches; when every desired node has a finished
 *    pod (completion Always) the job gets `Complete`, phase `completed` and `completionTime`.
 *
 * Status counts `active`/`failed` include this pass's creations and deletions, as OpenKruise's do.
 * With an active deadline the pass comes back when it runs out (OpenKruise only on the first pass).
 *
 * @example 6 nodes (one tainted, one cordoned), parallelism 2, no pods →
 *   { step: { kind: 'run', desired: 4, parallelism: 2, created: [bcj-… on node-0, node-1] }, status: { active: 2, desired: 4, phase: 'running' } }
 */
export function planBroadcastJobPass(snapshot: BroadcastJobSnapshot): BroadcastJobPassPlan {
  const { now } = snapshot;
  const job = withBroadcastJobDefaults(snapshot.job);
  if (isBroadcastJobFinished(job)) return finishedPass(job, now);
  const startTime = parseTime(job.status?.startTime) ?? now;
  const deadlineLeft = job.spec.completionPolicy.type === 'Always' ? broadcastJobDeadlineLeftMs(job, startTime, now) : undefined;
  let phase: BroadcastJobPhase = job.status?.phase === undefined || job.status.phase === '' ? 'running' : job.status.phase;
  const pods = countBroadcastJobPods(snapshot.pods, job.spec.failurePolicy.restartLimit ?? 0);
  const counts: Counts = { active: pods.active.length, failed: pods.failed.length, succeeded: pods.succeeded.length };
  const nodes = broadcastJobNodes(job, snapshot.pods, snapshot.nodes);
  const events: PassEvent[] = nodes.duplicates.map(({ pod, node }) => ({ type: 'Warning', reason: 'DuplicatePodCreatedOnSameNode', message: `Duplicated pod ${pod.metadata.name ?? ''} found on same node ${node}` }));
  const requeueAfterMs = deadlineLeft === undefined ? undefined : Math.max(1, deadlineLeft);
  const statusWith = (p: BroadcastJobPhase): BroadcastJobStatus => ({ ...job.status, startTime: formatTime(startTime), phase: p, active: counts.active, failed: counts.failed, succeeded: counts.succeeded, desired: nodes.desired.size });
  if (phase === 'failed') return plan({ kind: 'failed' }, statusWith(phase), { events, requeueAfterMs });
  if (job.spec.paused === true && (phase === 'running' || phase === 'paused')) return plan({ kind: 'paused', reason: 'spec-paused' }, statusWith('paused'), { events, requeueAfterMs });
  if (job.spec.paused !== true && phase === 'paused') {
    phase = 'running';
    events.push({ type: 'Normal', reason: 'Continue', message: 'continue to process job' });
  }
  let failure: { reason: 'failed-pod-found' | 'deadline-exceeded'; eventReason: string; message: string } | undefined;
  if (counts.failed > 0 && job.spec.failurePolicy.type === 'Pause') {
    // OpenKruise pauses the job in memory only: the phase says paused, spec.paused stays as it is.
    events.push({ type: 'Warning', reason: 'Paused', message: 'job is paused, due to failed pod' });
    return plan({ kind: 'paused', reason: 'failed-pod-found' }, statusWith('paused'), { events, requeueAfterMs });
  }
  if (counts.failed > 0 && job.spec.failurePolicy.type === 'FailFast') {
    failure = { reason: 'failed-pod-found', eventReason: 'failed pod is found', message: 'failure policy is FailurePolicyTypeFailFast and failed pod is found' };
    events.push({ type: 'Warning', reason: failure.eventReason, message: `${failure.message}: ${countsMessage(counts)}` });
  }
  if (failure === undefined && deadlineLeft !== undefined && deadlineLeft <= 0) {
    const { name = '', namespace = '' } = job.metadata ?? {};
    failure = { reason: 'deadline-exceeded', eventReason: 'DeadlineExceeded', message: `Job ${namespace}/${name} was active longer than specified deadline` };
  }
  if (failure !== undefined) {
    const deletions = pods.active.map((pod) => deletePod(pod, failure.reason));
    counts.failed += deletions.length;
    counts.active -= deletions.length;
    const finished = finish(job, statusWith('failed'), 'Failed', failure.message, now);
    events.push({ type: 'Warning', reason: failure.eventReason, message: `${failure.message}: ${countsMessage(counts)}` });
    const step: BroadcastJobStep = { kind: 'fail', reason: failure.reason, deleted: pods.active.map((p) => p.metadata.name ?? '') };
    return plan(step, { ...finished.status, active: counts.active, failed: counts.failed }, { effects: deletions.length > 0 ? [deletions] : [], events, requeueAfterMs: finished.requeueAfterMs });
  }
  return runPass(job, nodes, snapshot, counts, { status: statusWith(phase), events, requeueAfterMs });
}
