import { SCHEDULED_AT_ANNOTATION, type AdvancedCronJob, type BroadcastJob, type Job } from '@kruise-ts/core';
import { aCronJobChild, anAdvancedCronJob } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, createNamespace, startCloneSetCluster } from './cloneSetHarness.js';
import { useManagerCluster } from './statefulSetHarness.js';

// AdvancedCronJob on a real kube-apiserver with the kruise-ts-manager process (webhooks called by
// the apiserver, the controller as deploy/'s service account). The test cluster runs no Job
// controller: the test finishes Jobs by writing their status, as the Job controller would.

type JobObject = Job & KubeObject;
const NS = 'cron';
const MINUTE = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const scheduledAt = (job: Job): string => job.metadata?.annotations?.[SCHEDULED_AT_ANNOTATION] ?? '';

async function jobsOf(client: KubeClient, owner: string): Promise<JobObject[]> {
  const jobs = (await client.list(Resources.Job, { namespace: NS })).items.filter((j) => j.metadata.ownerReferences?.some((o) => o.name === owner && o.controller === true));
  return jobs.filter((j) => j.metadata.deletionTimestamp === undefined).sort((a, b) => scheduledAt(a).localeCompare(scheduledAt(b)));
}

/** Writes the status the Job controller writes when the Job's one pod succeeded. */
async function complete(client: KubeClient, job: JobObject): Promise<void> {
  const now = iso(Date.now());
  const conditions = ['SuccessCriteriaMet', 'Complete'].map((type) => ({ type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'CompletionsReached' }));
  await client.patch(Resources.Job, { name: job.metadata.name ?? '', namespace: NS }, { type: 'merge', body: { status: { startTime: job.status?.startTime ?? now, completionTime: now, succeeded: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {}, conditions } } }, { subresource: 'status' });
}

/** Creates the Job an AdvancedCronJob would have created for `at`, running (a start time) or completed. */
async function pastRun(client: KubeClient, owner: AdvancedCronJob & KubeObject, at: number, state: 'running' | 'completed'): Promise<JobObject> {
  const { status: _status, ...job } = aCronJobChild({ owner, scheduledAt: iso(at) });
  const { uid: _uid, ...metadata } = job.metadata;
  const created = await client.create(Resources.Job, { ...job, metadata } as JobObject);
  await client.patch(Resources.Job, { name: created.metadata.name ?? '', namespace: NS }, { type: 'merge', body: { status: { startTime: iso(at) } } }, { subresource: 'status' });
  if (state === 'completed') await complete(client, await client.get(Resources.Job, { name: created.metadata.name ?? '', namespace: NS }));
  return created;
}

const unpause = (client: KubeClient, name: string) => client.patch(KruiseResources.AdvancedCronJob, { name, namespace: NS }, { type: 'merge', body: { spec: { paused: false } } });

