import { SCHEDULED_AT_ANNOTATION, type AdvancedCronJob, type BroadcastJob, type ImageListPullJob, type Job } from '@kruise-ts/core';
import { aCronJobChild, anAdvancedCronJob } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeClient, type KubeObject, type ResourceType } from '@kruise-ts/k8s-adapter';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, createNamespace } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
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

type KruiseChild = (BroadcastJob | ImageListPullJob) & KubeObject;

/**
 * With a paused Replace cron job of a Kruise template (BroadcastJob or ImageListPullJob): creates
 * its run of the current minute t0, still running, as the controller would have; unpauses it; waits
 * until status shows that run active, then until at t0 + 1 min it is replaced by the run of that
 * time, listed in status.active. Returns the new run and its time.
 */
async function replacedAtNextMinute<C extends KruiseChild>(client: KubeClient, acj: AdvancedCronJob & KubeObject, resource: ResourceType<C>, spec: C['spec'] | undefined): Promise<{ created: C; next: number }> {
  const name = acj.metadata.name ?? '';
  const t0 = Math.floor(Date.now() / MINUTE) * MINUTE;
  const { spec: _spec, status: _status, ...child } = aCronJobChild({ owner: acj, scheduledAt: iso(t0) });
  const { uid: _uid, ...metadata } = child.metadata;
  const running = await client.create(resource, { apiVersion: 'apps.kruise.io/v1beta1', kind: resource.kind, metadata, spec } as C);
  await unpause(client, name);
  const children = async () => (await client.list(resource, { namespace: NS })).items.filter((j) => j.metadata.ownerReferences?.some((o) => o.uid === acj.metadata.uid) && j.metadata.deletionTimestamp === undefined);
  const status = async () => (await client.get(KruiseResources.AdvancedCronJob, { name, namespace: NS })).status;
  // Before the boundary the t0 run is the one active.
  await vi.waitFor(async () => {
    expect(await status()).toMatchObject({ type: resource.kind, lastScheduleTime: iso(t0), active: [{ kind: resource.kind, name: running.metadata.name }] });
  }, LONG_WAIT);
  const next = t0 + MINUTE;
  await vi.waitFor(async () => {
    expect((await children()).map((j) => j.metadata.annotations?.[SCHEDULED_AT_ANNOTATION])).toEqual([iso(next)]);
  }, { timeout: 90_000, interval: 250 });
  const [created] = await children();
  if (created === undefined) throw new Error(`no ${resource.kind} of ${name} at ${iso(next)}`);
  await vi.waitFor(async () => {
    expect(await status()).toMatchObject({ type: resource.kind, lastScheduleTime: iso(next), active: [{ kind: resource.kind, name: created.metadata.name, uid: created.metadata.uid }] });
  }, LONG_WAIT);
  return { created, next };
}

