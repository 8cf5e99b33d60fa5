import {
  CRR_ACTIVE_LABEL,
  CRR_SYNC_CONTAINER_STATUSES_ANNOTATION,
  CRR_UNREADY_ACQUIRED_KEY,
  changedPodConditions,
  planContainerRecreateRequest,
  type ContainerRecreateRequest,
  type CrrEffect,
  type NotReadyKey,
  type PodConditionChange,
} from '@kruise-ts/core';
import { ConflictError, KruiseResources, NotFoundError, Resources, type KubeClient, type KubeObject, type ObjectKey } from '@kruise-ts/k8s-adapter';
import { deleteIfPresent } from '../imagepulljob/deleteIfPresent.js';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController, type ReconcileContext, type ReconcileResult } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject, objectKeyOf, parseObjectKey } from '../runtime/watches.js';

/** Options of {@link createContainerRecreateRequestController}. */
export interface ContainerRecreateRequestControllerOptions extends ControllerDeps {
  /** Only CRRs (and pods) of this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** CRRs reconciled at once (default 3, OpenKruise's `--crr-workers`). */
  readonly concurrency?: number | undefined;
}

type CrrObject = ContainerRecreateRequest & KubeObject;

/** Attempts of a read-modify-write guarded by the resourceVersion before the pass is retried. */
const ATTEMPTS = 5;

async function getOrUndefined<T extends KubeObject>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * Adds or removes the CRR's key in the pod's `KruisePodReady` condition: the conditions to change
 * are computed on the pod as read, and written with its resourceVersion; on 409 the pod is read
 * again and the change re-planned.
 */
