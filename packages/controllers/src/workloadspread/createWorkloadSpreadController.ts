import { apiGroupOf, DEFAULT_VERSIONED_STATUS_KINDS, readMatchedWorkloadSpread, type WorkloadSpread } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject, objectKeyOf } from '../runtime/watches.js';
import { reconcileWorkloadSpread } from './reconcileWorkloadSpread.js';
import { WATCHED_TARGET_TYPES } from './workloadSpreadTarget.js';

/** Options of {@link createWorkloadSpreadController}. */
export interface WorkloadSpreadControllerOptions extends ControllerDeps {
  /** Only WorkloadSpreads (and pods) in this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** Reconciles of different WorkloadSpreads at once (default 3, OpenKruise's `--workloadspread-workers`). */
  readonly concurrency?: number | undefined;
  /**
   * The workload kinds (lower case) whose pods are counted per version in
   * `versionedSubsetStatuses` (OpenKruise's `--ws-enabled-versioned-status`; default
   * `deployment`, `replicaset`); give the pod webhooks the same.
   */
  readonly versionedKinds?: ReadonlySet<string> | undefined;
}

/**
 * Returns the WorkloadSpread controller: informers on WorkloadSpreads, pods and the CloneSets and
 * Deployments they target; a WorkloadSpread is reconciled (status, pod deletion cost, Adaptive
 * rescheduling) when it changes, when a pod it recorded (or any pod of its namespace: a pod not yet
 * recorded may be its workload's) changes, when its workload changes, and when a recorded entry
 * expires. Call `controller.start(signal)`.
 */
export function createWorkloadSpreadController(options: WorkloadSpreadControllerOptions): RunningController {
  const scoped = options.namespace === undefined ? {} : { namespace: options.namespace };
  const spreads = options.informers.informerFor(KruiseResources.WorkloadSpread, scoped);
  const pods = options.informers.informerFor(Resources.Pod, scoped);
  const targets = WATCHED_TARGET_TYPES.map((type) => ({ type, informer: options.informers.informerFor(type, scoped) }));
  const inNamespace = (namespace: string | undefined): (WorkloadSpread & KubeObject)[] => spreads.store.list(namespace);
  const deps = { client: options.client, clock: options.clock, events: options.events, spreads: spreads.store, pods: pods.store, versionedKinds: options.versionedKinds ?? DEFAULT_VERSIONED_STATUS_KINDS };
  const controller = createController({
    name: 'workloadspread',
    concurrency: options.concurrency ?? 3,
    clock: options.clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [
      enqueueObject(spreads),
      enqueueMapped(pods, (pod) => {
        const matched = readMatchedWorkloadSpread(pod);
        const all = inNamespace(pod.metadata.namespace);
        return (matched === undefined ? all : all.filter((ws) => ws.metadata.name === matched.name)).map((ws) => objectKeyOf(ws));
      }),
      ...targets.map(({ type, informer }) =>
        enqueueMapped(informer, (workload: KubeObject) =>
          inNamespace(workload.metadata.namespace)
            .filter((ws) => {
              const ref = ws.spec.targetRef;
              return ref !== undefined && ref.name === workload.metadata.name && ref.kind === type.kind && apiGroupOf(ref.apiVersion) === type.group;
            })
            .map((ws) => objectKeyOf(ws)),
        ),
      ),
    ],
    reconcile: (key, context) => reconcileWorkloadSpread(deps, key, context),
  });
  return runningController(controller, [], [spreads, pods, ...targets.map((t) => t.informer)]);
}
