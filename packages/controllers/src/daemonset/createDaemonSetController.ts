import { daemonSetStatusWhileWaiting, isEmptyLabelSelector, matchesLabelSelector, planDaemonSetPass, withFailedPodBackoffUpdates, type BackoffEntry, type DaemonSetPassStep, type EpochMs } from '@kruise-ts/core';
import { KruiseResources, OWNER_INDEX, Resources, connectObserver, controllerKeyOf, createResourceVersionExpectations, createScaleExpectations, type KubeObject } from '@kruise-ts/k8s-adapter';
import type { FeatureGates } from '../manager/featureGates.js';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject, enqueueOwner, objectKeyOf } from '../runtime/watches.js';
import { randomSuffix } from '../workload/randomSuffix.js';
import { reconcileWorkload, type WorkloadKind } from '../workload/reconcileWorkload.js';
import { nodeConcernsDaemonSet, nodePlacementChanged } from './nodeEvents.js';
import { observeDaemonSet, type DaemonSetCaches, type ObservedDaemonSet } from './observeDaemonSet.js';
import { createDaemonSetImagePreDownload } from '../imagepulljob/workloadImagePreDownload.js';

/** Options of {@link createDaemonSetController}. */
export interface DaemonSetControllerOptions extends ControllerDeps {
  readonly featureGates: FeatureGates;
  /** Only Advanced DaemonSets (and their pods...) in this namespace; omitted = all namespaces. Nodes are always all of them. */
  readonly namespace?: string | undefined;
  /** Reconciles of different sets at once (default 3). */
  readonly concurrency?: number | undefined;
  /** The apiserver serves `pods/resize` (Kubernetes >= 1.32; default true). */
  readonly resizeSubresource?: boolean | undefined;
  /** Where new pod name suffixes come from (default: random, as the apiserver's generateName). */
  readonly podNameSuffix?: (() => string) | undefined;
}

/** An Advanced DaemonSet controller and the resources it holds. */
export type DaemonSetController = RunningController;

const DAEMONSET_OWNER = { group: 'apps.kruise.io', kind: 'DaemonSet' } as const;

/**
 * Returns the Advanced DaemonSet as a {@link WorkloadKind}: its caches, and core's
 * `planDaemonSetPass` with the failed-pod back-off the controller keeps between passes
 * (OpenKruise's `failedPodsBackoff`, updated as a pass decides, before its deletions run); while
 * the expectations hold a pass back, the status counts are still written, as OpenKruise does.
 */
export function daemonSetKind(caches: DaemonSetCaches, options: Pick<DaemonSetControllerOptions, 'featureGates' | 'resizeSubresource' | 'podNameSuffix'>): WorkloadKind<ObservedDaemonSet, DaemonSetPassStep, unknown> {
  let backoff = new Map<string, BackoffEntry>();
  return {
    resource: KruiseResources.DaemonSet,
    observe: (key) => observeDaemonSet(caches, key),
    plan: (observed, now: EpochMs) => {
      const plan = planDaemonSetPass({
        ...observed,
        now,
        featureGates: options.featureGates,
        resizeSubresource: options.resizeSubresource ?? true,
        podNameSuffixes: options.podNameSuffix ?? randomSuffix,
        failedPodsBackoff: backoff,
      });
      if (plan.failedPodsBackoff.length > 0 || backoff.size > 0) backoff = withFailedPodBackoffUpdates(backoff, plan.failedPodsBackoff, now);
      return plan;
    },
    // OpenKruise updates the counts (not observedGeneration) while its expectations wait.
    statusWhileWaiting: (observed, now) => daemonSetStatusWhileWaiting({ ...observed, now }),
    describe: (step) => ({
      stage: step.stage,
      ...(step.manage === undefined ? {} : { desired: step.manage.desiredNumberScheduled, creates: step.manage.sync.create.length, deletes: step.manage.sync.delete.length }),
      ...(step.update === undefined ? {} : { update: step.update.budget.kind, taken: step.update.budget.taken }),
    }),
  };
}

/**
 * Returns the Advanced DaemonSet controller: informers on Advanced DaemonSets, pods,
 * ControllerRevisions and nodes; scale and resourceVersion expectations fed by pod events; and
 * the shared workload reconcile over core's `planDaemonSetPass`, woken by set events, by events
 * of the objects a set owns, by orphan pods a set may adopt, and by node events that may change
 * where a set runs (a node added or deleted, its labels, taints, cordon or conditions changed: the
 * sets the node concerns before or after). Call `controller.start(signal)`.
 */
export function createDaemonSetController(options: DaemonSetControllerOptions): DaemonSetController {
  const { informers, namespace, clock } = options;
  const scoped = namespace === undefined ? {} : { namespace };
  const daemonSets = informers.informerFor(KruiseResources.DaemonSet, scoped);
  const pods = informers.informerFor(Resources.Pod, scoped);
  const revisions = informers.informerFor(Resources.ControllerRevision, scoped);
  const nodes = informers.informerFor(Resources.Node);
  const scaleExpectations = createScaleExpectations({ clock, keyOf: (object) => controllerKeyOf(object) });
  const resourceVersions = createResourceVersionExpectations({ clock, cache: pods.store });
  const kind = daemonSetKind({ daemonSets: daemonSets.store, pods: pods.store, revisions: revisions.store, nodes: nodes.store }, options);
  const deps = { client: options.client, clock, events: options.events, logger: options.logger, scaleExpectations, resourceVersions, expectationMetrics: options.metrics?.forExpectations('daemonset') };
  const orphanOwners = enqueueMapped(pods, (pod) =>
    (pod.metadata.ownerReferences ?? []).some((ref) => ref.controller === true)
      ? []
      : daemonSets.store
          .list(pod.metadata.namespace)
          .filter((set) => !isEmptyLabelSelector(set.spec.selector))
          .filter((set) => matchesLabelSelector(set.spec.selector, pod.metadata.labels ?? {}))
          .map(objectKeyOf),
  );
  const hasPodOn = (uid: string, node: string): boolean => pods.store.byIndex(OWNER_INDEX, uid).some((pod) => pod.spec.nodeName === node);
  const nodeSets = enqueueMapped(nodes, (node: KubeObject) => daemonSets.store.list(namespace).filter((set) => nodeConcernsDaemonSet(set, node) || hasPodOn(set.metadata.uid ?? '', node.metadata.name ?? '')).map(objectKeyOf), {
    predicate: nodePlacementChanged,
  });
  // PreDownloadImageForDaemonSetUpdate: ImagePullJobs for the update revision's new images, before the pass (as OpenKruise's Reconcile).
  const preDownload = options.featureGates.PreDownloadImageForDaemonSetUpdate ? createDaemonSetImagePreDownload({ client: options.client, events: options.events, informers, namespace }, daemonSets.store) : undefined;
  const controller = createController({
    name: 'daemonset',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [enqueueObject(daemonSets), enqueueOwner(pods, DAEMONSET_OWNER), orphanOwners, enqueueOwner(revisions, DAEMONSET_OWNER), nodeSets],
    reconcile: async (key, context) => {
      await preDownload?.step(key, context.signal, context.log);
      return reconcileWorkload(deps, kind, key, context);
    },
  });
  const feeds = [connectObserver(scaleExpectations, pods.events$), connectObserver(resourceVersions, pods.events$)];
  return runningController(controller, feeds, [daemonSets, pods, revisions, nodes, ...(preDownload === undefined ? [] : [preDownload.informer])]);
}
