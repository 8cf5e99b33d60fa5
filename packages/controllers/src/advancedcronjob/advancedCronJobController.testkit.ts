import { SCHEDULED_AT_ANNOTATION, type AdvancedCronJob, type Job } from '@kruise-ts/core';
import { anAdvancedCronJob, type AdvancedCronJobOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeObject, type MemoryClusterOptions } from '@kruise-ts/k8s-adapter';
import { startWorkloadWorld, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { createAdvancedCronJobController } from './createAdvancedCronJobController.js';

/** An AdvancedCronJob as the memory cluster returns it. */
export type AdvancedCronJobObject = AdvancedCronJob & KubeObject;
/** A Job as the memory cluster returns it. */
export type JobObject = Job & KubeObject;

/** A memory cluster with the AdvancedCronJob controller running on it (no Job controller: tests finish Jobs themselves). */
export interface AdvancedCronJobWorld extends WorkloadWorld<AdvancedCronJobObject> {
  /** Creates a cron job in namespace `apps` from builder options (name `report` by default). */
  create(options: AdvancedCronJobOptions): Promise<AdvancedCronJobObject>;
  /** Jobs of namespace `apps`, by scheduled time. */
  jobs(): Promise<JobObject[]>;
  /** Marks a Job finished as the Job controller would: a `Complete` or `Failed` condition True, and a start time. */
  finish(name: string, type: 'Complete' | 'Failed'): Promise<void>;
  /** Finishes every running Job. */
  finishAll(type: 'Complete' | 'Failed'): Promise<string[]>;
  /**
   * Moves the fake clock to `until` (epoch ms) a minute at a time (timers due in a minute fire at
   * their time), letting the controller run after each step; `each` runs after every step (e.g. to
   * finish jobs).
   */
  runUntil(until: number, each?: () => Promise<unknown>): Promise<void>;
  /** Records the scheduled-at time of every Job created from now on (deleted ones included). */
  recordRuns(): { readonly runs: string[]; stop(): void };
}

const isRunning = (job: Job): boolean => !(job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

/** Returns a memory cluster serving AdvancedCronJobs, with their controller running on the cluster's fake clock (starting at `start`). */
export async function startAdvancedCronJobWorld(options: MemoryClusterOptions & { readonly start?: number; readonly defaultTimeZone?: string } = {}): Promise<AdvancedCronJobWorld> {
  const world = await startWorkloadWorld<AdvancedCronJobObject>({
    ...options,
    nodes: 1,
    ...(options.start !== undefined && { clock: { start: options.start } }),
    resource: KruiseResources.AdvancedCronJob,
    createController: (deps) => createAdvancedCronJobController({ ...deps, defaultTimeZone: options.defaultTimeZone }),
  });
  const inApps = (name: string) => ({ name, namespace: 'apps' });
  const jobs = async (): Promise<JobObject[]> => {
    const items = (await world.user.list(Resources.Job, { namespace: 'apps' })).items;
    const at = (job: Job) => job.metadata?.annotations?.[SCHEDULED_AT_ANNOTATION] ?? '';
    return items.sort((a, b) => at(a).localeCompare(at(b)));
  };
  const finish = async (name: string, type: 'Complete' | 'Failed'): Promise<void> => {
    const now = new Date(world.cluster.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await world.user.patch(Resources.Job, inApps(name), { type: 'merge', body: { status: { startTime: now, conditions: [{ type, status: 'True', lastTransitionTime: now }] } } }, { subresource: 'status' });
  };
  return {
    ...world,
    create: (acj) => world.user.create(KruiseResources.AdvancedCronJob, anAdvancedCronJob({ name: 'report', namespace: 'apps', ...acj }) as AdvancedCronJobObject),
    get: (name = 'report') => world.get(name),
    poke: (name = 'report') => world.poke(name),
    jobs,
    finish,
    async finishAll(type) {
      const running = (await jobs()).filter(isRunning).map((j) => j.metadata.name ?? '');
      for (const name of running) await finish(name, type);
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
    recordRuns() {
      const runs: string[] = [];
      const stop = world.follow(Resources.Job, (changed) => {
        const at = changed.metadata.annotations?.[SCHEDULED_AT_ANNOTATION];
        if (at !== undefined && !runs.includes(at)) runs.push(at);
      });
      return { runs, stop };
    },
  };
}
