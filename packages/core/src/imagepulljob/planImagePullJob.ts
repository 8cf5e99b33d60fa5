import type { ImagePullJob, ImagePullJobStatus } from '../api/imagePullJob.js';
import type { NodeImage, ReferenceObject } from '../api/nodeImage.js';
import type { Pod } from '../api/pod.js';
import { parseImageReference } from '../shared/imageReference.js';
import { formatTime, parseTime, type EpochMs } from '../shared/podState.js';
import { imagePullJobSecrets } from './jobTagEntry.js';
import { imagePullJobTargets } from './imagePullJobTargets.js';

/** What {@link planImagePullJob} reads. */
export interface ImagePullJobSnapshot {
  /** The job, with OpenKruise's defaults applied (`withImagePullJobDefaults`). */
  readonly job: ImagePullJob;
  /** Every NodeImage (the cluster-scoped cache). */
  readonly nodeImages: readonly NodeImage[];
  /** The pods of the job's namespace (only read with a `podSelector`). */
  readonly pods: readonly Pod[];
  readonly now: EpochMs;
  /**
   * The pull secrets the NodeImages must list for the job: its copies in the daemon's namespace
   * (`planPullSecretCopies`); omitted → the job's own secrets in its namespace.
   */
  readonly secrets?: readonly ReferenceObject[];
}

/** Where a target node stands for the job. */
export type NodePullState = 'not-synced' | 'pulling' | 'succeeded' | 'failed';

/** One write the pass asks for. */
export type ImagePullJobAction =
  /** Add the job's tag entry to these NodeImages (re-read and merged by `withJobTag`, 409 retried). */
  | { readonly kind: 'sync-node-images'; readonly nodeImages: readonly string[]; readonly imageName: string; readonly tag: string }
  /** The job finished longer than `ttlSecondsAfterFinished` ago. */
  | { readonly kind: 'delete-job' };

/** What one ImagePullJob pass decided. */
export interface ImagePullJobPlan {
  /**
   * `finished` (waiting for or past the TTL), `invalid-image` (the image is not a reference: the
   * pass stops with that message), or `sync` (status computed, new nodes handed out up to parallelism).
   */
  readonly step:
    | { readonly kind: 'finished'; readonly ttlLeftMs: number | undefined }
    | { readonly kind: 'invalid-image'; readonly message: string }
    | { readonly kind: 'sync'; readonly reason: 'deadline-exceeded' | 'completed' | 'running'; readonly states: ReadonlyMap<string, NodePullState> };
  readonly actions: readonly ImagePullJobAction[];
  /** The status to write (the current one when nothing changes). */
  readonly status: ImagePullJobStatus | undefined;
  readonly requeueAfterMs: number | undefined;
}

/** Shortest wait OpenKruise requeues with for the deadline (1 s). */
const MIN_REQUEUE_MS = 1000;

/**
 * Returns the number of nodes an ImagePullJob may pull on at once: unset → 1, an integer as it is,
 * a string read as Go's `IntOrString.IntValue()` does (a plain integer string; anything else,
 * percentages included, is 0, which pauses the job, as in OpenKruise).
 *
 * @example imagePullJobParallelism(undefined) // 1
 * @example imagePullJobParallelism('50%') // 0
 */
export function imagePullJobParallelism(parallelism: number | string | undefined): number {
  if (parallelism === undefined) return 1;
  if (typeof parallelism === 'number') return parallelism;
  return /^[+-]?\d+$/.test(parallelism) ? Number(parallelism) : 0;
}

function nodeState(nodeImage: NodeImage, job: ImagePullJob, imageName: string, tag: string, secrets: readonly ReferenceObject[]): NodePullState {
  const spec = nodeImage.spec?.images?.[imageName];
  if (spec === undefined) return 'not-synced';
  if (!secrets.every((s) => (spec.pullSecrets ?? []).some((p) => p.namespace === s.namespace && p.name === s.name))) return 'not-synced';
  const entry = spec.tags.find((t) => t.tag === tag);
  if (entry === undefined || !(entry.ownerReferences ?? []).some((ref) => ref.uid === job.metadata?.uid)) return 'not-synced';
  const version = entry.version ?? 0;
  const reported = nodeImage.status?.imageStatuses?.[imageName]?.tags.find((t) => t.tag === tag);
  if (reported === undefined || (reported.version ?? 0) !== version) return 'pulling';
  return reported.phase === 'Succeeded' ? 'succeeded' : reported.phase === 'Failed' ? 'failed' : 'pulling';
}

function progressMessage(status: ImagePullJobStatus): string {
  if (status.completionTime != null) return 'job has completed';
  if (status.desired === 0) return 'job is running, no progress';
  const done = (status.succeeded ?? 0) + (status.failed ?? 0);
  return `job is running, progress ${((100 * done) / status.desired).toFixed(1)}%`;
}