describe('AdvancedCronJob on a real kube-apiserver with kruise-ts-manager', () => {
  // ImagePullJobGate: the ImageListPullJob webhook admits the runs of an imageListPullJobTemplate only with it (as OpenKruise's).
  const env = useManagerCluster({ controller: 'advancedcronjob', resource: KruiseResources.AdvancedCronJob, startCluster: () => startCloneSetCluster(), args: ['--feature-gates=ImagePullJobGate=true'] });
  beforeAll(() => createNamespace(env.client, NS));

  // The three schedule tests each wait for a real minute boundary (up to 60 s): they run side by
  // side (their cron jobs, names and runs are their own), so the file waits for one boundary
  // instead of three in a row (side by side at load 17-20: 163 s a file before, 53 s now).
  it.concurrent('every minute with Forbid: a Job at the next minute boundary, none while one runs, history limits kept', { timeout: 240_000 }, async () => {
    const { client } = env;
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

  it.concurrent('a broadcastJobTemplate with Replace: at the next minute the running BroadcastJob is deleted and the new one created; status.type BroadcastJob', { timeout: 240_000 }, async () => {
    const { client } = env;
    const acj = await client.create(
      KruiseResources.AdvancedCronJob,
      anAdvancedCronJob({ namespace: NS, name: 'warm', schedule: '* * * * *', concurrencyPolicy: 'Replace', paused: true, templateKind: 'BroadcastJob', broadcastJobSpec: { parallelism: 2 }, jobLabels: { team: 'infra' } }) as AdvancedCronJob & KubeObject,
    );
    const { created, next } = await replacedAtNextMinute(client, acj, KruiseResources.BroadcastJob, acj.spec.template.broadcastJobTemplate?.spec);
    expect(created.metadata).toMatchObject({ name: `warm-${String(next / 1000)}`, labels: { team: 'infra' }, ownerReferences: [{ kind: 'AdvancedCronJob', name: 'warm', controller: true }] });
    expect(created.spec.parallelism).toBe(2);
    await client.patch(KruiseResources.AdvancedCronJob, { name: 'warm', namespace: NS }, { type: 'merge', body: { spec: { paused: true } } });
  });

  it.concurrent('an imageListPullJobTemplate: defaulted to Replace; at the next minute the pulling ImageListPullJob is deleted and the new one created; status.type ImageListPullJob; no v1alpha1 form', { timeout: 240_000 }, async () => {
    const { client } = env;
    const acj = await client.create(
      KruiseResources.AdvancedCronJob,
      anAdvancedCronJob({ namespace: NS, name: 'prefetch', schedule: '* * * * *', paused: true, templateKind: 'ImageListPullJob', imageListPullJobSpec: { completionPolicy: {}, parallelism: 2 }, jobLabels: { team: 'infra' } }) as AdvancedCronJob & KubeObject,
    );
    // The mutating webhook: Replace (OpenKruise: concurrent pulls are useless) and the pull defaults.
    expect(acj.spec.concurrencyPolicy).toBe('Replace');
    expect(acj.spec.template.imageListPullJobTemplate?.spec).toMatchObject({ completionPolicy: { type: 'Always' }, pullPolicy: { timeoutSeconds: 600, backoffLimit: 3 }, imagePullPolicy: 'IfNotPresent' });
    // The run of t0 is still pulling (no completion time) when the next minute comes.
    const { created, next } = await replacedAtNextMinute(client, acj, KruiseResources.ImageListPullJob, acj.spec.template.imageListPullJobTemplate?.spec);
    expect(created.metadata).toMatchObject({ name: `prefetch-${String(next / 1000)}`, labels: { team: 'infra' }, ownerReferences: [{ kind: 'AdvancedCronJob', name: 'prefetch', controller: true }] });
    expect(created.spec).toMatchObject({ images: ['nginx:1.25', 'redis:7'], parallelism: 2, completionPolicy: { type: 'Always' } });
    // Completed with every image pulled (what the ImageListPullJob controller writes): no longer active.
    await client.patch(KruiseResources.ImageListPullJob, { name: created.metadata.name ?? '', namespace: NS }, { type: 'merge', body: { status: { startTime: iso(next), completionTime: iso(Date.now()), desired: 2, completed: 2, succeeded: 2 } } }, { subresource: 'status' });
    await vi.waitFor(async () => {
      const status = (await client.get(KruiseResources.AdvancedCronJob, { name: 'prefetch', namespace: NS })).status;
      expect(status).toMatchObject({ type: 'ImageListPullJob', lastScheduleTime: iso(next) });
      expect(status?.active).toBeUndefined();
    }, LONG_WAIT);
    await client.patch(KruiseResources.AdvancedCronJob, { name: 'prefetch', namespace: NS }, { type: 'merge', body: { spec: { paused: true } } });
    // OpenKruise's v1alpha1 has no such template: reading it as v1alpha1 fails in the conversion webhook.
    await expect(client.get(KruiseResources.AdvancedCronJobV1alpha1, { name: 'prefetch', namespace: NS })).rejects.toThrow('imageListPullJobTemplate is not supported in v1alpha1');
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
