import { SCHEDULED_AT_ANNOTATION, cronJobChildState } from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { startAdvancedCronJobWorld, type AdvancedCronJobWorld } from './advancedCronJobController.testkit.js';

const MIN = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('AdvancedCronJob controller (memory cluster, fake clock)', () => {
  let world: AdvancedCronJobWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('a simulated day across the spring-forward DST change in America/New_York (8 March 2026): every half hour that exists, 02:00 and 02:30 skipped; Forbid; history kept at 3', async () => {
    // 23:50 EST on 7 March; the clocks jump from 02:00 EST to 03:00 EDT on 8 March.
    const start = Date.parse('2026-03-08T04:50:00Z');
    world = await startAdvancedCronJobWorld({ start });
    const w = world;
    const recorded = w.recordRuns();
    await w.create({ schedule: 'TZ=America/New_York */30 * * * *', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    // Until 00:10 EDT on 9 March, finishing each job within the minute it runs.
    await w.runUntil(Date.parse('2026-03-09T04:10:00Z'), () => w.finishAll('Complete'));
    recorded.stop();
    // Local 00:00 and 00:30 (EST, -05:00), 01:00 and 01:30 (EST), then 03:00 EDT (-04:00) onwards, to 00:00 on 9 March.
    const expected = [
      ...[0, 30, 60, 90].map((m) => Date.parse('2026-03-08T05:00:00Z') + m * MIN),
      ...Array.from({ length: 43 }, (_, i) => Date.parse('2026-03-08T07:00:00Z') + i * 30 * MIN),
    ].map(iso);
    expect(recorded.runs).toEqual(expected);
    expect(recorded.runs).toHaveLength(47);
    const localHour = (at: string) => Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', hourCycle: 'h23' }).format(new Date(at)));
    expect(recorded.runs.map(localHour)).not.toContain(2);
    const left = await w.jobs();
    expect(left.map((j) => j.metadata.annotations?.[SCHEDULED_AT_ANNOTATION])).toEqual(expected.slice(-3));
    const status = (await w.get()).status;
    expect(status).toMatchObject({ type: 'Job', lastScheduleTime: expected.at(-1) });
    expect(status?.active).toBeUndefined();
  });

  it('a 2 am nightly job in New York is skipped on the spring-forward day and runs the next night', async () => {
    world = await startAdvancedCronJobWorld({ start: Date.parse('2026-03-08T04:00:00Z') });
    const w = world;
    const recorded = w.recordRuns();
    await w.create({ schedule: '0 2 * * *', timeZone: 'America/New_York', successfulJobsHistoryLimit: 5 });
    await w.runUntil(Date.parse('2026-03-09T07:00:00Z'));
    recorded.stop();
    expect(recorded.runs).toEqual(['2026-03-09T06:00:00Z']);
  });

  it('fall-back in New York (1 November 2026): a 01:30 job runs at 01:30 EDT and again at 01:30 EST, as robfig/cron does', async () => {
    world = await startAdvancedCronJobWorld({ start: Date.parse('2026-11-01T04:00:00Z') });
    const w = world;
    const recorded = w.recordRuns();
    await w.create({ schedule: 'CRON_TZ=America/New_York 30 1 * * *', successfulJobsHistoryLimit: 5 });
    await w.runUntil(Date.parse('2026-11-01T09:00:00Z'), () => w.finishAll('Complete'));
    recorded.stop();
    expect(recorded.runs).toEqual(['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z']);
  });

  it('Forbid: while a job runs no other starts; once it finishes the latest missed time runs at once (00:04, not 00:05)', async () => {
    const start = Date.parse('2026-01-01T00:00:30Z');
    world = await startAdvancedCronJobWorld({ start });
    const w = world;
    await w.create({ schedule: '* * * * *', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 10 });
    await w.runUntil(start + 4 * MIN);
    expect((await w.jobs()).map((j) => j.metadata.annotations?.[SCHEDULED_AT_ANNOTATION])).toEqual(['2026-01-01T00:01:00Z']);
    expect((await w.get()).status?.active?.map((r) => r.name)).toEqual([`report-${Date.parse('2026-01-01T00:01:00Z') / 1000}`]);
    await w.finishAll('Complete');
    await w.runUntil(start + 5 * MIN);
    // 00:04 started when 00:01 finished (at 00:04:30); at 00:05 it still runs, so 00:05 is skipped.
    expect((await w.jobs()).map((j) => j.metadata.annotations?.[SCHEDULED_AT_ANNOTATION])).toEqual(['2026-01-01T00:01:00Z', '2026-01-01T00:04:00Z']);
  });

  it('Replace: each schedule time deletes the running job and starts a new one', async () => {
    const start = Date.parse('2026-01-01T00:00:30Z');
    world = await startAdvancedCronJobWorld({ start });
    const w = world;
    const recorded = w.recordRuns();
    await w.create({ schedule: '* * * * *', concurrencyPolicy: 'Replace' });
    await w.runUntil(start + 3 * MIN);
    recorded.stop();
    expect(recorded.runs).toEqual(['2026-01-01T00:01:00Z', '2026-01-01T00:02:00Z', '2026-01-01T00:03:00Z']);
    expect((await w.jobs()).map((j) => j.metadata.annotations?.[SCHEDULED_AT_ANNOTATION])).toEqual(['2026-01-01T00:03:00Z']);
  });

  it('Allow: running jobs pile up, all listed in status.active', async () => {
    const start = Date.parse('2026-01-01T00:00:30Z');
    world = await startAdvancedCronJobWorld({ start });
    const w = world;
    await w.create({ schedule: '* * * * *' });
    await w.runUntil(start + 3 * MIN);
    expect(await w.jobs()).toHaveLength(3);
    expect((await w.get()).status?.active).toHaveLength(3);
  });

  it('history limits: 2 succeeded and 1 failed kept, the oldest deleted', async () => {
    const start = Date.parse('2026-01-01T00:00:30Z');
    world = await startAdvancedCronJobWorld({ start });
    const w = world;
    await w.create({ schedule: '* * * * *', successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 });
    let minute = 0;
    await w.runUntil(start + 8 * MIN, async () => {
      minute++;
      return w.finishAll(minute % 2 === 0 ? 'Failed' : 'Complete');
    });
    await w.poke();
    const jobs = await w.jobs();
    const state = (type: string) => jobs.filter((j) => j.status?.conditions?.some((c) => c.type === type && c.status === 'True')).length;
    expect(state('Complete')).toBe(2);
    expect(state('Failed')).toBe(1);
    // the kept ones are the latest of each kind
    expect(jobs.map((j) => j.metadata.annotations?.[SCHEDULED_AT_ANNOTATION]).at(-1)).toBe('2026-01-01T00:08:00Z');
  });

  it('paused: no job is created; unpaused: the latest missed time runs', async () => {
    const start = Date.parse('2026-01-01T00:00:30Z');
    world = await startAdvancedCronJobWorld({ start });
    const w = world;
    await w.create({ schedule: '*/2 * * * *', paused: true });
    await w.runUntil(start + 5 * MIN);
    expect(await w.jobs()).toEqual([]);
    await w.update('report', (acj) => ({ ...acj, spec: { ...acj.spec, paused: false } }));
    await w.until(async () => (await w.jobs()).length === 1);
    expect((await w.jobs())[0]?.metadata.annotations?.[SCHEDULED_AT_ANNOTATION]).toBe('2026-01-01T00:04:00Z');
  });

  it('more than 100 missed start times: a TooManyMissedTimes warning and nothing started', async () => {
    const start = Date.parse('2026-01-01T12:00:30Z');
    world = await startAdvancedCronJobWorld({ start });
    const w = world;
    const acj = await w.create({ schedule: '* * * * *', paused: true });
    // A last run three hours ago, as after a long outage.
    await w.user.patch(KruiseResources.AdvancedCronJob, { name: 'report', namespace: 'apps' }, { type: 'merge', body: { status: { lastScheduleTime: '2026-01-01T09:00:00Z' } } }, { subresource: 'status' });
    await w.update('report', (current) => ({ ...current, spec: { ...current.spec, paused: false } }));
    await w.until(() => w.events.some((e) => e.reason === 'TooManyMissedTimes'));
    expect(w.events.find((e) => e.reason === 'TooManyMissedTimes')).toMatchObject({ type: 'Warning', subject: { kind: 'AdvancedCronJob', name: 'report', uid: acj.metadata.uid } });
    expect(await w.jobs()).toEqual([]);
  });

  it('a Job the cron job created carries the template metadata, the scheduled-at annotation and a controller reference', async () => {
    world = await startAdvancedCronJobWorld({ start: Date.parse('2026-01-01T00:00:30Z') });
    const w = world;
    const acj = await w.create({ schedule: '* * * * *', jobLabels: { team: 'data' }, jobAnnotations: { owner: 'alice' } });
    await w.until(async () => (await w.jobs()).length === 1);
    const [job] = await w.jobs();
    expect(job?.metadata).toMatchObject({
      name: `report-${Date.parse('2026-01-01T00:01:00Z') / 1000}`,
      labels: { team: 'data' },
      annotations: { owner: 'alice', [SCHEDULED_AT_ANNOTATION]: '2026-01-01T00:01:00Z' },
      ownerReferences: [{ kind: 'AdvancedCronJob', name: 'report', uid: acj.metadata.uid, controller: true }],
    });
    expect(job?.spec.template.spec.containers[0]?.image).toBe('busybox:1');
  });

  it('an unparsable schedule (no webhook in front): an UnparseableSchedule warning, no job', async () => {
    world = await startAdvancedCronJobWorld({ start: Date.parse('2026-01-01T00:00:30Z') });
    const w = world;
    await w.create({ schedule: '0 0 * * 9' });
    await w.until(() => w.events.some((e) => e.reason === 'UnparseableSchedule'));
    expect(w.events.find((e) => e.reason === 'UnparseableSchedule')?.message).toBe('unparsable schedule "0 0 * * 9": end of range (9) above maximum (6): 9');
    await w.runUntil(Date.parse('2026-01-01T00:03:00Z'));
    expect(await w.jobs()).toEqual([]);
  });

});

describe('AdvancedCronJob controller with a broadcastJobTemplate (memory cluster, fake clock)', () => {
  let world: AdvancedCronJobWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });
  const start = Date.parse('2026-01-01T00:00:30Z');

  it('creates a BroadcastJob with the template metadata, spec, scheduled-at annotation and controller reference; status.type BroadcastJob, active and lastScheduleTime', async () => {
    world = await startAdvancedCronJobWorld({ start });
    const w = world;
    const acj = await w.create({ schedule: '* * * * *', templateKind: 'BroadcastJob', broadcastJobSpec: { parallelism: 2 }, jobLabels: { team: 'data' }, jobAnnotations: { owner: 'alice' } });
    await w.until(async () => (await w.children('BroadcastJob')).length === 1);
    const [bcj] = await w.children('BroadcastJob');
    const name = `report-${Date.parse('2026-01-01T00:01:00Z') / 1000}`;
    expect(bcj).toMatchObject({
      apiVersion: 'apps.kruise.io/v1beta1',
      kind: 'BroadcastJob',
      metadata: { name, labels: { team: 'data' }, annotations: { owner: 'alice', [SCHEDULED_AT_ANNOTATION]: '2026-01-01T00:01:00Z' }, ownerReferences: [{ kind: 'AdvancedCronJob', name: 'report', uid: acj.metadata.uid, controller: true }] },
      spec: { parallelism: 2 },
    });
    expect(await w.jobs()).toEqual([]);
    await w.until(async () => (await w.get()).status?.active?.length === 1);
    expect((await w.get()).status).toMatchObject({ type: 'BroadcastJob', lastScheduleTime: '2026-01-01T00:01:00Z', active: [{ kind: 'BroadcastJob', apiVersion: 'apps.kruise.io/v1beta1', name, uid: bcj?.metadata.uid }] });
    await w.finish(name, 'Complete', 'BroadcastJob');
    await w.until(async () => (await w.get()).status?.active === undefined);
    expect((await w.get()).status).toMatchObject({ type: 'BroadcastJob', lastScheduleTime: '2026-01-01T00:01:00Z' });
  });
});