function finishedPlan(job: ImagePullJob, completedAt: EpochMs, now: EpochMs): ImagePullJobPlan {
  const ttl = job.spec.completionPolicy.ttlSecondsAfterFinished;
  if (ttl === undefined) return { step: { kind: 'finished', ttlLeftMs: undefined }, actions: [], status: job.status, requeueAfterMs: undefined };
  const left = ttl * 1000 - (now - completedAt);
  return left <= 0
    ? { step: { kind: 'finished', ttlLeftMs: 0 }, actions: [{ kind: 'delete-job' }], status: job.status, requeueAfterMs: undefined }
    : { step: { kind: 'finished', ttlLeftMs: left }, actions: [], status: job.status, requeueAfterMs: left };
}

/**
 * Returns one ImagePullJob pass as OpenKruise's controller runs it (`Reconcile` in
 * `pkg/controller/imagepulljob`): a finished job (a completion time) waits out
 * `ttlSecondsAfterFinished` and is deleted; otherwise each target NodeImage is classified by the
 * job's tag entry and the daemon's report of the same version (not synced, pulling, succeeded,
 * failed; a NodeImage missing one of the job's pull secrets is not synced), the status computed (desired, active, succeeded, failed, sorted failedNodes, progress
 * message, completion when every node finished and the policy is Always), and up to
 * `parallelism − active` not-synced nodes, in target order, get the tag entry. Past
 * `activeDeadlineSeconds` (Always) the job completes with every unfinished node failed and message
 * "job exceeds activeDeadlineSeconds". A status change ends the pass; otherwise an Always job with a
 * deadline is requeued for it (at least 1 s).
 *
 * @example 3 nodes, parallelism 1, nothing synced → sync ['n1'], status { desired: 3, active: 0, succeeded: 0, failed: 0, message: 'job is running, progress 0.0%' }
 * @example n1 succeeded, n2 pulling, n3 not synced, parallelism 1 → nothing synced (active 1 fills the window)
 */
export function planImagePullJob(snapshot: ImagePullJobSnapshot): ImagePullJobPlan {
  const { job, now } = snapshot;
  const completedAt = parseTime(job.status?.completionTime);
  if (completedAt !== undefined) return finishedPlan(job, completedAt, now);
  const ref = parseImageReference(job.spec.image);
  if (ref.kind === 'invalid') return { step: { kind: 'invalid-image', message: `invalid image ${job.spec.image}: ${ref.message}` }, actions: [], status: job.status, requeueAfterMs: undefined };
  const targets = imagePullJobTargets(job, snapshot.nodeImages, snapshot.pods);
  const startTime = parseTime(job.status?.startTime) ?? now;
  const states = new Map(targets.map((ni) => [ni.metadata?.name ?? '', nodeState(ni, job, ref.name, ref.tag, snapshot.secrets ?? imagePullJobSecrets(job))]));
  const named = (state: NodePullState) => [...states].filter(([, s]) => s === state).map(([name]) => name);
  const [notSynced, pulling, succeeded, failed] = [named('not-synced'), named('pulling'), named('succeeded'), named('failed')];
  const base = { startTime: formatTime(startTime), desired: targets.length };
  const { type, activeDeadlineSeconds } = job.spec.completionPolicy;
  const always = type !== 'Never';
  if (always && activeDeadlineSeconds !== undefined && targets.length !== succeeded.length + failed.length && activeDeadlineSeconds * 1000 <= now - startTime) {
    const failedNodes = [...failed, ...pulling, ...notSynced];
    const status: ImagePullJobStatus = { ...base, completionTime: formatTime(now), active: 0, succeeded: succeeded.length, failed: failedNodes.length, message: 'job exceeds activeDeadlineSeconds', ...(failedNodes.length === 0 ? {} : { failedNodes }) };
    return { step: { kind: 'sync', reason: 'deadline-exceeded', states }, actions: [], status, requeueAfterMs: undefined };
  }
  const completed = always && targets.length - succeeded.length - failed.length === 0;
  const counted: ImagePullJobStatus = {
    ...base,
    ...(completed ? { completionTime: formatTime(now) } : {}),
    active: pulling.length,
    succeeded: succeeded.length,
    failed: failed.length,
    ...(failed.length === 0 ? {} : { failedNodes: [...failed].sort() }),
  };
  const status: ImagePullJobStatus = { ...counted, message: progressMessage(counted) };
  const window = Math.max(0, Math.min(imagePullJobParallelism(job.spec.parallelism) - pulling.length, notSynced.length));
  const actions: ImagePullJobAction[] = window > 0 ? [{ kind: 'sync-node-images', nodeImages: notSynced.slice(0, window), imageName: ref.name, tag: ref.tag }] : [];
  const deadlineLeft = always && activeDeadlineSeconds !== undefined ? Math.max(MIN_REQUEUE_MS, activeDeadlineSeconds * 1000 - (now - startTime)) : undefined;
  return { step: { kind: 'sync', reason: completed ? 'completed' : 'running', states }, actions, status, requeueAfterMs: deadlineLeft };
}
