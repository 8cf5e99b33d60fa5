import { NodeImageSchema, planNodeImage, type ImagePullJob, type Node, type NodeImage, type NodeImagePlan } from '@kruise-ts/core';
import { AlreadyExistsError, KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController, type ReconcileContext, type ReconcileResult } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject } from '../runtime/watches.js';
import { writeWorkloadStatus } from '../workload/executePassPlan.js';
import { workloadTarget } from '../workload/workloadTarget.js';
import { deleteIfPresent } from './deleteIfPresent.js';
import { nodeImageSpecPatch } from './patchNodeImageSpec.js';

/** Options of {@link createNodeImageController}. */
export interface NodeImageControllerOptions extends ControllerDeps {
  /** NodeImages reconciled at once (default 3, OpenKruise's `--nodeimage-workers`). */
  readonly concurrency?: number | undefined;
  /** Delay after a node turns Ready before its NodeImage is created (default 30 s, `--nodeimage-creation-delay`). */
  readonly creationDelayMs?: number | undefined;
}

type NodeImageObject = NodeImage & KubeObject;

/** The NodeImages that hold a tag entry owned by `job` (by uid). */
function nodeImagesOwnedBy(nodeImages: readonly NodeImage[], job: ImagePullJob): string[] {
  const uid = job.metadata?.uid;
  return nodeImages
    .filter((ni) => Object.values(ni.spec?.images ?? {}).some((image) => image.tags.some((t) => (t.ownerReferences ?? []).some((ref) => ref.uid === uid))))
    .map((ni) => ni.metadata?.name ?? '');
}

/**
 * Returns the NodeImage controller (`nodeimage`, gated by KruiseDaemon as in OpenKruise):
 * informers on nodes, NodeImages and ImagePullJobs, keyed by node name, woken by a node's or
 * NodeImage's events and by the deletion of an ImagePullJob that owns tags. A pass is core's
 * `planNodeImage`: create the NodeImage of a Ready node (after the creation delay), delete the one
 * of a gone node, write labels and cleaned `spec.images` as a merge patch guarded by the
 * resourceVersion (a 409 goes back to the queue), or write the status (merge patch of the status
 * subresource) and record `PullImageFailed` Warnings on the owners of tags it failed and on the
 * NodeImage. Call `controller.start(signal)`.
 */
export function createNodeImageController(options: NodeImageControllerOptions): RunningController {
  const { informers, clock, client, events } = options;
  const nodes = informers.informerFor(Resources.Node);
  const nodeImages = informers.informerFor(KruiseResources.NodeImage);
  const jobs = informers.informerFor(KruiseResources.ImagePullJob);

  function recordFailures(plan: Extract<NodeImagePlan, { kind: 'status' }>, object: NodeImageObject): void {
    const subject = workloadTarget(KruiseResources.NodeImage, object.metadata.name ?? '', object).subject;
    for (const failed of plan.failedTags) {
      const message = `Failed to pull image ${failed.image} on node ${object.metadata.name ?? ''} for ${failed.message}`;
      for (const owner of failed.owners) events.emit({ subject: { apiVersion: owner.apiVersion, kind: owner.kind ?? '', name: owner.name ?? '', namespace: owner.namespace, uid: owner.uid }, type: 'Warning', reason: 'PullImageFailed', message });
      events.emit({ subject, type: 'Warning', reason: 'PullImageFailed', message });
    }
  }

  async function reconcile(name: string, context: ReconcileContext): Promise<ReconcileResult> {
    // The adapter's Node is core's Node plus what core does not read.
    const node = nodes.store.get({ name }) as Node | undefined;
    const object = nodeImages.store.get({ name }) as NodeImageObject | undefined;
    const parsed = object === undefined ? undefined : NodeImageSchema.safeParse(object);
    if (parsed !== undefined && !parsed.success) {
      events.emit({ subject: workloadTarget(KruiseResources.NodeImage, name, object as NodeImageObject).subject, type: 'Warning', reason: 'InvalidSpec', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      return { kind: 'done' };
    }
    const plan = planNodeImage({
      name,
      node,
      nodeImage: parsed?.data,
      jobUid: (namespace, jobName) => jobs.store.get({ namespace, name: jobName })?.metadata.uid ?? null,
      now: clock.now(),
      ...(options.creationDelayMs === undefined ? {} : { creationDelayMs: options.creationDelayMs }),
    });
    const { signal } = context;
    switch (plan.kind) {
      case 'nothing':
        return { kind: 'done' };
      case 'wait':
        return { kind: 'requeue', afterMs: plan.afterMs };
      case 'create':
        try {
          await client.create(KruiseResources.NodeImage, { apiVersion: 'apps.kruise.io/v1beta1', kind: 'NodeImage', metadata: { name }, spec: {} }, { signal });
        } catch (error) {
          if (!(error instanceof AlreadyExistsError)) throw error;
        }
        return { kind: 'done' };
      case 'delete':
        await deleteIfPresent(client, KruiseResources.NodeImage, { name }, object?.metadata.uid ?? '', signal);
        return { kind: 'done' };
      case 'update-spec':
        context.log.debug({ messages: plan.messages }, 'updating NodeImage spec');
        await client.patch(KruiseResources.NodeImage, { name }, { type: 'merge', body: nodeImageSpecPatch(object as NodeImage, plan.labels, plan.images) }, { signal });
        return { kind: 'done' };
      case 'status': {
        const current = object as NodeImageObject;
        if (plan.status !== undefined) await writeWorkloadStatus({ client }, workloadTarget(KruiseResources.NodeImage, name, current), current.status, plan.status, signal);
        recordFailures(plan, current);
        return plan.requeueAfterMs === undefined ? { kind: 'done' } : { kind: 'requeue', afterMs: plan.requeueAfterMs };
      }
    }
  }

  const controller = createController({
    name: 'nodeimage',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [
      enqueueObject(nodeImages),
      enqueueMapped(nodes, (node) => [node.metadata.name ?? '']),
      enqueueMapped(jobs, (job) => nodeImagesOwnedBy(nodeImages.store.list(), job), { predicate: (event) => event.type === 'deleted' }),
    ],
    reconcile,
  });
  return runningController(controller, [], [nodes, nodeImages, jobs]);
}
