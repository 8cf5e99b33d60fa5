import type { AdvancedCronJob, AdvancedCronJobStatus, ObjectReference, TemplateKind } from '../api/advancedCronJob.js';
import type { CronScheduler } from '../cron/cronSpec.js';
import { isTimeZone } from '../cron/isTimeZone.js';
import { parseCronSchedule } from '../cron/parseCronSchedule.js';
import { formatTime, parseTime, type EpochMs } from '../shared/podState.js';
import type { PassEvent, WorkloadEffect } from '../workload/workloadEffect.js';
import type { WorkloadPassPlan } from '../workload/workloadPassPlan.js';
import { buildCronJobChild, childTypeOf, templateKindOf } from './buildCronJobChild.js';
import { childReference, childrenBeyondHistoryLimit, cronJobChildState, scheduledTimeOf, type CronJobChild } from './cronJobChildren.js';
import { effectiveSchedule } from './effectiveSchedule.js';
import { MAX_MISSED_START_TIMES, mostRecentUnmetSchedule } from './mostRecentUnmetSchedule.js';

/** What {@link planAdvancedCronJobPass} reads. */
export interface AdvancedCronJobPassInput {
  /** The cron job (v1beta1). */
  readonly acj: AdvancedCronJob;
  /** The Jobs (or BroadcastJobs or ImageListPullJobs, by the template) it controls, as the cache has them. */
  readonly children: readonly CronJobChild[];
  /** The time of the pass (epoch ms). */
  readonly now: EpochMs;
  /** Turns a parsed schedule into its next activations (the `cronerScheduler` of the adapters). */
  readonly scheduler: CronScheduler;
  /** The zone of a schedule that names none (robfig/cron: the manager's local zone; default `UTC`). */
  readonly defaultTimeZone?: string | undefined;
}

/**
 * What the pass decided, with why:
 * - `paused`: `spec.paused`: status and history only;
 * - `invalid-schedule`: the schedule does not parse (a Warning event; nothing started, no requeue);
 * - `too-many-missed`: more than 100 activations since the earliest time (a Warning event; nothing started, no requeue);
 * - `wait`: nothing missed, come back at the next activation;
 * - `skip`: a run is due but `missed-starting-deadline` or `concurrency-forbid` (a job still active);
 * - `run`: create the job for `scheduled`, after deleting the active ones with Replace.
 */
export type AdvancedCronJobStep =
  | { readonly kind: 'paused' }
  | { readonly kind: 'invalid-schedule'; readonly schedule: string; readonly message: string }
  | { readonly kind: 'too-many-missed'; readonly earliest: string }
  | { readonly kind: 'wait'; readonly next: string | undefined }
  | { readonly kind: 'skip'; readonly reason: 'missed-starting-deadline' | 'concurrency-forbid'; readonly scheduled: string; readonly next: string | undefined }
  | { readonly kind: 'run'; readonly scheduled: string; readonly job: string; readonly replaced: readonly string[]; readonly next: string | undefined };

/** The plan of one AdvancedCronJob pass: the shared pass plan, its status being the cron job's. */
export type AdvancedCronJobPassPlan = WorkloadPassPlan<AdvancedCronJobStep, AdvancedCronJobStatus>;

interface Observed {
  readonly active: readonly CronJobChild[];
  readonly succeeded: readonly CronJobChild[];
  readonly failed: readonly CronJobChild[];
  readonly status: AdvancedCronJobStatus;
}

const byName = (a: CronJobChild, b: CronJobChild): number => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

function observe(acj: AdvancedCronJob, children: readonly CronJobChild[], kind: TemplateKind): Observed {
  const sorted = [...children].sort(byName);
  const state = (c: CronJobChild) => cronJobChildState(c, kind);
  const active = sorted.filter((c) => state(c) === 'active');
  const times = sorted.map(scheduledTimeOf).filter((t): t is EpochMs => t !== undefined);
  // OpenKruise derives it from the children alone; kruise-ts keeps a stored later time when the
  // children that said it are gone (a history limit of 0 would otherwise start that run again).
  const stored = parseTime(acj.status?.lastScheduleTime ?? undefined);
  const latest = Math.max(...times, stored ?? Number.NEGATIVE_INFINITY);
  const activeRefs: ObjectReference[] = active.map((c) => childReference(c, childTypeOf(kind)));
  const status: AdvancedCronJobStatus = {
    type: kind,
    ...(activeRefs.length > 0 && { active: activeRefs }),
    ...(Number.isFinite(latest) && { lastScheduleTime: formatTime(latest) }),
  };
  return { active, succeeded: sorted.filter((c) => state(c) === 'succeeded'), failed: sorted.filter((c) => state(c) === 'failed'), status };
}

function deleteChild(child: CronJobChild, kind: TemplateKind, reason: string): WorkloadEffect {
  const { apiVersion, kind: childKind } = childTypeOf(kind);
  const { name = '', namespace, uid = '' } = child.metadata;
  return { kind: 'delete-owned', reason, target: { apiVersion, kind: childKind, name, uid, ...(namespace !== undefined && { namespace }) } };
}

const at = (ms: EpochMs | undefined): string | undefined => (ms === undefined ? undefined : formatTime(ms));

