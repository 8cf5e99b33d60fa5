import { formatTime, IMAGEPULLJOB_PROTECTION_FINALIZER, ImagePullJobSchema, imagePullJobsToWake, KRUISE_DAEMON_CONFIG_NAMESPACE, nodeImageConcernsJob, planImagePullJob, withImagePullJobDefaults, type ImagePullJob, type Pod } from '@kruise-ts/core';
import { mergeMap } from 'rxjs';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController, type ReconcileContext, type ReconcileResult } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject, objectKeyOf, parseObjectKey } from '../runtime/watches.js';
import { writeWorkloadStatus } from '../workload/executePassPlan.js';
import { workloadTarget } from '../workload/workloadTarget.js';
import { deleteIfPresent } from './deleteIfPresent.js';
import { addJobTag } from './patchNodeImageSpec.js';
import { setProtectionFinalizer, syncPullSecretCopies } from './syncPullSecretCopies.js';

/** Options of {@link createImagePullJobController}. */
export interface ImagePullJobControllerOptions extends ControllerDeps {
  /** Only ImagePullJobs (and pods) of this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** Jobs reconciled at once (default 3, OpenKruise's `--imagepulljob-workers`). */
  readonly concurrency?: number | undefined;
  /** The random draw in [0, 1) for the TTL jitter of tag entries (default Math.random). */
  readonly random?: (() => number) | undefined;
  /** Where pull secrets are copied for the daemons (default `kruise-daemon-config`, as OpenKruise). */
  readonly daemonConfigNamespace?: string | undefined;
}

type ImagePullJobObject = ImagePullJob & KubeObject;

const isActive = (job: ImagePullJob): boolean => job.status?.completionTime == null && job.metadata?.deletionTimestamp == null;

/**
 * Returns the ImagePullJob controller (`imagepulljob`, run with ImagePullJobGate, which needs
 * KruiseDaemon, as in OpenKruise): informers on ImagePullJobs, NodeImages and pods, woken by a
 * job's events, by a NodeImage change that concerns an active job (core's `imagePullJobsToWake`:
 * its selection changed, or its image's entry did), and by a pod an active pod-selector job matches. A pass is core's `planImagePullJob` on the job with OpenKruise's
 * defaults: the job's tag entry is added to the NodeImages it hands out (`addJobTag`: read,
 * `withJobTag`, merge patch guarded by the resourceVersion, 409 retried), the status written
 * (merge patch of the status subresource), a finished job deleted after its TTL, and an Always job
 * with a deadline requeued for it. Pull secrets are copied into the daemons' namespace
 * (`kruise-daemon-config`, core's `planPullSecretCopies`) and the NodeImages name the copies; a
 * job with pull secrets carries `apps.kruise.io/deletion-protection` until it finished or goes and
 * its copies are released; a source Secret's change wakes the jobs naming it. Tag entries are not removed when a job finishes or goes: the
 * NodeImage controller drops them (owner gone, or TTL). Call `controller.start(signal)`.
 */
