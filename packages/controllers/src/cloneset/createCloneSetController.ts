import { planCloneSetPass, type CloneSetPassStep } from '@kruise-ts/core';
import { Resources, connectObserver, createCachedReader, createResourceVersionExpectations, createScaleExpectations } from '@kruise-ts/k8s-adapter';
import type { FeatureGates } from '../manager/featureGates.js';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController } from '../runtime/createController.js';
import { enqueueObject, enqueueOwner } from '../runtime/watches.js';
import { randomSuffix } from '../workload/randomSuffix.js';
import { reconcileWorkload, type WorkloadKind } from '../workload/reconcileWorkload.js';
import { observeCloneSet, type CloneSetCaches, type ObservedCloneSet } from './observeCloneSet.js';
import { pubDisruptionCheck } from '../workload/disruptionCheck.js';
import { createCloneSetImagePreDownload } from '../imagepulljob/workloadImagePreDownload.js';

/** Options of {@link createCloneSetController}. */
export interface CloneSetControllerOptions extends ControllerDeps {
  readonly featureGates: FeatureGates;
  /** Only CloneSets (and pods...) in this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** Reconciles of different CloneSets at once (default 3). */
  readonly concurrency?: number | undefined;
  /** The apiserver serves `pods/resize` (Kubernetes >= 1.32; default true). */
  readonly resizeSubresource?: boolean | undefined;
  /** Where new instance-id suffixes come from (default: random, as OpenKruise). */
  readonly instanceIdSuffix?: (() => string) | undefined;
}

/** A CloneSet controller and the resources it holds. */
export type CloneSetController = RunningController;

const CLONESET_OWNER = { group: 'apps.kruise.io', kind: 'CloneSet' } as const;

/** Returns the CloneSet as a {@link WorkloadKind}: its caches, and core's `planCloneSetPass`. */
export function cloneSetKind(caches: CloneSetCaches, options: Pick<CloneSetControllerOptions, 'featureGates' | 'resizeSubresource' | 'instanceIdSuffix'>): WorkloadKind<ObservedCloneSet, CloneSetPassStep, unknown> {
  return {
    resource: Resources.CloneSet,
    observe: (key) => observeCloneSet(caches, key),
    plan: (observed, now) =>
      planCloneSetPass({ ...observed, now, instanceIdSuffixes: options.instanceIdSuffix ?? randomSuffix, featureGates: options.featureGates, resizeSubresource: options.resizeSubresource ?? true }),
    describe: (step) => ({ stage: step.stage, ...(step.stage === 'scale' ? { reason: step.scale.reason } : step.stage === 'update' ? { reason: step.update.reason } : {}) }),
  };
}

/**
 * Returns the CloneSet controller: informers on CloneSets, pods, PVCs, ControllerRevisions and
 * nodes; scale and resourceVersion expectations fed by pod and PVC events; and the shared
 * workload reconcile over core's `planCloneSetPass`, woken by CloneSet events and by events of
 * the objects a CloneSet owns. Call `controller.start(signal)`.
 */
export function createCloneSetController(options: CloneSetControllerOptions): CloneSetController {
  const { informers, namespace, clock } = options;
  const scoped = namespace === undefined ? {} : { namespace };
  const cloneSets = informers.informerFor(Resources.CloneSet, scoped);
  const pods = informers.informerFor(Resources.Pod, scoped);
  const pvcs = informers.informerFor(Resources.PersistentVolumeClaim, scoped);
  const revisions = informers.informerFor(Resources.ControllerRevision, scoped);
  const nodes = informers.informerFor(Resources.Node);
  const scaleExpectations = createScaleExpectations({ clock });
  const resourceVersions = createResourceVersionExpectations({ clock, cache: pods.store });
  const kind = cloneSetKind({ cloneSets: cloneSets.store, pods: pods.store, pvcs: pvcs.store, revisions: revisions.store, nodes: nodes.store }, options);
  // PodUnavailableBudgetUpdateGate: each in-place update start takes a unit of the pod's budget first (OpenKruise's PodUnavailableBudgetValidatePod).
  // The budgets and pods are read from this controller's informers (OpenKruise's cached client): one request per check, the budget's status write.
  const budgetReader = options.featureGates.PodUnavailableBudgetUpdateGate ? createCachedReader({ client: options.client, informers, namespace }) : undefined;
  const disruptionCheck = budgetReader === undefined ? undefined : pubDisruptionCheck({ client: options.client, clock, reader: budgetReader });
  const deps = { client: options.client, clock, events: options.events, logger: options.logger, scaleExpectations, resourceVersions, expectationMetrics: options.metrics?.forExpectations('cloneset'), disruptionCheck };
  // PreDownloadImageForInPlaceUpdate: ImagePullJobs for the update revision's new images, before the pass (as OpenKruise's Reconcile).
  const preDownload = options.featureGates.PreDownloadImageForInPlaceUpdate ? createCloneSetImagePreDownload({ client: options.client, events: options.events, informers, namespace }, cloneSets.store) : undefined;
  const controller = createController({
    name: 'cloneset',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [enqueueObject(cloneSets), enqueueOwner(pods, CLONESET_OWNER), enqueueOwner(pvcs, CLONESET_OWNER), enqueueOwner(revisions, CLONESET_OWNER)],
    reconcile: async (key, context) => {
      await preDownload?.step(key, context.signal, context.log);
      return reconcileWorkload(deps, kind, key, context);
    },
  });
  const feeds = [connectObserver(scaleExpectations, pods.events$), connectObserver(scaleExpectations, pvcs.events$), connectObserver(resourceVersions, pods.events$)];
  return runningController(controller, feeds, [cloneSets, pods, pvcs, revisions, nodes, ...(preDownload === undefined ? [] : [preDownload.informer]), ...(budgetReader === undefined ? [] : [budgetReader])]);
}
