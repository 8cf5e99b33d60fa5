import { CONTAINER_LAUNCH_PRIORITY_COMPLETED_ANNOTATION, planLaunchPriorityBarrier, type LaunchPriorityBarrierStep, type Pod } from '@kruise-ts/core';
import { AlreadyExistsError, NotFoundError, Resources, type KubeClient, type KubeObject, type ObjectStore } from '@kruise-ts/k8s-adapter';
import type { ReconcileContext, ReconcileResult } from '../runtime/createController.js';
import { parseObjectKey } from '../runtime/watches.js';

/** What {@link reconcileContainerLaunchPriority} uses. */
export interface ContainerLaunchPriorityReconcileDeps {
  readonly client: KubeClient;
  /** The pod informer's store. */
  readonly pods: ObjectStore<Pod & KubeObject>;
}

/** Back-off before looking again at a pod whose barrier was just created (OpenKruise requeues at once; the cache needs a moment). */
const LOOK_AGAIN_MS = 100;

/**
 * Reconciles one pod's launch-priority barrier (OpenKruise's `ReconcileContainerLaunchPriority`):
 * reads the pod from the cache and its ConfigMap `<pod>-barrier` from the API (OpenKruise reads it
 * from a ConfigMap cache; kruise-ts does not hold every ConfigMap of the cluster for the few pods
 * that use launch priority), then carries out core's `planLaunchPriorityBarrier`: create the
 * barrier (owned by the pod), merge-patch one key `p_<N>: "true"` into it, and merge-patch the
 * pod's `apps.kruise.io/container-launch-priority-completed: "true"` annotation. Returns the step
 * taken (for logs and tests) with the result.
 */
export async function reconcileContainerLaunchPriority(deps: ContainerLaunchPriorityReconcileDeps, key: string, context: Pick<ReconcileContext, 'signal'>): Promise<ReconcileResult & { readonly step?: LaunchPriorityBarrierStep }> {
  const { namespace, name } = parseObjectKey(key);
  const pod = deps.pods.get({ namespace, name });
  if (pod === undefined || pod.metadata.deletionTimestamp !== undefined) return { kind: 'done' };
  const { signal } = context;
  const barrierName = `${name}-barrier`;
  let barrier: { readonly data?: Record<string, string> | undefined } | undefined;
  try {
    barrier = await deps.client.get(Resources.ConfigMap, { namespace, name: barrierName }, { signal });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  const step = planLaunchPriorityBarrier(pod, barrier);
  if (step.kind === 'create-barrier') {
    try {
      await deps.client.create(Resources.ConfigMap, step.configMap as KubeObject, { signal });
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
    return { kind: 'requeue', afterMs: LOOK_AGAIN_MS, step };
  }
  if (step.kind === 'release') await deps.client.patch(Resources.ConfigMap, { namespace, name: barrierName }, { type: 'merge', body: { data: { [step.key]: 'true' } } }, { signal });
  if (step.kind === 'complete' || (step.kind === 'release' && step.complete)) {
    await deps.client.patch(Resources.Pod, { namespace, name }, { type: 'merge', body: { metadata: { annotations: { [CONTAINER_LAUNCH_PRIORITY_COMPLETED_ANNOTATION]: 'true' } } } }, { signal });
  }
  return { kind: 'done', step };
}