export function createImagePullJobController(options: ImagePullJobControllerOptions): RunningController {
  const { informers, namespace, clock, client, events } = options;
  const random = options.random ?? Math.random;
  const scoped = namespace === undefined ? {} : { namespace };
  const jobs = informers.informerFor(KruiseResources.ImagePullJob, scoped);
  const nodeImages = informers.informerFor(KruiseResources.NodeImage);
  const pods = informers.informerFor(Resources.Pod, scoped);
  const podsOn = (node: string): Pod[] => pods.store.list().filter((p) => p.spec.nodeName === node);
  // Source Secrets wake the jobs naming them (the shared cache keeps no Secret data); copies are read live.
  const secrets = informers.informerFor(Resources.Secret, scoped);
  const daemonNamespace = options.daemonConfigNamespace ?? KRUISE_DAEMON_CONFIG_NAMESPACE;
  const protectedJob = (job: ImagePullJobObject): boolean => (job.metadata.finalizers ?? []).includes(IMAGEPULLJOB_PROTECTION_FINALIZER);

  async function reconcile(key: string, context: ReconcileContext): Promise<ReconcileResult> {
    const object = jobs.store.get(parseObjectKey(key)) as ImagePullJobObject | undefined;
    if (object === undefined) return { kind: 'done' };
    const { signal } = context;
    // A job going or finished releases its secret copies, then its protection finalizer (OpenKruise's finalize).
    if (object.metadata.deletionTimestamp != null || object.status?.completionTime != null) {
      if (protectedJob(object)) {
        await syncPullSecretCopies({ client, daemonNamespace }, object, signal);
        await setProtectionFinalizer(client, object, false, signal);
      }
      if (object.metadata.deletionTimestamp != null) return { kind: 'done' };
    }
    const parsed = ImagePullJobSchema.safeParse(object);
    const target = workloadTarget(KruiseResources.ImagePullJob, key, object);
    if (!parsed.success) {
      events.emit({ subject: target.subject, type: 'Warning', reason: 'InvalidSpec', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      return { kind: 'done' };
    }
    const job = withImagePullJobDefaults(parsed.data);
    const active = object.status?.completionTime == null;
    // A job with pull secrets is protected until its copies are released (OpenKruise protects every job).
    // The patch's event brings the job back with its new resourceVersion.
    if (active && (job.spec.pullSecrets ?? []).length > 0 && !protectedJob(object)) {
      await setProtectionFinalizer(client, object, true, signal);
      return { kind: 'done' };
    }
    const copied = active ? await syncPullSecretCopies({ client, daemonNamespace }, job, signal) : [];
    const now = clock.now();
    const plan = planImagePullJob({ job, nodeImages: nodeImages.store.list(), pods: job.spec.podSelector === undefined ? [] : pods.store.list(object.metadata.namespace), now, secrets: copied });
    if (plan.step.kind === 'invalid-image') {
      events.emit({ subject: target.subject, type: 'Warning', reason: 'InvalidImage', message: plan.step.message });
      return { kind: 'done' };
    }
    for (const action of plan.actions) {
      if (action.kind === 'delete-job') {
        await deleteIfPresent(client, KruiseResources.ImagePullJob, { namespace: object.metadata.namespace, name: object.metadata.name ?? '' }, object.metadata.uid ?? '', signal);
        return { kind: 'done' };
      }
      for (const name of action.nodeImages) {
        const outcome = await addJobTag(client, name, { job, imageName: action.imageName, tag: action.tag, now: formatTime(now), jitter: random(), secrets: copied }, signal);
        context.log.debug({ nodeImage: name, outcome }, 'job tag');
      }
    }
    const wrote = await writeWorkloadStatus({ client }, target, object.status, plan.status, signal);
    if (wrote || plan.requeueAfterMs === undefined) return { kind: 'done' };
    return { kind: 'requeue', afterMs: plan.requeueAfterMs };
  }

  const controller = createController({
    name: 'imagepulljob',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [
      enqueueObject(jobs),
      // A NodeImage change wakes only the jobs it concerns (OpenKruise's nodeImageEventHandler):
      // a daemon's status write about one image does not wake the jobs of the node's other images.
      {
        keys$: nodeImages.events$.pipe(
          mergeMap((event) =>
            imagePullJobsToWake(
              jobs.store.list().filter(isActive),
              event.object,
              event.type === 'updated' ? event.previous : undefined,
              jobs.store.list().some((job) => job.spec.podSelector !== undefined) ? podsOn(event.object.metadata.name ?? '') : [],
            ).map(objectKeyOf),
          ),
        ),
        synced: nodeImages.synced,
      },
      enqueueMapped(pods, (pod) =>
        jobs.store
          .list(pod.metadata.namespace)
          .filter((job) => isActive(job) && job.spec.podSelector !== undefined && nodeImageConcernsJob(job, { metadata: { name: pod.spec.nodeName ?? '' } }, [pod]))
          .map(objectKeyOf),
      ),
      // A pull Secret created or changed wakes the active jobs of its namespace naming it (OpenKruise's secretEventHandler).
      enqueueMapped(
        secrets,
        (secret) => (secret.metadata.namespace === daemonNamespace ? [] : jobs.store.list(secret.metadata.namespace).filter((job) => isActive(job) && (job.spec.pullSecrets ?? []).includes(secret.metadata.name ?? '')).map(objectKeyOf)),
        { predicate: (event) => event.type !== 'deleted' },
      ),
    ],
    reconcile,
  });
  return runningController(controller, [], [jobs, nodeImages, pods, secrets]);
}
