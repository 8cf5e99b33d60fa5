import { describe, expect, it } from 'vitest';
import type { AdvancedCronJob } from '../api/advancedCronJob.js';
import { anAdvancedCronJob, aCronJobChild, type AdvancedCronJobOptions } from '../testing/advancedCronJobBuilder.js';
import { utcCronScheduler } from '../testing/utcCronScheduler.js';
import type { CronJobChild } from './cronJobChildren.js';
import { planAdvancedCronJobPass } from './planAdvancedCronJobPass.js';

const T = (hhmm: string): string => `2025-01-01T${hhmm}:00Z`;
const ms = (hhmm: string): number => Date.parse(T(hhmm));
const unix = (hhmm: string): number => ms(hhmm) / 1000;

const cron = (options: AdvancedCronJobOptions = {}): AdvancedCronJob => anAdvancedCronJob({ creationTimestamp: T('00:00'), successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, ...options });
const plan = (acj: AdvancedCronJob, children: readonly CronJobChild[], now: string) => planAdvancedCronJobPass({ acj, children, now: ms(now), scheduler: utcCronScheduler });
const child = (acj: AdvancedCronJob, hhmm: string, state: 'running' | 'Complete' | 'Failed' = 'running', startTime?: string | null) =>
  aCronJobChild({ owner: acj, scheduledAt: T(hhmm), state, ...(startTime !== undefined && { startTime }) });
const names = (effects: readonly unknown[]) => (effects as { kind: string; target?: { name: string }; object?: { metadata: { name: string } } }[]).map((e) => `${e.kind} ${e.target?.name ?? e.object?.metadata.name ?? ''}`);

