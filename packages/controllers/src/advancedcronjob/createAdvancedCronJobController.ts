import { planAdvancedCronJobPass, type AdvancedCronJobStatus, type AdvancedCronJobStep, type CronScheduler } from '@kruise-ts/core';
import { KruiseResources, Resources, controllerKeyOf, createResourceVersionExpectations, createScaleExpectations, cronerScheduler } from '@kruise-ts/k8s-adapter';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController } from '../runtime/createController.js';
import { enqueueObject, enqueueOwner } from '../runtime/watches.js';
import { reconcileWorkload, type WorkloadKind } from '../workload/reconcileWorkload.js';
import { observeAdvancedCronJob, type AdvancedCronJobCaches, type ObservedAdvancedCronJob } from './observeAdvancedCronJob.js';

/** Options of {@link createAdvancedCronJobController}. */
export interface AdvancedCronJobControllerOptions extends ControllerDeps {
  /** Only AdvancedCronJobs (and their Jobs) in this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** Reconciles of different cron jobs at once (default 3, OpenKruise's `--advancedcronjob-workers`). */
  readonly concurrency?: number | undefined;
  /** Computes schedule activations (default `cronerScheduler`). */
  readonly scheduler?: CronScheduler | undefined;
  /** The zone of a schedule that names none (robfig/cron: the manager's local zone; default `UTC`). */
  readonly defaultTimeZone?: string | undefined;
}

/** An AdvancedCronJob controller and the resources it holds. */
export type AdvancedCronJobController = RunningController;

const CRONJOB_OWNER = { group: 'apps.kruise.io', kind: 'AdvancedCronJob' } as const;

/** Returns the AdvancedCronJob as a {@link WorkloadKind}: its caches, and core's `planAdvancedCronJobPass` at the injected clock's time. */
export function advancedCronJobKind(
  caches: AdvancedCronJobCaches,
  options: Pick<AdvancedCronJobControllerOptions, 'scheduler' | 'defaultTimeZone'>,
): WorkloadKind<ObservedAdvancedCronJob, AdvancedCronJobStep, AdvancedCronJobStatus> {
  const scheduler = options.scheduler ?? cronerScheduler;
  return {
    resource: KruiseResources.AdvancedCronJob,
    observe: (key) => observeAdvancedCronJob(caches, key),
    plan: (observed, now) => planAdvancedCronJobPass({ ...observed, now, scheduler, defaultTimeZone: options.defaultTimeZone }),
    describe: (step) => ({ step: step.kind, ...('scheduled' in step ? { scheduled: step.scheduled } : {}), ...('next' in step ? { next: step.next } : {}) }),
  };
}

/**
 * Returns the AdvancedCronJob controller: informers on AdvancedCronJobs, Jobs, BroadcastJobs and
 * ImageListPullJobs, and the shared workload reconcile over core's `planAdvancedCronJobPass`, woken
 * by cron job events, by events of the children a cron job controls, and at the next activation (the plan's requeue, measured on the
 * injected clock). A Job's name is fixed by its scheduled time, so a pass that runs before the
 * cache shows the Job it just created finds it taken (AlreadyExists) and looks again; no Job is
 * ever created twice. Call `controller.start(signal)`.
 */
export function createAdvancedCronJobController(options: AdvancedCronJobControllerOptions): AdvancedCronJobController {
  const { informers, namespace, clock } = options;
  const scoped = namespace === undefined ? {} : { namespace };
  const cronJobs = informers.informerFor(KruiseResources.AdvancedCronJob, scoped);
  const jobs = informers.informerFor(Resources.Job, scoped);
  const broadcastJobs = informers.informerFor(KruiseResources.BroadcastJob, scoped);
  const imageListPullJobs = informers.informerFor(KruiseResources.ImageListPullJob, scoped);
  // The shared reconcile's expectation gates; the owned-object effects record none (see above).
  const scaleExpectations = createScaleExpectations({ clock, keyOf: (object) => controllerKeyOf(object) });
  const resourceVersions = createResourceVersionExpectations({ clock, cache: jobs.store });
  const kind = advancedCronJobKind({ cronJobs: cronJobs.store, jobs: jobs.store, broadcastJobs: broadcastJobs.store, imageListPullJobs: imageListPullJobs.store }, options);
  const deps = { client: options.client, clock, events: options.events, logger: options.logger, scaleExpectations, resourceVersions, expectationMetrics: options.metrics?.forExpectations('advancedcronjob') };
  const controller = createController({
    name: 'advancedcronjob',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [enqueueObject(cronJobs), enqueueOwner(jobs, CRONJOB_OWNER), enqueueOwner(broadcastJobs, CRONJOB_OWNER), enqueueOwner(imageListPullJobs, CRONJOB_OWNER)],
    reconcile: (key, context) => reconcileWorkload(deps, kind, key, context),
  });
  return runningController(controller, [], [cronJobs, jobs, broadcastJobs, imageListPullJobs]);
}
