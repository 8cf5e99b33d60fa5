import { isStatefulSetMember, matchesLabelSelector, planStatefulSetPass, type PersistentVolumeClaim, type StatefulSetPassStep } from '@kruise-ts/core';
import { KruiseResources, Resources, connectObserver, controllerKeyOf, createCachedReader, createResourceVersionExpectations, createScaleExpectations, type KubeObject } from '@kruise-ts/k8s-adapter';
import type { FeatureGates } from '../manager/featureGates.js';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject, enqueueOwner, objectKeyOf } from '../runtime/watches.js';
import { reconcileWorkload, type WorkloadKind } from '../workload/reconcileWorkload.js';
import { isClaimOfSet, observeStatefulSet, type ObservedStatefulSet, type StatefulSetCaches } from './observeStatefulSet.js';
import { pubDisruptionCheck } from '../workload/disruptionCheck.js';

/** Options of {@link createStatefulSetController}. */
export interface StatefulSetControllerOptions extends ControllerDeps {
  readonly featureGates: FeatureGates;
  /** Only Advanced StatefulSets (and pods...) in this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** Reconciles of different sets at once (default 3). */
  readonly concurrency?: number | undefined;
  /** The apiserver serves `pods/resize` (Kubernetes >= 1.32; default true). */
  readonly resizeSubresource?: boolean | undefined;
}

/** An Advanced StatefulSet controller and the resources it holds. */
export type StatefulSetController = RunningController;

const STATEFULSET_OWNER = { group: 'apps.kruise.io', kind: 'StatefulSet' } as const;

/** Returns the Advanced StatefulSet as a {@link WorkloadKind}: its caches, and core's `planStatefulSetPass`. */
export function statefulSetKind(caches: StatefulSetCaches, options: Pick<StatefulSetControllerOptions, 'featureGates' | 'resizeSubresource'>): WorkloadKind<ObservedStatefulSet, StatefulSetPassStep, unknown> {
  return {
    resource: KruiseResources.StatefulSet,
    observe: (key) => observeStatefulSet(caches, key),
    plan: (observed, now) => planStatefulSetPass({ ...observed, now, featureGates: options.featureGates, resizeSubresource: options.resizeSubresource ?? true }),
    describe: (step) => ({
      stage: step.stage,
      ...(step.replicas === undefined ? {} : { replicas: step.replicas.end.kind === 'complete' ? 'complete' : `${step.replicas.end.kind} ${step.replicas.end.reason}` }),
      ...(step.update === undefined ? {} : { update: step.update.end.kind }),
    }),
  };
}

/**
 * Returns the Advanced StatefulSet controller: informers on Advanced StatefulSets, pods, PVCs
 * and ControllerRevisions; scale and resourceVersion expectations fed by pod and PVC events; and
 * the shared workload reconcile over core's `planStatefulSetPass`, woken by set events, by events
 * of the objects a set owns, by orphan pods a set may adopt, and by its claim templates' PVCs.
 * Call `controller.start(signal)`.
 */
export function createStatefulSetController(options: StatefulSetControllerOptions): StatefulSetController {
  const { informers, namespace, clock } = options;
  const scoped = namespace === undefined ? {} : { namespace };
  const statefulSets = informers.informerFor(KruiseResources.StatefulSet, scoped);
  const pods = informers.informerFor(Resources.Pod, scoped);
  const pvcs = informers.informerFor(Resources.PersistentVolumeClaim, scoped);
  const revisions = informers.informerFor(Resources.ControllerRevision, scoped);
  // StorageClasses matter only when PVCs are expanded during updates (the gate, off by default).
  const storageClasses = options.featureGates.StatefulSetAutoResizePVCGate ? informers.informerFor(Resources.StorageClass) : undefined;
  // A set's PVCs have no controller (at most plain owner references): they count for the set of their claim template.
  const claimSetKey = (object: KubeObject): string | undefined => {
    const set = statefulSets.store.list(object.metadata.namespace).find((s) => isClaimOfSet(s, object as PersistentVolumeClaim));
    return set === undefined ? undefined : objectKeyOf(set);
  };
  const scaleExpectations = createScaleExpectations({ clock, keyOf: (object) => controllerKeyOf(object) ?? claimSetKey(object) });
  const resourceVersions = createResourceVersionExpectations({ clock, cache: pods.store });
  const kind = statefulSetKind({ statefulSets: statefulSets.store, pods: pods.store, pvcs: pvcs.store, revisions: revisions.store, storageClasses: storageClasses?.store }, options);
  // PodUnavailableBudgetUpdateGate: each in-place update start takes a unit of the pod's budget first (OpenKruise's PodUnavailableBudgetValidatePod).
  // The budgets and pods are read from this controller's informers (OpenKruise's cached client): one request per check, the budget's status write.
  const budgetReader = options.featureGates.PodUnavailableBudgetUpdateGate ? createCachedReader({ client: options.client, informers, namespace }) : undefined;
  const disruptionCheck = budgetReader === undefined ? undefined : pubDisruptionCheck({ client: options.client, clock, reader: budgetReader });
  const deps = { client: options.client, clock, events: options.events, logger: options.logger, scaleExpectations, resourceVersions, expectationMetrics: options.metrics?.forExpectations('statefulset'), disruptionCheck };
  // An orphan pod wakes the sets that would adopt it; a PVC (owned by a pod or by no one) the set of its claim template.
  const setsInNamespace = (ns: string | undefined) => statefulSets.store.list(ns);
  const orphanOwners = enqueueMapped(pods, (pod) =>
    (pod.metadata.ownerReferences ?? []).some((ref) => ref.controller === true)
      ? []
      : setsInNamespace(pod.metadata.namespace)
          .filter((set) => isStatefulSetMember(set.metadata.name ?? '', pod) && matchesLabelSelector(set.spec.selector, pod.metadata.labels ?? {}))
          .map(objectKeyOf),
  );
  const claimOwners = enqueueMapped(pvcs, (pvc) => [claimSetKey(pvc)].filter((k): k is string => k !== undefined));
  const controller = createController({
    name: 'statefulset',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [enqueueObject(statefulSets), enqueueOwner(pods, STATEFULSET_OWNER), orphanOwners, claimOwners, enqueueOwner(revisions, STATEFULSET_OWNER)],
    reconcile: (key, context) => reconcileWorkload(deps, kind, key, context),
  });
  const feeds = [connectObserver(scaleExpectations, pods.events$), connectObserver(scaleExpectations, pvcs.events$), connectObserver(resourceVersions, pods.events$)];
  return runningController(controller, feeds, [statefulSets, pods, pvcs, revisions, ...(storageClasses === undefined ? [] : [storageClasses]), ...(budgetReader === undefined ? [] : [budgetReader])]);
}