describe('planAdvancedCronJobPass', () => {
  it('every 5 minutes, created 00:00, nothing run yet, now 00:07: runs 00:05 and comes back at 00:10', () => {
    const p = plan(cron(), [], '00:07');
    expect(p.step).toEqual({ kind: 'run', scheduled: T('00:05'), job: `report-${unix('00:05')}`, replaced: [], next: T('00:10') });
    expect(p.effects.map(names)).toEqual([[`create-owned report-${unix('00:05')}`]]);
    expect(p.requeueAfterMs).toBe(180_000);
    expect(p.status).toEqual({ type: 'Job' });
  });

  it('the created Job: template labels and annotations, the scheduled-at annotation, the template spec, controlled by the cron job', () => {
    const acj = cron({ jobLabels: { team: 'a' }, jobAnnotations: { note: 'x' } });
    const create = plan(acj, [], '00:05').effects[0]?.[0];
    expect(create).toMatchObject({
      kind: 'create-owned',
      object: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: `report-${unix('00:05')}`,
          namespace: 'default',
          labels: { team: 'a' },
          annotations: { note: 'x', 'apps.kruise.io/scheduled-at': T('00:05') },
          ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'AdvancedCronJob', name: 'report', uid: 'uid-report', controller: true, blockOwnerDeletion: true }],
        },
        spec: acj.spec.template.jobTemplate?.spec,
      },
    });
  });

  it('before the first activation it waits for it', () => {
    const p = plan(cron(), [], '00:04');
    expect(p.step).toEqual({ kind: 'wait', next: T('00:05') });
    expect(p.effects).toEqual([]);
    expect(p.requeueAfterMs).toBe(60_000);
  });

  it('a running job for 00:05 at 00:07: status active and lastScheduleTime, nothing to do until 00:10', () => {
    const acj = cron();
    const job = child(acj, '00:05');
    const p = plan(acj, [job], '00:07');
    expect(p.step).toEqual({ kind: 'wait', next: T('00:10') });
    expect(p.status).toEqual({
      type: 'Job',
      active: [{ kind: 'Job', apiVersion: 'batch/v1', name: job.metadata.name, namespace: 'default', uid: job.metadata.uid }],
      lastScheduleTime: T('00:05'),
    });
  });

  it.each([
    ['Allow', [[`create-owned report-${unix('00:10')}`]]],
    ['Replace', [[`delete-owned report-${unix('00:05')}`], [`create-owned report-${unix('00:10')}`]]],
    ['Forbid', []],
  ] as const)('concurrencyPolicy %s with the 00:05 job still running at 00:10:30', (policy, effects) => {
    const acj = cron({ concurrencyPolicy: policy });
    const p = plan(acj, [child(acj, '00:05')], '00:10');
    expect(p.effects.map(names)).toEqual(effects);
    expect(p.step.kind).toBe(policy === 'Forbid' ? 'skip' : 'run');
    if (policy === 'Forbid') expect(p.step).toMatchObject({ reason: 'concurrency-forbid', scheduled: T('00:10') });
    expect(p.requeueAfterMs).toBe(300_000);
  });

  it('a finished job does not block Forbid', () => {
    const acj = cron({ concurrencyPolicy: 'Forbid' });
    expect(plan(acj, [child(acj, '00:05', 'Complete')], '00:10').step).toMatchObject({ kind: 'run', scheduled: T('00:10') });
  });

  it('runs only the latest of several missed times (00:10 and 00:15 missed → 00:15)', () => {
    const acj = cron();
    expect(plan(acj, [child(acj, '00:05', 'Complete')], '00:16').step).toMatchObject({ kind: 'run', scheduled: T('00:15') });
  });

  it('startingDeadlineSeconds: a run missed by more is not started (00:10 at 00:12 with 60 s)', () => {
    const acj = cron({ startingDeadlineSeconds: 60 });
    expect(plan(acj, [child(acj, '00:05', 'Complete')], '00:12').step).toEqual({ kind: 'wait', next: T('00:15') });
    expect(plan(acj, [child(acj, '00:05', 'Complete')], '00:10').step).toMatchObject({ kind: 'run', scheduled: T('00:10') });
  });

  it('more than 100 missed start times: a TooManyMissedTimes warning, nothing started, no requeue', () => {
    const p = plan(cron({ schedule: '* * * * *' }), [], '02:00');
    expect(p.step).toEqual({ kind: 'too-many-missed', earliest: T('00:00') });
    expect(p.events).toEqual([{ type: 'Warning', reason: 'TooManyMissedTimes', message: 'too many missed start times (> 100). Set or decrease .spec.startingDeadlineSeconds or check clock skew' }]);
    expect(p.effects).toEqual([]);
    expect(p.requeueAfterMs).toBeUndefined();
  });

  it('exactly 100 missed start times still run the latest', () => {
    expect(plan(cron({ schedule: '* * * * *' }), [], '01:40').step).toMatchObject({ kind: 'run', scheduled: T('01:40') });
    expect(plan(cron({ schedule: '* * * * *' }), [], '01:41').step.kind).toBe('too-many-missed');
  });

  it('with startingDeadlineSeconds the walk starts at now minus the deadline, so a long outage runs the latest time', () => {
    expect(plan(cron({ schedule: '* * * * *', startingDeadlineSeconds: 300 }), [], '02:00').step).toMatchObject({ kind: 'run', scheduled: T('02:00') });
  });

  it('paused: status and history clean-up only, no run, no requeue', () => {
    const acj = cron({ paused: true, successfulJobsHistoryLimit: 0 });
    const p = plan(acj, [child(acj, '00:05', 'Complete')], '00:30');
    expect(p.step).toEqual({ kind: 'paused' });
    expect(p.effects).toEqual([]);
    expect(p.cleanups.map((e) => e.reason)).toEqual(['successful-jobs-history-limit']);
    expect(p.requeueAfterMs).toBeUndefined();
    expect(p.status.lastScheduleTime).toBe(T('00:05'));
  });

  it('history limits: the oldest finished jobs beyond them are deleted, those without a start time first', () => {
    const acj = cron({ successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 });
    const children = [
      child(acj, '00:05', 'Complete', T('00:05')),
      child(acj, '00:10', 'Complete', null),
      child(acj, '00:15', 'Complete', T('00:15')),
      child(acj, '00:20', 'Failed', T('00:20')),
      child(acj, '00:25', 'Failed', T('00:25')),
      child(acj, '00:30', 'running'),
    ];
    const p = plan(acj, children, '00:31');
    expect(names(p.cleanups)).toEqual([`delete-owned report-${unix('00:20')}`, `delete-owned report-${unix('00:10')}`]);
    expect(p.cleanups.map((e) => e.reason)).toEqual(['failed-jobs-history-limit', 'successful-jobs-history-limit']);
  });

  it('history limits unset (not defaulted by a webhook): nothing is deleted, as OpenKruise’s controller reads them', () => {
    const acj = anAdvancedCronJob({ creationTimestamp: T('00:00') });
    expect(plan(acj, [child(acj, '00:05', 'Complete'), child(acj, '00:10', 'Failed')], '00:11').cleanups).toEqual([]);
  });

  it('an unparsable schedule: an UnparseableSchedule warning, no run, no requeue; status still written', () => {
    const acj = cron({ schedule: '0 0 * * 9' });
    const p = plan(acj, [child(acj, '00:05')], '00:30');
    expect(p.step).toEqual({ kind: 'invalid-schedule', schedule: '0 0 * * 9', message: 'end of range (9) above maximum (6): 9' });
    expect(p.events).toEqual([{ type: 'Warning', reason: 'UnparseableSchedule', message: 'unparsable schedule "0 0 * * 9": end of range (9) above maximum (6): 9' }]);
    expect(p.status.active).toHaveLength(1);
  });

  it('a schedule that never runs (30 February): wait, no requeue', () => {
    const p = plan(cron({ schedule: '0 0 30 2 *' }), [], '00:30');
    expect(p.step).toEqual({ kind: 'wait', next: undefined });
    expect(p.requeueAfterMs).toBeUndefined();
  });

  it('a BroadcastJob template creates a BroadcastJob and reports type BroadcastJob', () => {
    const p = plan(cron({ templateKind: 'BroadcastJob', broadcastJobSpec: { parallelism: 2 } }), [], '00:05');
    expect(p.status.type).toBe('BroadcastJob');
    expect(p.effects[0]?.[0]).toMatchObject({ object: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'BroadcastJob', spec: { parallelism: 2 } } });
  });

  it('an ImageListPullJob template creates an ImageListPullJob (template metadata and spec, scheduled-at, controller reference) and reports type ImageListPullJob', () => {
    const acj = cron({ templateKind: 'ImageListPullJob', jobLabels: { team: 'infra' }, imageListPullJobSpec: { parallelism: 2 } });
    const p = plan(acj, [], '00:05');
    expect(p.status).toEqual({ type: 'ImageListPullJob' });
    expect(p.effects[0]?.[0]).toEqual({
      kind: 'create-owned',
      reason: 'scheduled-run',
      object: {
        apiVersion: 'apps.kruise.io/v1beta1',
        kind: 'ImageListPullJob',
        metadata: {
          name: `report-${unix('00:05')}`,
          namespace: 'default',
          labels: { team: 'infra' },
          annotations: { 'apps.kruise.io/scheduled-at': T('00:05') },
          ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'AdvancedCronJob', name: 'report', uid: 'uid-report', controller: true, blockOwnerDeletion: true }],
        },
        spec: { images: ['nginx:1.25', 'redis:7'], completionPolicy: { type: 'Always' }, parallelism: 2 },
      },
    });
  });

  // An ImageListPullJob child as the ImageListPullJob controller leaves it: running (no completion
  // time), or finished with `succeeded` of `desired` ImagePullJobs.
  const pull = (acj: AdvancedCronJob, hhmm: string, succeeded?: number): CronJobChild => {
    const { status: _status, ...job } = child(acj, hhmm);
    const finished = succeeded === undefined ? {} : { completionTime: T(hhmm), succeeded };
    return { ...job, apiVersion: 'apps.kruise.io/v1beta1', kind: 'ImageListPullJob', status: { startTime: T(hhmm), desired: 2, ...finished } };
  };

  it.each([
    ['no completion time: active', undefined, 'Forbid', 'skip'],
    ['completed, 2 of 2 succeeded: done', 2, 'Forbid', 'run'],
    ['completed, 1 of 2 succeeded: failed, done', 1, 'Forbid', 'run'],
  ] as const)('an ImageListPullJob child %s (Forbid at the next time: %s)', (_, succeeded, policy, step) => {
    const acj = cron({ templateKind: 'ImageListPullJob', concurrencyPolicy: policy });
    const p = plan(acj, [pull(acj, '00:05', succeeded)], '00:10');
    expect(p.step.kind).toBe(step);
    expect(p.status.active?.map((r) => r.kind)).toEqual(succeeded === undefined ? ['ImageListPullJob'] : undefined);
  });

  it('ImageListPullJob Replace: the running one is deleted (as an ImageListPullJob) before the next is created', () => {
    const acj = cron({ templateKind: 'ImageListPullJob', concurrencyPolicy: 'Replace' });
    const p = plan(acj, [pull(acj, '00:05')], '00:10');
    expect(p.effects.map(names)).toEqual([[`delete-owned report-${unix('00:05')}`], [`create-owned report-${unix('00:10')}`]]);
    expect(p.effects[0]?.[0]).toMatchObject({ reason: 'concurrency-replace', target: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'ImageListPullJob' } });
  });

  it('ImageListPullJob history: succeeded ones beyond 1 and failed ones beyond 1 deleted, oldest first', () => {
    const acj = cron({ templateKind: 'ImageListPullJob', successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 });
    const children = [pull(acj, '00:05', 2), pull(acj, '00:10', 2), pull(acj, '00:15', 0), pull(acj, '00:20', 1)];
    expect(plan(acj, children, '00:22').cleanups.map((e) => `${e.reason} ${names([e])[0] ?? ''}`)).toEqual([
      `failed-jobs-history-limit delete-owned report-${unix('00:15')}`,
      `successful-jobs-history-limit delete-owned report-${unix('00:05')}`,
    ]);
  });

  it('a stored lastScheduleTime later than any child’s is kept (history limit 0 would otherwise rerun that time)', () => {
    const acj = { ...cron({ successfulJobsHistoryLimit: 0 }), status: { lastScheduleTime: T('00:05') } };
    const p = plan(acj, [], '00:07');
    expect(p.step).toEqual({ kind: 'wait', next: T('00:10') });
    expect(p.status).toEqual({ type: 'Job', lastScheduleTime: T('00:05') });
  });

  it('timeZone and TZ= prefixes reach the scheduler', () => {
    const seen: (string | undefined)[] = [];
    const spy: typeof utcCronScheduler = (spec, zone) => {
      seen.push(spec.timeZone ?? zone);
      return () => undefined;
    };
    for (const options of [{ timeZone: 'Asia/Tokyo' }, { schedule: 'CRON_TZ=Europe/Berlin 0 * * * *' }, {}]) {
      planAdvancedCronJobPass({ acj: cron(options), children: [], now: ms('00:07'), scheduler: spy, defaultTimeZone: 'America/New_York' });
    }
    expect(seen).toEqual(['Asia/Tokyo', 'Europe/Berlin', 'America/New_York']);
  });
});
