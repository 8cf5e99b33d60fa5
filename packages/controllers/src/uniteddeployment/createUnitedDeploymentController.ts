import { matchesLabelSelector, planUnitedDeploymentPass, SUBSET_NAME_LABEL, type UnitedDeploymentPassStep } from '@kruise-ts/core';
import { KruiseResources, Resources, createResourceVersionExpectations, createScaleExpectations, controllerKeyOf, type KubeObject } from '@kruise-ts/k8s-adapter';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject, enqueueOwner, objectKeyOf } from '../runtime/watches.js';
import { reconcileWorkload, type WorkloadKind } from '../workload/reconcileWorkload.js';
import { observeUnitedDeployment, type ObservedUnitedDeployment, type UnitedDeploymentCaches } from './observeUnitedDeployment.js';

/** Options of {@link createUnitedDeploymentController}. */
export interface UnitedDeploymentControllerOptions extends ControllerDeps {
  /** Only UnitedDeployments (and their children and pods) in this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** Reconciles of different UnitedDeployments at once (default 3, OpenKruise's `uniteddeployment-workers`). */
  readonly concurrency?: number | undefined;
}

/** A UnitedDeployment controller and the resources it holds. */
export type UnitedDeploymentController = RunningController;

const UNITEDDEPLOYMENT_OWNER = { group: 'apps.kruise.io', kind: 'UnitedDeployment' } as const;

/** Returns the UnitedDeployment as a {@link WorkloadKind}: its caches, and core's `planUnitedDeploymentPass`. */
export function unitedDeploymentKind(caches: UnitedDeploymentCaches): WorkloadKind<ObservedUnitedDeployment, UnitedDeploymentPassStep, unknown> {
  return {
    resource: KruiseResources.UnitedDeployment,
    observe: (key) => observeUnitedDeployment(caches, key),
    plan: (observed, now) => planUnitedDeploymentPass({ ...observed, now }),
    describe: (step) => ({
      step: step.kind,
      ...(step.kind === 'sync' ? { replicas: step.replicas, create: step.create, delete: step.delete, update: step.update.map((u) => u.subset) } : {}),
    }),
  };
}

/**
 * Returns the UnitedDeployment controller: informers on UnitedDeployments, on their child kinds
 * (CloneSets, Advanced StatefulSets, apps/v1 StatefulSets and Deployments), pods and
 * ControllerRevisions; the shared workload reconcile over core's `planUnitedDeploymentPass`,
 * woken by UnitedDeployment events, by events of the children it controls and of its revisions,
 * and by pods of its subsets (their readiness and scheduling feed the status and the Adaptive
 * strategy). Call `controller.start(signal)`.
 */
export function createUnitedDeploymentController(options: UnitedDeploymentControllerOptions): UnitedDeploymentController {
  const { informers, namespace, clock } = options;
  const scoped = namespace === undefined ? {} : { namespace };
  const unitedDeployments = informers.informerFor(KruiseResources.UnitedDeployment, scoped);
  const childInformers = [KruiseResources.CloneSet, KruiseResources.StatefulSet, Resources.AppsStatefulSet, Resources.Deployment].map((type) => informers.informerFor(type, scoped));
  const pods = informers.informerFor(Resources.Pod, scoped);
  const revisions = informers.informerFor(Resources.ControllerRevision, scoped);
  const caches: UnitedDeploymentCaches = { unitedDeployments: unitedDeployments.store, children: childInformers.map((i) => i.store), pods: pods.store, revisions: revisions.store };
  const scaleExpectations = createScaleExpectations({ clock, keyOf: (object: KubeObject) => controllerKeyOf(object) });
  const resourceVersions = createResourceVersionExpectations({ clock, cache: pods.store });
  const deps = { client: options.client, clock, events: options.events, logger: options.logger, scaleExpectations, resourceVersions, expectationMetrics: options.metrics?.forExpectations('uniteddeployment') };
  // A subset's pod wakes the UnitedDeployments whose selector matches it.
  const podOwners = enqueueMapped(pods, (pod) =>
    pod.metadata.labels?.[SUBSET_NAME_LABEL] === undefined ? [] : unitedDeployments.store.list(pod.metadata.namespace).filter((ud) => matchesLabelSelector(ud.spec.selector, pod.metadata.labels ?? {})).map(objectKeyOf),
  );
  const controller = createController({
    name: 'uniteddeployment',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [enqueueObject(unitedDeployments), ...childInformers.map((i) => enqueueOwner(i, UNITEDDEPLOYMENT_OWNER)), podOwners, enqueueOwner(revisions, UNITEDDEPLOYMENT_OWNER)],
    reconcile: (key, context) => reconcileWorkload(deps, unitedDeploymentKind(caches), key, context),
  });
  return runningController(controller, [], [unitedDeployments, ...childInformers, pods, revisions]);
}
