import { SCHEDULED_AT_ANNOTATION, cronJobChildState, type AdvancedCronJob, type CronJobChild, type Job, type TemplateKind } from '@kruise-ts/core';
import { anAdvancedCronJob, type AdvancedCronJobOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeObject, type MemoryClusterOptions, type ResourceType } from '@kruise-ts/k8s-adapter';
import { startWorkloadWorld, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { createAdvancedCronJobController } from './createAdvancedCronJobController.js';

/** An AdvancedCronJob as the memory cluster returns it. */
export type AdvancedCronJobObject = AdvancedCronJob & KubeObject;
/** A Job as the memory cluster returns it. */
export type JobObject = Job & KubeObject;
/** A Job, BroadcastJob or ImageListPullJob as the memory cluster returns it (what the tests read of each). */
export type ChildObject = CronJobChild & KubeObject;

/** A memory cluster with the AdvancedCronJob controller running on it (no Job controller: tests finish Jobs themselves). */
export interface AdvancedCronJobWorld extends WorkloadWorld<AdvancedCronJobObject> {
  /** Creates a cron job in namespace `apps` from builder options (name `report` by default). */
  create(options: AdvancedCronJobOptions): Promise<AdvancedCronJobObject>;
  /** Jobs of namespace `apps`, by scheduled time. */
  jobs(): Promise<JobObject[]>;
  /** Jobs (default), BroadcastJobs or ImageListPullJobs of namespace `apps`, by scheduled time. */
  children(kind?: TemplateKind): Promise<ChildObject[]>;
  /**
   * Marks a child finished as its controller would: a Job or BroadcastJob gets a `Complete` or
   * `Failed` condition True and a start time; an ImageListPullJob a start and completion time, 2
   * ImagePullJobs desired and 2 (Complete) or 1 (Failed) of them succeeded.
   */
  finish(name: string, type: 'Complete' | 'Failed', kind?: TemplateKind): Promise<void>;
  /** Finishes every running child of the kind (default Job). */
  finishAll(type: 'Complete' | 'Failed', kind?: TemplateKind): Promise<string[]>;
  /**
   * Moves the fake clock to `until` (epoch ms) a minute at a time (timers due in a minute fire at
   * their time), letting the controller run after each step; `each` runs after every step (e.g. to
   * finish jobs).
   */
  runUntil(until: number, each?: () => Promise<unknown>): Promise<void>;
  /** Records the scheduled-at time of every child of the kind (default Job) created from now on (deleted ones included). */
  recordRuns(kind?: TemplateKind): { readonly runs: string[]; stop(): void };
}

const CHILD_RESOURCES: Readonly<Record<TemplateKind, ResourceType<ChildObject>>> = {
  Job: Resources.Job,
  BroadcastJob: KruiseResources.BroadcastJob,
  ImageListPullJob: KruiseResources.ImageListPullJob,
};

/** The status a finished child's controller writes. */
function finishedStatus(kind: TemplateKind, type: 'Complete' | 'Failed', now: string): Record<string, unknown> {
  if (kind === 'ImageListPullJob') return { startTime: now, completionTime: now, desired: 2, succeeded: type === 'Complete' ? 2 : 1 };
  return { startTime: now, conditions: [{ type, status: 'True', lastTransitionTime: now }] };
}

/** Returns a memory cluster serving AdvancedCronJobs, with their controller running on the cluster's fake clock (starting at `start`). */
export async function startAdvancedCronJobWorld(options: MemoryClusterOptions & { readonly start?: number; readonly defaultTimeZone?: string } = {}): Promise<AdvancedCronJobWorld> {
  const world = await startWorkloadWorld<AdvancedCronJobObject>({
    ...options,
    nodes: 1,
    ...(options.start !== undefined && { clock: { start: options.start } }),
    resource: KruiseResources.AdvancedCronJob,
    extraResources: [KruiseResources.BroadcastJob, KruiseResources.ImageListPullJob],
    createController: (deps) => createAdvancedCronJobController({ ...deps, defaultTimeZone: options.defaultTimeZone }),
  });
  const inApps = (name: string) => ({ name, namespace: 'apps' });
  const resourceOf = (kind: TemplateKind = 'Job'): ResourceType<ChildObject> => CHILD_RESOURCES[kind];
  const at = (job: CronJobChild) => job.metadata.annotations?.[SCHEDULED_AT_ANNOTATION] ?? '';
  const children = async (kind: TemplateKind = 'Job'): Promise<ChildObject[]> => {
    const items: ChildObject[] = (await world.user.list(resourceOf(kind), { namespace: 'apps' })).items;
    return items.sort((a, b) => at(a).localeCompare(at(b)));
  };
  const jobs = async (): Promise<JobObject[]> => (await children('Job')) as JobObject[];
  const finish = async (name: string, type: 'Complete' | 'Failed', kind: TemplateKind = 'Job'): Promise<void> => {
    const now = new Date(world.cluster.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await world.user.patch(resourceOf(kind), inApps(name), { type: 'merge', body: { status: finishedStatus(kind, type, now) } }, { subresource: 'status' });
  };
  return {
    ...world,
    create: (acj) => world.user.create(KruiseResources.AdvancedCronJob, anAdvancedCronJob({ name: 'report', namespace: 'apps', ...acj }) as AdvancedCronJobObject),
    get: (name = 'report') => world.get(name),
    poke: (name = 'report') => world.poke(name),
    jobs,
    children,
    finish,
    async finishAll(type, kind = 'Job') {
      const running = (await children(kind)).filter((j) => cronJobChildState(j, kind) === 'active').map((j) => j.metadata.name ?? '');
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
