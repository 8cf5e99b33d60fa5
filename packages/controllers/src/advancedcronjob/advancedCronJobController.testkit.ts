import { SCHEDULED_AT_ANNOTATION, type AdvancedCronJob, type CronJobChild, type Job, type TemplateKind } from '@kruise-ts/core';
import { anAdvancedCronJob, type AdvancedCronJobOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeObject, type MemoryClusterOptions, type ResourceType } from '@kruise-ts/k8s-adapter';
import { startWorkloadWorld, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { createAdvancedCronJobController } from './createAdvancedCronJobController.js';

/** An AdvancedCronJob as the memory cluster returns it. */
export type AdvancedCronJobObject = AdvancedCronJob & KubeObject;
/** A Job as the memory cluster returns it. */
export type JobObject = Job & KubeObject;
/** A Job or a BroadcastJob as the memory cluster returns it (what the tests read of either). */
export type ChildObject = CronJobChild & KubeObject;

/** A memory cluster with the AdvancedCronJob controller running on it (no Job controller: tests finish Jobs themselves). */
export interface AdvancedCronJobWorld extends WorkloadWorld<AdvancedCronJobObject> {
  /** Creates a cron job in namespace `apps` from builder options (name `report` by default). */
  create(options: AdvancedCronJobOptions): Promise<AdvancedCronJobObject>;
  /** Jobs of namespace `apps`, by scheduled time. */
  jobs(): Promise<JobObject[]>;
  /** Jobs (default) or BroadcastJobs of namespace `apps`, by scheduled time. */
  children(kind?: TemplateKind): Promise<ChildObject[]>;
  /** Marks a Job (or BroadcastJob) finished as its controller would: a `Complete` or `Failed` condition True, and a start time. */
  finish(name: string, type: 'Complete' | 'Failed', kind?: TemplateKind): Promise<void>;
  /** Finishes every running Job (or BroadcastJob). */
  finishAll(type: 'Complete' | 'Failed', kind?: TemplateKind): Promise<string[]>;
  /**
   * Moves the fake clock to `until` (epoch ms) a minute at a time (timers due in a minute fire at
   * their time), letting the controller run after each step; `each` runs after every step (e.g. to
   * finish jobs).
   */
  runUntil(until: number, each?: () => Promise<unknown>): Promise<void>;
  /** Records the scheduled-at time of every Job (or BroadcastJob) created from now on (deleted ones included). */
  recordRuns(kind?: TemplateKind): { readonly runs: string[]; stop(): void };
}

const isRunning = (job: CronJobChild): boolean => !(job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

/** Returns a memory cluster serving AdvancedCronJobs, with their controller running on the cluster's fake clock (starting at `start`). */
export async function startAdvancedCronJobWorld(options: MemoryClusterOptions & { readonly start?: number; readonly defaultTimeZone?: string } = {}): Promise<AdvancedCronJobWorld> {
  const world = await startWorkloadWorld<AdvancedCronJobObject>({
    ...options,
    nodes: 1,
    ...(options.start !== undefined && { clock: { start: options.start } }),
    resource: KruiseResources.AdvancedCronJob,
    extraResources: [KruiseResources.BroadcastJob],
    createController: (deps) => createAdvancedCronJobController({ ...deps, defaultTimeZone: options.defaultTimeZone }),
  });
  const inApps = (name: string) => ({ name, namespace: 'apps' });
  const resourceOf = (kind: TemplateKind = 'Job'): ResourceType<ChildObject> => (kind === 'Job' ? Resources.Job : KruiseResources.BroadcastJob);
  const at = (job: CronJobChild) => job.metadata.annotations?.[SCHEDULED_AT_ANNOTATION] ?? '';
  const children = async (kind: TemplateKind = 'Job'): Promise<ChildObject[]> => {
    const items: ChildObject[] = (await world.user.list(resourceOf(kind), { namespace: 'apps' })).items;
    return items.sort((a, b) => at(a).localeCompare(at(b)));
  };
  const jobs = async (): Promise<JobObject[]> => (await children('Job')) as JobObject[];
  const finish = async (name: string, type: 'Complete' | 'Failed', kind: TemplateKind = 'Job'): Promise<void> => {
    const now = new Date(world.cluster.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await world.user.patch(resourceOf(kind), inApps(name), { type: 'merge', body: { status: { startTime: now, conditions: [{ type, status: 'True', lastTransitionTime: now }] } } }, { subresource: 'status' });
  };
  return {
    ...world,
    create: (acj) => world.user.create(KruiseResources.AdvancedCronJob, anAdvancedCronJob({ name: 'report', namespace: 'apps', ...acj }) as AdvancedCronJobObject),
    get: (name = 'report') => world.get(name),
    poke: (name = 'report') => world.poke(name),
    jobs,
    children,
    finish,
    async finishAll(type, kind) {
      const running = (await children(kind)).filter(isRunning).map((j) => j.metadata.name ?? '');
      for (const name of running) await finish(name, type, kind);
      return running;
    },
    async runUntil(until, each) {
      const { cluster } = world;
      while (cluster.clock.now() < until) {
        await cluster.settle();
        await cluster.clock.advance(Math.min(60_000, until - cluster.clock.now()));
        await cluster.settle();
        await each?.();
      }
      await world.idle(1000);
    },
    recordRuns(kind) {
      const runs: string[] = [];
      const stop = world.follow(resourceOf(kind), (changed) => {
        const at = changed.metadata.annotations?.[SCHEDULED_AT_ANNOTATION];
        if (at !== undefined && !runs.includes(at)) runs.push(at);
      });
      return { runs, stop };
    },
  };
}
