import { matchesLabelSelector, pubRelatedName, type Pod, type PodUnavailableBudget } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject, objectKeyOf } from '../runtime/watches.js';
import { reconcilePodUnavailableBudget } from './reconcilePodUnavailableBudget.js';

/** Options of {@link createPodUnavailableBudgetController}. */
export interface PodUnavailableBudgetControllerOptions extends ControllerDeps {
  /** Only budgets (and pods) in this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** Reconciles of different budgets at once (default 3, OpenKruise's `--podunavailablebudget-workers`). */
  readonly concurrency?: number | undefined;
}

// The budgets a pod event concerns: the one it is annotated with, those whose selector matches
// it, and every targetRef budget of its namespace (a new pod of the workload is not annotated yet).
function budgetsOfPod(budgets: readonly (PodUnavailableBudget & KubeObject)[], pod: Pod): string[] {
  const related = pubRelatedName(pod);
  return budgets
    .filter((pub) => pub.metadata.name === related || pub.spec.targetRef !== undefined || (pub.spec.selector !== undefined && matchesLabelSelector(pub.spec.selector, pod.metadata.labels)))
    .map((pub) => objectKeyOf(pub));
}

/**
 * Returns the PodUnavailableBudget controller: informers on budgets and pods; each budget is
 * reconciled (status, related-pub annotations, expiry of recorded disruptions) when it changes,
 * when one of its pods changes, and when a recorded entry expires. Call `controller.start(signal)`.
 */
export function createPodUnavailableBudgetController(options: PodUnavailableBudgetControllerOptions): RunningController {
  const scoped = options.namespace === undefined ? {} : { namespace: options.namespace };
  const budgets = options.informers.informerFor(KruiseResources.PodUnavailableBudget, scoped);
  const pods = options.informers.informerFor(Resources.Pod, scoped);
  const deps = { client: options.client, clock: options.clock, events: options.events, budgets: budgets.store, pods: pods.store };
  const controller = createController({
    name: 'podunavailablebudget',
    concurrency: options.concurrency ?? 3,
    clock: options.clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [enqueueObject(budgets), enqueueMapped(pods, (pod) => budgetsOfPod(budgets.store.list(pod.metadata.namespace), pod))],
    reconcile: (key, context) => reconcilePodUnavailableBudget(deps, key, context),
  });
  return runningController(controller, [], [budgets, pods]);
}