describe('AdvancedCronJob controller with an imageListPullJobTemplate (memory cluster, fake clock)', () => {
  let world: AdvancedCronJobWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });
  const start = Date.parse('2026-01-01T00:00:30Z');

  it('creates an ImageListPullJob with the template metadata, spec, scheduled-at annotation and controller reference; status.type ImageListPullJob; active until it has a completion time', async () => {
    world = await startAdvancedCronJobWorld({ start });
    const w = world;
    const acj = await w.create({ schedule: '* * * * *', templateKind: 'ImageListPullJob', imageListPullJobSpec: { parallelism: 3 }, jobLabels: { team: 'infra' } });
    await w.until(async () => (await w.children('ImageListPullJob')).length === 1);
    const [ilpj] = await w.children('ImageListPullJob');
    const name = `report-${Date.parse('2026-01-01T00:01:00Z') / 1000}`;
    expect(ilpj).toMatchObject({
      apiVersion: 'apps.kruise.io/v1beta1',
      kind: 'ImageListPullJob',
      metadata: { name, labels: { team: 'infra' }, annotations: { [SCHEDULED_AT_ANNOTATION]: '2026-01-01T00:01:00Z' }, ownerReferences: [{ kind: 'AdvancedCronJob', name: 'report', uid: acj.metadata.uid, controller: true }] },
      spec: { images: ['nginx:1.25', 'redis:7'], parallelism: 3, completionPolicy: { type: 'Always' } },
    });
    expect(await w.jobs()).toEqual([]);
    expect(await w.children('BroadcastJob')).toEqual([]);
    await w.until(async () => (await w.get()).status?.active?.length === 1);
    expect((await w.get()).status).toMatchObject({ type: 'ImageListPullJob', lastScheduleTime: '2026-01-01T00:01:00Z', active: [{ kind: 'ImageListPullJob', apiVersion: 'apps.kruise.io/v1beta1', name, uid: ilpj?.metadata.uid }] });
    // Every image pulled but no completion time yet: still active, as OpenKruise reads it.
    await w.user.patch(KruiseResources.ImageListPullJob, { name, namespace: 'apps' }, { type: 'merge', body: { status: { desired: 2, succeeded: 2, completed: 2 } } }, { subresource: 'status' });
    await w.poke();
    await w.idle(1000);
    expect((await w.get()).status?.active).toHaveLength(1);
    await w.finish(name, 'Complete', 'ImageListPullJob');
    await w.until(async () => (await w.get()).status?.active === undefined);
    expect((await w.get()).status).toMatchObject({ type: 'ImageListPullJob', lastScheduleTime: '2026-01-01T00:01:00Z' });
  });

});

