import { ImageListPullJobSchema, planImageListPullJob, withImageListPullJobDefaults, type ImageListPullJob, type ImagePullJob } from '@kruise-ts/core';
import { KruiseResources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController, type ReconcileContext, type ReconcileResult } from '../runtime/createController.js';
import { enqueueObject, enqueueOwner, parseObjectKey } from '../runtime/watches.js';
import { writeWorkloadStatus } from '../workload/executePassPlan.js';
import { workloadTarget } from '../workload/workloadTarget.js';
import { deleteIfPresent } from './deleteIfPresent.js';

/** Options of {@link createImageListPullJobController}. */
export interface ImageListPullJobControllerOptions extends ControllerDeps {
  /** Only ImageListPullJobs (and their ImagePullJobs) of this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** Jobs reconciled at once (default 3, OpenKruise's `--imagelistpulljob-workers`). */
  readonly concurrency?: number | undefined;
}

type ImageListPullJobObject = ImageListPullJob & KubeObject;

/**
 * Returns the ImageListPullJob controller (`imagelistpulljob`, run with ImagePullJobGate as in
 * OpenKruise): informers on ImageListPullJobs and ImagePullJobs (woken by the ones it controls). A
 * pass is core's `planImageListPullJob`: the template hash label (merge patch), one ImagePullJob per
 * image created (a `SuccessfulCreate` event with the count), the ones of removed images or of an
 * older template deleted (uid precondition), the status written, a finished list deleted after its
 * TTL. Call `controller.start(signal)`.
 */
export function createImageListPullJobController(options: ImageListPullJobControllerOptions): RunningController {
  const { informers, namespace, clock, client, events } = options;
  const scoped = namespace === undefined ? {} : { namespace };
  const lists = informers.informerFor(KruiseResources.ImageListPullJob, scoped);
  const jobs = informers.informerFor(KruiseResources.ImagePullJob, scoped);

  async function reconcile(key: string, context: ReconcileContext): Promise<ReconcileResult> {
    const object = lists.store.get(parseObjectKey(key)) as ImageListPullJobObject | undefined;
    if (object === undefined || object.metadata.deletionTimestamp !== undefined) return { kind: 'done' };
    const target = workloadTarget(KruiseResources.ImageListPullJob, key, object);
    const parsed = ImageListPullJobSchema.safeParse(object);
    if (!parsed.success) {
      events.emit({ subject: target.subject, type: 'Warning', reason: 'InvalidSpec', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      return { kind: 'done' };
    }
    const uid = object.metadata.uid;
    const owned = jobs.store
      .list(object.metadata.namespace)
      .filter((j) => j.metadata.deletionTimestamp === undefined && (j.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid && ref.controller === true)) as ImagePullJob[];
    const plan = planImageListPullJob({ job: withImageListPullJobDefaults(parsed.data), owned, now: clock.now() });
    const { signal } = context;
    const where = { namespace: object.metadata.namespace, name: object.metadata.name ?? '' };
    let created = 0;
    let deleted = 0;
    for (const action of plan.actions) {
      switch (action.kind) {
        case 'label-template-hash':
          await client.patch(KruiseResources.ImageListPullJob, where, { type: 'merge', body: { metadata: { labels: { 'controller-revision-hash': action.hash } } } }, { signal });
          break;
        case 'delete-job':
          await deleteIfPresent(client, KruiseResources.ImageListPullJob, where, uid ?? '', signal);
          return { kind: 'done' };
        case 'create-image-pull-job':
          await client.create(KruiseResources.ImagePullJob, action.job as ImagePullJob & KubeObject, { signal });
          created++;
          break;
        case 'delete-image-pull-job':
          await deleteIfPresent(client, KruiseResources.ImagePullJob, { namespace: object.metadata.namespace, name: action.name }, action.uid, signal);
          deleted++;
          break;
      }
    }
    if (created > 0) events.emit({ subject: target.subject, type: 'Normal', reason: 'SuccessfulCreate', message: `Create ${String(created)} ImagePullJob` });
    if (deleted > 0) events.emit({ subject: target.subject, type: 'Normal', reason: 'SuccessfulDelete', message: `Delete ${String(deleted)} ImagePullJob` });
    await writeWorkloadStatus({ client }, target, object.status, plan.status, signal);
    return plan.requeueAfterMs === undefined ? { kind: 'done' } : { kind: 'requeue', afterMs: plan.requeueAfterMs };
  }

  const controller = createController({
    name: 'imagelistpulljob',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [enqueueObject(lists), enqueueOwner(jobs, { group: 'apps.kruise.io', kind: 'ImageListPullJob' })],
    reconcile,
  });
  return runningController(controller, [], [lists, jobs]);
}