async function changePodReadiness(client: KubeClient, key: ObjectKey, change: PodConditionChange, now: number, signal: AbortSignal): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const pod = await getOrUndefined(() => client.get(Resources.Pod, key, { signal }));
    if (pod === undefined) return;
    const conditions = changedPodConditions(pod, [change], now);
    if (conditions.length === 0) return;
    try {
      await client.patch(Resources.Pod, key, { type: 'strategic', body: { metadata: { resourceVersion: pod.metadata.resourceVersion }, status: { conditions } } }, { subresource: 'status', signal });
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** Adds or removes the unready-acquired finalizer on the CRR as read now (resourceVersion-guarded merge patch, 409 re-read). */
async function changeFinalizer(client: KubeClient, key: ObjectKey, add: boolean, signal: AbortSignal): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const crr = await getOrUndefined(() => client.get(KruiseResources.ContainerRecreateRequest, key, { signal }));
    if (crr === undefined) return;
    const current = crr.metadata.finalizers ?? [];
    const finalizers = add ? (current.includes(CRR_UNREADY_ACQUIRED_KEY) ? current : [...current, CRR_UNREADY_ACQUIRED_KEY]) : current.filter((f) => f !== CRR_UNREADY_ACQUIRED_KEY);
    if (finalizers.length === current.length && finalizers.every((f, i) => f === current[i])) return;
    try {
      await client.patch(KruiseResources.ContainerRecreateRequest, key, { type: 'merge', body: { metadata: { resourceVersion: crr.metadata.resourceVersion, finalizers } } }, { signal });
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

const readinessChange = (kind: 'add-not-ready-key' | 'remove-not-ready-key', key: NotReadyKey): PodConditionChange => ({ kind, key });

/**
 * Returns the ContainerRecreateRequest controller (`containerrecreaterequest`, run with KruiseDaemon
 * as in OpenKruise): informers on CRRs and pods, woken by a CRR's events and by any change of a pod
 * a CRR names. A pass is core's `planContainerRecreateRequest`, its effects written in order as
 * patches: pod readiness through the `KruisePodReady` condition (conditions re-planned on 409), the
 * unready-acquired finalizer (resourceVersion-guarded), labels and annotations (merge patches), the
 * completion (merge patch of the status subresource, guarded by the resourceVersion the pass read),
 * deletion after the TTL (uid precondition); then a requeue for the next timeout, deadline or TTL.
 * Call `controller.start(signal)`.
 */
export function createContainerRecreateRequestController(options: ContainerRecreateRequestControllerOptions): RunningController {
  const { informers, namespace, clock, client } = options;
  const scoped = namespace === undefined ? {} : { namespace };
  const crrs = informers.informerFor(KruiseResources.ContainerRecreateRequest, scoped);
  const pods = informers.informerFor(Resources.Pod, scoped);

  async function apply(effect: CrrEffect, crr: CrrObject, podKey: ObjectKey, now: number, signal: AbortSignal): Promise<'go-on' | 'stop'> {
    const key = { namespace: crr.metadata.namespace, name: crr.metadata.name ?? '' };
    const type = KruiseResources.ContainerRecreateRequest;
    switch (effect.kind) {
      case 'release-pod-not-ready':
        await changePodReadiness(client, podKey, readinessChange('remove-not-ready-key', effect.key), now, signal);
        return 'go-on';
      case 'hold-pod-not-ready':
        await changePodReadiness(client, podKey, readinessChange('add-not-ready-key', effect.key), now, signal);
        return 'go-on';
      case 'add-finalizer':
      case 'remove-finalizer':
        await changeFinalizer(client, key, effect.kind === 'add-finalizer', signal);
        return 'go-on';
      case 'remove-active-label':
        await client.patch(type, key, { type: 'merge', body: { metadata: { labels: { [CRR_ACTIVE_LABEL]: null } } } }, { signal });
        return 'go-on';
      case 'delete':
        await deleteIfPresent(client, type, key, crr.metadata.uid ?? '', signal);
        return 'stop';
      case 'complete': {
        const status = { phase: 'Completed', completionTime: effect.completionTime, message: effect.message, ...(effect.containerRecreateStates === undefined ? {} : { containerRecreateStates: effect.containerRecreateStates }) };
        await client.patch(type, key, { type: 'merge', body: { metadata: { resourceVersion: crr.metadata.resourceVersion }, status } }, { subresource: 'status', signal });
        return 'stop';
      }
      case 'sync-container-statuses':
        await client.patch(type, key, { type: 'merge', body: { metadata: { annotations: { [CRR_SYNC_CONTAINER_STATUSES_ANNOTATION]: effect.value } } } }, { signal });
        return 'go-on';
      case 'annotate-unready-acquired':
        await client.patch(type, key, { type: 'merge', body: { metadata: { annotations: { [CRR_UNREADY_ACQUIRED_KEY]: effect.at } } } }, { signal });
        return 'go-on';
    }
  }

  async function reconcile(key: string, context: ReconcileContext): Promise<ReconcileResult> {
    const crr = crrs.store.get(parseObjectKey(key)) as CrrObject | undefined;
    if (crr === undefined) return { kind: 'done' };
    const podKey = { namespace: crr.metadata.namespace, name: crr.spec.podName };
    const pod = pods.store.get(podKey);
    const now = clock.now();
    const plan = planContainerRecreateRequest(crr, pod, now);
    context.log.debug({ reason: plan.reason, effects: plan.effects.map((e) => e.kind) }, 'crr pass');
    for (const effect of plan.effects) {
      if ((await apply(effect, crr, podKey, now, context.signal)) === 'stop') return { kind: 'done' };
    }
    return plan.requeueAfterMs === undefined ? { kind: 'done' } : { kind: 'requeue', afterMs: plan.requeueAfterMs };
  }

  const controller = createController({
    name: 'containerrecreaterequest',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [
      enqueueObject(crrs),
      // OpenKruise's podEventHandler: a pod's change wakes the CRRs that name it.
      enqueueMapped(pods, (pod) =>
        crrs.store
          .list(pod.metadata.namespace)
          .filter((crr) => crr.spec.podName === pod.metadata.name)
          .map(objectKeyOf),
      ),
    ],
    reconcile,
  });
  return runningController(controller, [], [crrs, pods]);
}