// The concurrency policies and history limits, the same for both Kruise templates; each kind is
// finished as its controller does (a condition, or a completion time and counts: see the testkit).
describe.each(['BroadcastJob', 'ImageListPullJob'] as const)('AdvancedCronJob controller with a %s template: policies and history (memory cluster, fake clock)', (kind) => {
  let world: AdvancedCronJobWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });
  const start = Date.parse('2026-01-01T00:00:30Z');
  const scheduled = (children: readonly { metadata: { annotations?: Record<string, string> | undefined } }[]) => children.map((c) => c.metadata.annotations?.[SCHEDULED_AT_ANNOTATION]);

  it('Allow: running children pile up, all listed in status.active', async () => {
    world = await startAdvancedCronJobWorld({ start });
    const w = world;
    await w.create({ schedule: '* * * * *', templateKind: kind, concurrencyPolicy: 'Allow' });
    await w.runUntil(start + 3 * MIN);
    expect(scheduled(await w.children(kind))).toEqual(['2026-01-01T00:01:00Z', '2026-01-01T00:02:00Z', '2026-01-01T00:03:00Z']);
    expect((await w.get()).status?.active?.map((r) => r.kind)).toEqual([kind, kind, kind]);
  });

  it('Forbid: no child starts while one runs; once it finishes the latest missed time runs', async () => {
    world = await startAdvancedCronJobWorld({ start });
    const w = world;
    await w.create({ schedule: '* * * * *', templateKind: kind, concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 10 });
    await w.runUntil(start + 4 * MIN);
    expect(scheduled(await w.children(kind))).toEqual(['2026-01-01T00:01:00Z']);
    await w.finishAll('Complete', kind);
    await w.runUntil(start + 5 * MIN);
    expect(scheduled(await w.children(kind))).toEqual(['2026-01-01T00:01:00Z', '2026-01-01T00:04:00Z']);
  });

  it('Replace: each schedule time deletes the running child and starts a new one', async () => {
    world = await startAdvancedCronJobWorld({ start });
    const w = world;
    const recorded = w.recordRuns(kind);
    await w.create({ schedule: '* * * * *', templateKind: kind, concurrencyPolicy: 'Replace' });
    await w.runUntil(start + 3 * MIN);
    recorded.stop();
    expect(recorded.runs).toEqual(['2026-01-01T00:01:00Z', '2026-01-01T00:02:00Z', '2026-01-01T00:03:00Z']);
    expect(scheduled(await w.children(kind))).toEqual(['2026-01-01T00:03:00Z']);
  });

  it('history limits: 2 succeeded and 1 failed kept, the oldest deleted', async () => {
    world = await startAdvancedCronJobWorld({ start });
    const w = world;
    await w.create({ schedule: '* * * * *', templateKind: kind, concurrencyPolicy: 'Allow', successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 });
    let minute = 0;
    await w.runUntil(start + 8 * MIN, async () => {
      minute++;
      return w.finishAll(minute % 2 === 0 ? 'Failed' : 'Complete', kind);
    });
    await w.poke();
    await w.until(async () => (await w.children(kind)).length === 3);
    const children = await w.children(kind);
    const state = (wanted: 'succeeded' | 'failed') => scheduled(children.filter((c) => cronJobChildState(c, kind) === wanted));
    // minutes 1..8 finished alternately Complete (odd) and Failed (even): the latest two Complete and the latest Failed stay
    expect(state('succeeded')).toEqual(['2026-01-01T00:05:00Z', '2026-01-01T00:07:00Z']);
    expect(state('failed')).toEqual(['2026-01-01T00:08:00Z']);
  });
});
