import { SIDECAR_TERMINATED_CONDITION, formatTime, isVirtualKubeletNode, planSidecarTermination, type ContainerRecreateRequest, type Pod, type SidecarTerminationEffect } from '@kruise-ts/core';
import { AlreadyExistsError, KruiseResources, NotFoundError, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController, type ReconcileResult } from '../runtime/createController.js';
import { enqueueObject, parseObjectKey } from '../runtime/watches.js';

/** Options of {@link createSidecarTerminatorController}. */
export interface SidecarTerminatorControllerOptions extends ControllerDeps {
  /** Only pods of this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** Pods reconciled at once (default 3, OpenKruise's `sidecarterminator-workers`). */
  readonly concurrency?: number | undefined;
}

/**
 * Returns whether a pod is one the SidecarTerminator acts on (OpenKruise's `isInterestingPod`):
 * restartPolicy Never/OnFailure, not Pending nor deleting, marked sidecars not all exited, its
 * main containers exited (OnFailure: with 0).
 *
 * @example restartPolicy Never, main exited 0, a KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT sidecar running → true
 */
export function isSidecarTerminationCandidate(pod: Pod): boolean {
  return planSidecarTermination({ pod, virtualKubelet: false, crrExists: true }).reason === 'terminate-sidecars';
}

const names = (effect: SidecarTerminationEffect): string =>
  `[${(effect.kind === 'create-crr' ? effect.containers : effect.kind === 'in-place-update-sidecars' ? Object.keys(effect.images) : []).join(' ')}]`;

/**
 * Returns the SidecarTerminator controller (`sidecarterminator`, gate SidecarTerminator, OpenKruise's
 * `pkg/controller/sidecarterminator`): an informer on pods (and nodes, for the virtual-kubelet
 * label), a pass for each pod that {@link isSidecarTerminationCandidate}. A pass reads whether the
 * CRR `sidecar-termination-<uid>` exists, runs core's `planSidecarTermination` and applies its
 * effects in order: a strategic patch of the sidecars' images (virtual kubelet), the CRR (owned by
 * the pod; the daemon stops the sidecars), a `pods/status` patch of the phase with condition
 * `SidecarTerminated`; each with OpenKruise's Normal `SidecarTerminator` event on the pod.
 */
export function createSidecarTerminatorController(options: SidecarTerminatorControllerOptions): RunningController {
  const { informers, clock, client, events, namespace } = options;
  const pods = informers.informerFor(Resources.Pod, namespace === undefined ? {} : { namespace });
  const nodes = informers.informerFor(Resources.Node);

  async function reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const { namespace: ns, name } = parseObjectKey(key);
    const pod = pods.store.get({ namespace: ns, name });
    if (pod === undefined || !isSidecarTerminationCandidate(pod)) return { kind: 'done' };
    // A node missing from the cache counts as an ordinary one (OpenKruise would retry the read).
    const node = pod.spec.nodeName === undefined ? undefined : nodes.store.get({ name: pod.spec.nodeName });
    const virtualKubelet = isVirtualKubeletNode(node);
    let crrExists = true;
    try {
      await client.get(KruiseResources.ContainerRecreateRequest, { namespace: ns, name: `sidecar-termination-${pod.metadata.uid ?? ''}` }, { signal });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      crrExists = false;
    }
    const plan = planSidecarTermination({ pod, virtualKubelet, crrExists });
    const emit = (message: string): void => {
      events.emit({ subject: { apiVersion: 'v1', kind: 'Pod', name, namespace: ns, uid: pod.metadata.uid }, type: 'Normal', reason: 'SidecarTerminator', message });
    };
    for (const effect of plan.effects) {
      switch (effect.kind) {
        case 'in-place-update-sidecars':
          await client.patch(Resources.Pod, { namespace: ns, name }, { type: 'strategic', body: { spec: { containers: Object.entries(effect.images).map(([container, image]) => ({ name: container, image })) } } }, { signal });
          emit(`Kruise SidecarTerminator is trying to terminate sidecar ${names(effect)} using in-place update`);
          break;
        case 'create-crr':
          try {
            await client.create(KruiseResources.ContainerRecreateRequest, effect.crr as ContainerRecreateRequest & KubeObject, { signal });
            emit(`Kruise SidecarTerminator is trying to terminate sidecar ${names(effect)} using crr`);
          } catch (error) {
            if (!(error instanceof AlreadyExistsError)) throw error;
          }
          break;
        case 'mark-pod-terminated':
          await client.patch(Resources.Pod, { namespace: ns, name }, { type: 'strategic', body: { status: { phase: effect.phase, conditions: [{ type: SIDECAR_TERMINATED_CONDITION, status: 'True', lastTransitionTime: formatTime(clock.now()), message: 'Terminated by Sidecar Terminator' }] } } }, { subresource: 'status', signal });
          break;
      }
    }
    return { kind: 'done' };
  }

  const controller = createController({
    name: 'sidecarterminator',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [enqueueObject(pods, { predicate: (event) => event.type !== 'deleted' && isSidecarTerminationCandidate(event.object) })],
    reconcile: (key, context) => reconcile(key, context.signal),
  });
  return runningController(controller, [], [pods, nodes]);
}
