import { EphemeralJobSchema, isEmptyLabelSelector, matchesLabelSelector, parseTime, planEphemeralJob, slowStartBatches, type EphemeralJob, type EphemeralJobAction, type EpochMs, type Pod } from '@kruise-ts/core';
import { KruiseResources, NotFoundError, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController, type ReconcileContext, type ReconcileResult } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject, objectKeyOf, parseObjectKey } from '../runtime/watches.js';
import { writeWorkloadStatus } from '../workload/executePassPlan.js';
import { workloadTarget } from '../workload/workloadTarget.js';

/** Options of {@link createEphemeralJobController}. */
export interface EphemeralJobControllerOptions extends ControllerDeps {
  /** Only EphemeralJobs (and their pods) in this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** Reconciles of different jobs at once (default 10, OpenKruise's). */
  readonly concurrency?: number | undefined;
}

/** An EphemeralJob controller and the resources it holds. */
export type EphemeralJobController = RunningController;

type EphemeralJobObject = EphemeralJob & KubeObject;

/** Returns whether a pod concerns a job (OpenKruise's pod handler): same namespace, a non-empty selector matching it. */
export function podConcernsEphemeralJob(job: EphemeralJob, pod: Pod): boolean {
  return pod.metadata.namespace === job.metadata?.namespace && !isEmptyLabelSelector(job.spec.selector) && matchesLabelSelector(job.spec.selector, pod.metadata.labels ?? {});
}

/**
 * Returns the EphemeralJob controller: informers on EphemeralJobs and pods, woken by job events,
 * by events of the pods a job's selector matches, and at the deadline or TTL the plan asks for.
 * A pass is core's `planEphemeralJob`: injections go through the `pods/ephemeralcontainers`
 * subresource (the pod's current ephemeral containers plus the job's, a strategic merge keyed by
 * name), in slow-start batches (a failure stops the rest and is recorded as a `CreateFailed`
 * Warning); then the status; a job past its TTL is deleted. The cluster cannot remove ephemeral
 * containers, so unlike OpenKruise no clean-up finalizer is added (OpenKruise's clean-up is a no-op
 * on Kubernetes' own ephemeral containers). Call `controller.start(signal)`.
 */
export function createEphemeralJobController(options: EphemeralJobControllerOptions): EphemeralJobController {
  const { informers, namespace, clock, client } = options;
  const scoped = namespace === undefined ? {} : { namespace };
  const jobs = informers.informerFor(KruiseResources.EphemeralJob, scoped);
  const pods = informers.informerFor(Resources.Pod, scoped);
  const podJobs = enqueueMapped(pods, (pod) => jobs.store.list(pod.metadata.namespace).filter((job) => podConcernsEphemeralJob(job, pod)).map(objectKeyOf));

  async function inject(action: Extract<EphemeralJobAction, { kind: 'inject' }>, signal: AbortSignal): Promise<void> {
    const current = pods.store.get({ namespace: action.pod.namespace, name: action.pod.name }) as (Pod & { spec: { ephemeralContainers?: unknown[] } }) | undefined;
    const existing = current?.spec.ephemeralContainers ?? [];
    const body = { metadata: { uid: action.pod.uid }, spec: { ephemeralContainers: [...existing, ...action.containers] } };
    await client.patch(Resources.Pod, { namespace: action.pod.namespace, name: action.pod.name }, { type: 'strategic', body }, { subresource: 'ephemeralcontainers', signal });
  }

  async function reconcile(key: string, context: ReconcileContext): Promise<ReconcileResult> {
    const object = jobs.store.get(parseObjectKey(key)) as EphemeralJobObject | undefined;
    if (object === undefined || object.metadata.deletionTimestamp !== undefined) return { kind: 'done' };
    const parsed = EphemeralJobSchema.safeParse(object);
    const target = workloadTarget(KruiseResources.EphemeralJob, key, object);
    if (!parsed.success) {
      options.events.emit({ subject: target.subject, type: 'Warning', reason: 'InvalidSpec', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      return { kind: 'done' };
    }
    const now: EpochMs = clock.now();
    const plan = planEphemeralJob({ job: parsed.data, pods: pods.store.list(object.metadata.namespace), now });
    const injections = plan.actions.filter((a) => a.kind === 'inject');
    let failure: Error | undefined;
    let next = 0;
    for (const size of slowStartBatches(injections.length)) {
      const batch = injections.slice(next, next + size);
      next += size;
      const results = await Promise.allSettled(batch.map((a) => inject(a, context.signal)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) {
        failure = failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
        options.events.emit({ subject: target.subject, type: 'Warning', reason: 'CreateFailed', message: failure.message });
        break;
      }
    }
    if (plan.actions.some((a) => a.kind === 'delete-job')) {
      try {
        await client.delete(KruiseResources.EphemeralJob, { namespace: object.metadata.namespace, name: object.metadata.name ?? '' }, { preconditions: { uid: object.metadata.uid ?? '' }, signal: context.signal });
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
      return { kind: 'done' };
    }
    await writeWorkloadStatus({ client }, target, object.status, plan.status, context.signal);
    if (failure !== undefined) throw failure;
    context.log.debug({ step: plan.step.kind, match: plan.status.match, injected: injections.length, started: parseTime(plan.status.startTime) }, 'pass applied');
    return plan.requeueAfterMs === undefined ? { kind: 'done' } : { kind: 'requeue', afterMs: Math.max(1, plan.requeueAfterMs) };
  }

  const controller = createController({
    name: 'ephemeraljob',
    concurrency: options.concurrency ?? 10,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [enqueueObject(jobs), podJobs],
    reconcile,
  });
  return runningController(controller, [], [jobs, pods]);
}