/**
 * Returns one AdvancedCronJob pass as OpenKruise's controller runs it (`reconcileJob` /
 * `reconcileBroadcastJob` / `reconcileImageListPullJob`), as data:
 *
 * 1. status from the children: `type` (Job, BroadcastJob or ImageListPullJob), `active`
 *    (references to the children still running, see `cronJobChildState`: no `Complete`/`Failed`
 *    condition True, or for ImageListPullJobs no completion time), `lastScheduleTime` (the latest
 *    `apps.kruise.io/scheduled-at` of any child);
 * 2. clean-ups: finished children beyond `failedJobsHistoryLimit` / `successfulJobsHistoryLimit`,
 *    oldest start first (best effort, after the status);
 * 3. paused: stop there (no requeue);
 * 4. the schedule (`effectiveSchedule`: `TZ=`/`CRON_TZ=` or `timeZone`): the latest activation in
 *    (lastScheduleTime or creation, now], walking from `now - startingDeadlineSeconds` when later;
 *    more than 100 → `too-many-missed`; the pass comes back at the next activation;
 * 5. a due run older than `startingDeadlineSeconds` is skipped; with `Forbid` and a child active it
 *    is skipped; with `Replace` the active children are deleted first (a wave of their own);
 * 6. the job for that time is created (`buildCronJobChild`: `<name>-<unix seconds>`).
 *
 * Differences from OpenKruise, on purpose: Warning events `UnparseableSchedule` and
 * `TooManyMissedTimes` (OpenKruise only logs them, as the upstream CronJob controller records
 * them); `lastScheduleTime` keeps a stored later value when no child says it (see `observe`);
 * `status.active` is in name order.
 *
 * @example `*\/5 * * * *`, created 10:00, no children, now 10:07 →
 *   { step: { kind: 'run', scheduled: '10:05', job: 'report-<unix 10:05>' }, effects: [[create-owned Job]], requeueAfterMs: 180000 }
 */
export function planAdvancedCronJobPass(input: AdvancedCronJobPassInput): AdvancedCronJobPassPlan {
  const { acj, now } = input;
  const kind = templateKindOf(acj);
  const observed = observe(acj, input.children, kind);
  const cleanups = [
    ...childrenBeyondHistoryLimit(observed.failed, acj.spec.failedJobsHistoryLimit).map((c) => deleteChild(c, kind, 'failed-jobs-history-limit')),
    ...childrenBeyondHistoryLimit(observed.succeeded, acj.spec.successfulJobsHistoryLimit).map((c) => deleteChild(c, kind, 'successful-jobs-history-limit')),
  ];
  const plan = (step: AdvancedCronJobStep, extra: Partial<Pick<AdvancedCronJobPassPlan, 'effects' | 'events' | 'requeueAfterMs'>> = {}): AdvancedCronJobPassPlan => ({
    step,
    prelude: [],
    effects: extra.effects ?? [],
    status: observed.status,
    cleanups,
    events: extra.events ?? [],
    requeueAfterMs: extra.requeueAfterMs,
  });
  if (acj.spec.paused === true) return plan({ kind: 'paused' });

  const schedule = effectiveSchedule(acj.spec);
  const parsed = parseCronSchedule(schedule, isTimeZone);
  if (parsed.kind === 'invalid') {
    const event: PassEvent = { type: 'Warning', reason: 'UnparseableSchedule', message: `unparsable schedule ${JSON.stringify(schedule)}: ${parsed.message}` };
    return plan({ kind: 'invalid-schedule', schedule, message: parsed.message }, { events: [event] });
  }
  const next = input.scheduler(parsed.spec, input.defaultTimeZone ?? 'UTC');
  const lastScheduledMs = parseTime(observed.status.lastScheduleTime ?? undefined) ?? parseTime(acj.metadata?.creationTimestamp ?? undefined) ?? now;
  const window = mostRecentUnmetSchedule({ next, now, lastScheduledMs, startingDeadlineSeconds: acj.spec.startingDeadlineSeconds });
  if (window.kind === 'too-many-missed') {
    const message = `too many missed start times (> ${MAX_MISSED_START_TIMES}). Set or decrease .spec.startingDeadlineSeconds or check clock skew`;
    return plan({ kind: 'too-many-missed', earliest: formatTime(window.earliestMs) }, { events: [{ type: 'Warning', reason: 'TooManyMissedTimes', message }] });
  }
  const requeueAfterMs = window.nextMs === undefined ? undefined : Math.max(0, window.nextMs - now);
  const nextText = at(window.nextMs);
  if (window.missedMs === undefined) return plan({ kind: 'wait', next: nextText }, { requeueAfterMs });
  const scheduled = formatTime(window.missedMs);
  const deadline = acj.spec.startingDeadlineSeconds;
  if (deadline !== undefined && window.missedMs + deadline * 1000 < now) return plan({ kind: 'skip', reason: 'missed-starting-deadline', scheduled, next: nextText }, { requeueAfterMs });
  const policy = acj.spec.concurrencyPolicy ?? 'Allow';
  if (policy === 'Forbid' && observed.active.length > 0) return plan({ kind: 'skip', reason: 'concurrency-forbid', scheduled, next: nextText }, { requeueAfterMs });
  const replaced = policy === 'Replace' ? observed.active : [];
  const child = buildCronJobChild(acj, window.missedMs);
  const create: WorkloadEffect = { kind: 'create-owned', reason: 'scheduled-run', object: child };
  const effects = [...(replaced.length > 0 ? [replaced.map((c) => deleteChild(c, kind, 'concurrency-replace'))] : []), [create]];
  return plan({ kind: 'run', scheduled, job: child.metadata.name ?? '', replaced: replaced.map((c) => c.metadata.name ?? ''), next: nextText }, { effects, requeueAfterMs });
}
