import { SIDECARSET_NAME_LABEL, planSidecarSetPass, podInjectedSidecarSets, type Pod, type SidecarSetPassStep } from '@kruise-ts/core';
import { KruiseResources, Resources, connectObserver, createResourceVersionExpectations, createScaleExpectations, type KubeObject } from '@kruise-ts/k8s-adapter';
import type { Subscription } from 'rxjs';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject } from '../runtime/watches.js';
import { reconcileWorkload, type WorkloadKind } from '../workload/reconcileWorkload.js';
import { observeSidecarSet, type ObservedSidecarSet, type SidecarSetCaches } from './observeSidecarSet.js';

/** Options of {@link createSidecarSetController}. */
export interface SidecarSetControllerOptions extends ControllerDeps {
  /** Namespace of the SidecarSets' ControllerRevisions: the manager's (default `kruise-system`). */
  readonly revisionNamespace?: string | undefined;
  /** Only pods of this namespace are counted and upgraded; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** Reconciles of different SidecarSets at once (default 3). */
  readonly concurrency?: number | undefined;
}

/** A SidecarSet controller and the resources it holds. */
export type SidecarSetController = RunningController;

/** Returns the SidecarSet as a {@link WorkloadKind}: its caches, and core's `planSidecarSetPass`. */
export function sidecarSetKind(caches: SidecarSetCaches, revisionNamespace: string): WorkloadKind<ObservedSidecarSet, SidecarSetPassStep, unknown> {
  return {
    resource: KruiseResources.SidecarSet,
    observe: (key) => observeSidecarSet(caches, key),
    plan: (observed, now) => planSidecarSetPass({ ...observed, revisionNamespace, now }),
    describe: (step) => ({
      stage: step.stage,
      decision: step.update.decision.kind === 'idle' ? step.update.decision.reason : 'upgrade',
      upgraded: step.update.decision.kind === 'upgrade' ? step.update.decision.upgrades.length : 0,
    }),
  };
}

/**
 * Returns the SidecarSet controller (status and in-place sidecar upgrades; injection is the pod
 * webhook's): informers on SidecarSets, pods, namespaces and the SidecarSet ControllerRevisions of
 * the manager's namespace; pod resourceVersion expectations fed by pod events; keys (SidecarSet
 * names) from SidecarSet events, from pods (the SidecarSets named in their injected list), from
 * revisions (their `kruise.io/sidecarset-name` label) and from namespaces (SidecarSets with a
 * namespaceSelector). Call `controller.start(signal)`.
 */
export function createSidecarSetController(options: SidecarSetControllerOptions): SidecarSetController {
  const { informers, clock } = options;
  const revisionNamespace = options.revisionNamespace ?? 'kruise-system';
  const sidecarSets = informers.informerFor(KruiseResources.SidecarSet);
  const pods = informers.informerFor(Resources.Pod, options.namespace === undefined ? {} : { namespace: options.namespace });
  const namespaces = informers.informerFor(Resources.Namespace);
  const revisions = informers.informerFor(Resources.ControllerRevision, { namespace: revisionNamespace, labelSelector: SIDECARSET_NAME_LABEL });
  const resourceVersions = createResourceVersionExpectations({ clock, cache: pods.store });
  const caches = { sidecarSets: sidecarSets.store, pods: pods.store, namespaces: namespaces.store, revisions: revisions.store };
  const deps = { client: options.client, clock, events: options.events, logger: options.logger, resourceVersions, scaleExpectations: createScaleExpectations({ clock }), expectationMetrics: options.metrics?.forExpectations('sidecarset') };
  const kind = sidecarSetKind(caches, revisionNamespace);
  const feeds: Subscription[] = [connectObserver(resourceVersions, pods.events$)];
  const withNamespaceSelector = (): string[] => sidecarSets.store.list().filter((ss) => ss.spec.namespaceSelector !== undefined).map((ss) => ss.metadata.name ?? '');
  const controller = createController({
    name: 'sidecarset',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [
      enqueueObject(sidecarSets),
      enqueueMapped(pods, (pod: Pod & KubeObject) => podInjectedSidecarSets(pod)),
      enqueueMapped(revisions, (revision) => [revision.metadata.labels?.[SIDECARSET_NAME_LABEL] ?? ''].filter((name) => name !== '')),
      enqueueMapped(namespaces, withNamespaceSelector),
    ],
    reconcile: (key, context) => reconcileWorkload(deps, kind, key, context),
  });
  return runningController(controller, feeds, [sidecarSets, pods, namespaces, revisions]);
}
