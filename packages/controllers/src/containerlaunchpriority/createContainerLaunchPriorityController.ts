import { CONTAINER_LAUNCH_PRIORITY_COMPLETED_ANNOTATION, containerLaunchPriority, getPodCondition, type Pod } from '@kruise-ts/core';
import { Resources } from '@kruise-ts/k8s-adapter';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController } from '../runtime/createController.js';
import { enqueueObject } from '../runtime/watches.js';
import { reconcileContainerLaunchPriority } from './reconcileContainerLaunchPriority.js';

/** Options of {@link createContainerLaunchPriorityController}. */
export interface ContainerLaunchPriorityControllerOptions extends ControllerDeps {
  /** Only pods of this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** Pods reconciled at once (default 4, OpenKruise's `concurrentReconciles`). */
  readonly concurrency?: number | undefined;
}

/**
 * Returns whether a pod event is worth a pass (OpenKruise's `shouldEnqueue`, less its barrier
 * read): a container carries `KRUISE_CONTAINER_BARRIER`, the pod is not annotated completed, and
 * its `ContainersReady` condition is not True. Deletions never are.
 *
 * @example a pod whose containers wait on web-0-barrier, ContainersReady False → true; the same with ContainersReady True → false
 */
export function needsLaunchPriorityPass(pod: Pod): boolean {
  if (pod.metadata.annotations?.[CONTAINER_LAUNCH_PRIORITY_COMPLETED_ANNOTATION] === 'true') return false;
  if (getPodCondition(pod, 'ContainersReady')?.status === 'True') return false;
  return pod.spec.containers.some((c) => containerLaunchPriority(c) !== undefined);
}

/**
 * Returns the container-launch-priority controller (`containerlaunchpriority`, OpenKruise's
 * `pkg/controller/containerlaunchpriority`): an informer on pods, a pass for each pod event that
 * {@link needsLaunchPriorityPass}, each pass creating the pod's `<pod>-barrier` ConfigMap and then
 * releasing the next priority into it as the higher-priority containers become ready.
 */
export function createContainerLaunchPriorityController(options: ContainerLaunchPriorityControllerOptions): RunningController {
  const { informers, clock, namespace } = options;
  const pods = informers.informerFor(Resources.Pod, namespace === undefined ? {} : { namespace });
  const deps = { client: options.client, pods: pods.store };
  const controller = createController({
    name: 'containerlaunchpriority',
    concurrency: options.concurrency ?? 4,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [enqueueObject(pods, { predicate: (event) => event.type !== 'deleted' && needsLaunchPriorityPass(event.object) })],
    reconcile: async (key, context) => {
      const { step: _step, ...result } = await reconcileContainerLaunchPriority(deps, key, context);
      return result;
    },
  });
  return runningController(controller, [], [pods]);
}