describe('AdvancedCronJob on a real kube-apiserver with kruise-ts-manager', () => {
  const env = useManagerCluster({ controller: 'advancedcronjob', resource: KruiseResources.AdvancedCronJob, startCluster: () => startCloneSetCluster() });

  it('every minute with Forbid: a Job at the next minute boundary, none while one runs, history limits kept', { timeout: 240_000 }, async () => {
    const { client } = env;
    await createNamespace(client, NS);
    // Two cron jobs, created paused so that their earlier runs exist before they schedule anything.
    const spec = { namespace: NS, schedule: '* * * * *', concurrencyPolicy: 'Forbid' as const, paused: true };
    const done = await client.create(KruiseResources.AdvancedCronJob, anAdvancedCronJob({ ...spec, name: 'finished', successfulJobsHistoryLimit: 1 }) as AdvancedCronJob & KubeObject);
    const busy = await client.create(KruiseResources.AdvancedCronJob, anAdvancedCronJob({ ...spec, name: 'busy' }) as AdvancedCronJob & KubeObject);
    // The mutating webhook defaulted what was not set (OpenKruise's defaults).
    expect(busy.spec).toMatchObject({ successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    const t0 = Math.floor(Date.now() / MINUTE) * MINUTE;
    // `finished` ran at t0 - 1 min and t0, both done; `busy` ran at t0 and still runs.
    const older = await pastRun(client, done, t0 - MINUTE, 'completed');
    await pastRun(client, done, t0, 'completed');
    await pastRun(client, busy, t0, 'running');
    await unpause(client, 'finished');
    await unpause(client, 'busy');

    // History: `finished` keeps one succeeded Job, so the older one goes at once.
    await vi.waitFor(async () => {
      expect((await jobsOf(client, 'finished')).map((j) => j.metadata.name)).not.toContain(older.metadata.name);
    }, LONG_WAIT);

    // On schedule: at t0 + 1 min `finished` gets its Job (nothing of it runs)...
    const next = t0 + MINUTE;
    await vi.waitFor(async () => {
      expect((await jobsOf(client, 'finished')).map(scheduledAt)).toContain(iso(next));
    }, { timeout: 90_000, interval: 250 });
    const run = (await jobsOf(client, 'finished')).find((j) => scheduledAt(j) === iso(next));
    expect(run?.metadata.name).toBe(`finished-${String(next / 1000)}`);
    const createdAt = Date.parse(run?.metadata.creationTimestamp ?? '');
    expect(createdAt).toBeGreaterThanOrEqual(next);
    expect(createdAt).toBeLessThan(next + 15_000);
    expect((await client.get(KruiseResources.AdvancedCronJob, { name: 'finished', namespace: NS })).status).toMatchObject({
      type: 'Job',
      lastScheduleTime: iso(next),
      active: [{ kind: 'Job', name: run?.metadata.name, uid: run?.metadata.uid }],
    });

    // ...and once it completes, only it is kept (successfulJobsHistoryLimit 1).
    await complete(client, run as JobObject);
    await vi.waitFor(async () => {
      expect((await jobsOf(client, 'finished')).map(scheduledAt)).toEqual([iso(next)]);
      const status = (await client.get(KruiseResources.AdvancedCronJob, { name: 'finished', namespace: NS })).status;
      expect(status?.active).toBeUndefined();
    }, LONG_WAIT);

    // `busy` still runs its t0 Job: Forbid started nothing at t0 + 1 min. The controller is idle
    // after the boundary, so its pass at the boundary is over.
    const before = await env.signals.reconciles();
    await env.signals.waitForReconciles(before, 0);
    expect(Date.now()).toBeGreaterThan(next);
    expect((await jobsOf(client, 'busy')).map(scheduledAt)).toEqual([iso(t0)]);
    expect((await client.get(KruiseResources.AdvancedCronJob, { name: 'busy', namespace: NS })).status).toMatchObject({ type: 'Job', lastScheduleTime: iso(t0), active: [{ name: `busy-${String(t0 / 1000)}` }] });
  });

  it('a broadcastJobTemplate with Replace: at the next minute the running BroadcastJob is deleted and the new one created; status.type BroadcastJob', { timeout: 240_000 }, async () => {
    const { client } = env;
    const acj = await client.create(
      KruiseResources.AdvancedCronJob,
      anAdvancedCronJob({ namespace: NS, name: 'warm', schedule: '* * * * *', concurrencyPolicy: 'Replace', paused: true, templateKind: 'BroadcastJob', broadcastJobSpec: { parallelism: 2 }, jobLabels: { team: 'infra' } }) as AdvancedCronJob & KubeObject,
    );
    const t0 = Math.floor(Date.now() / MINUTE) * MINUTE;
    // The run of t0, still running: a BroadcastJob as the controller would have created it.
    const { spec: _spec, status: _status, ...child } = aCronJobChild({ owner: acj, scheduledAt: iso(t0) });
    const { uid: _uid, ...metadata } = child.metadata;
    const running = await client.create(KruiseResources.BroadcastJob, { apiVersion: 'apps.kruise.io/v1beta1', kind: 'BroadcastJob', metadata, spec: acj.spec.template.broadcastJobTemplate?.spec } as BroadcastJob & KubeObject);
    await unpause(client, 'warm');
    const children = async () => (await client.list(KruiseResources.BroadcastJob, { namespace: NS })).items.filter((j) => j.metadata.ownerReferences?.some((o) => o.uid === acj.metadata.uid) && j.metadata.deletionTimestamp === undefined);
    // Before the boundary the t0 run is the one active.
    await vi.waitFor(async () => {
      expect((await client.get(KruiseResources.AdvancedCronJob, { name: 'warm', namespace: NS })).status).toMatchObject({ type: 'BroadcastJob', lastScheduleTime: iso(t0), active: [{ kind: 'BroadcastJob', name: running.metadata.name }] });
    }, LONG_WAIT);
    const next = t0 + MINUTE;
    await vi.waitFor(async () => {
      expect((await children()).map((j) => j.metadata.annotations?.[SCHEDULED_AT_ANNOTATION])).toEqual([iso(next)]);
    }, { timeout: 90_000, interval: 250 });
    const [created] = await children();
    expect(created?.metadata).toMatchObject({ name: `warm-${String(next / 1000)}`, labels: { team: 'infra' }, ownerReferences: [{ kind: 'AdvancedCronJob', name: 'warm', controller: true }] });
    expect(created?.spec.parallelism).toBe(2);
    await vi.waitFor(async () => {
      expect((await client.get(KruiseResources.AdvancedCronJob, { name: 'warm', namespace: NS })).status).toMatchObject({ type: 'BroadcastJob', lastScheduleTime: iso(next), active: [{ kind: 'BroadcastJob', name: created?.metadata.name, uid: created?.metadata.uid }] });
    }, LONG_WAIT);
    await client.patch(KruiseResources.AdvancedCronJob, { name: 'warm', namespace: NS }, { type: 'merge', body: { spec: { paused: true } } });
  });

  it('the validating webhook refuses a schedule robfig/cron refuses, naming the field', async () => {
    const { client } = env;
    const bad = anAdvancedCronJob({ namespace: NS, name: 'bad', schedule: '0 0 * * 7' }) as AdvancedCronJob & KubeObject;
    await expect(client.create(KruiseResources.AdvancedCronJob, bad)).rejects.toThrow('spec.schedule: Invalid value: "0 0 * * 7": end of range (7) above maximum (6): 7');
  });

  it('serves v1alpha1 through the conversion webhook: created as v1alpha1, stored and read back as v1beta1, the same fields', async () => {
    const { client } = env;
    const alpha = { ...anAdvancedCronJob({ namespace: NS, name: 'alpha', schedule: 'TZ=Europe/Berlin 0 6 * * *', paused: true }), apiVersion: 'apps.kruise.io/v1alpha1' };
    await client.create(KruiseResources.AdvancedCronJobV1alpha1, alpha as AdvancedCronJob & KubeObject);
    const beta = await client.get(KruiseResources.AdvancedCronJob, { name: 'alpha', namespace: NS });
    expect(beta.apiVersion).toBe('apps.kruise.io/v1beta1');
    expect(beta.spec).toMatchObject({ schedule: 'TZ=Europe/Berlin 0 6 * * *', paused: true, concurrencyPolicy: 'Allow', successfulJobsHistoryLimit: 3 });
    const back = await client.get(KruiseResources.AdvancedCronJobV1alpha1, { name: 'alpha', namespace: NS });
    expect(back.apiVersion).toBe('apps.kruise.io/v1alpha1');
    expect(back.spec).toEqual(beta.spec);
  });
});
