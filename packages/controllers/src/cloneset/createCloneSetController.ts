import { matchesLabelSelector, type CloneSet, type Pod } from '@kruise-ts/core';
import { Resources, connectObserver, createResourceVersionExpectations, createScaleExpectations, type Informer, type KubeObject } from '@kruise-ts/k8s-adapter';
import type { Subscription } from 'rxjs';
import type { FeatureGates } from '../manager/featureGates.js';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject, enqueueOwner, objectKeyOf } from '../runtime/watches.js';
import { randomSuffixes } from './randomSuffixes.js';
import { reconcileCloneSet } from './reconcileCloneSet.js';

/** Options of {@link createCloneSetController}. */
export interface CloneSetControllerOptions extends ControllerDeps {
  readonly featureGates: FeatureGates;
  /** Only CloneSets (and pods...) in this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** Reconciles of different CloneSets at once (default 3). */
  readonly concurrency?: number | undefined;
  /** The apiserver serves `pods/resize` (Kubernetes >= 1.32; default true). */
  readonly resizeSubresource?: boolean | undefined;
}

/** A CloneSet controller and the resources it holds. */
export type CloneSetController = RunningController;

const CLONESET_OWNER = { group: 'apps.kruise.io', kind: 'CloneSet' } as const;

/**
 * Returns the CloneSet controller: informers on CloneSets, pods, PVCs, ControllerRevisions and
 * nodes; scale and resourceVersion expectations fed by pod and PVC events; and a controller loop
 * whose keys come from CloneSet events, from events of the objects a CloneSet owns, and from
 * orphan pods its selector matches (adoption). Call `controller.start(signal)`.
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
  const feeds: Subscription[] = [
    connectObserver(scaleExpectations, pods.events$),
    connectObserver(scaleExpectations, pvcs.events$),
    connectObserver(resourceVersions, pods.events$),
  ];
  const controller = createController({
    name: 'cloneset',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [
      enqueueObject(cloneSets),
      enqueueOwner(pods, CLONESET_OWNER),
      enqueueOwner(pvcs, CLONESET_OWNER),
      enqueueOwner(revisions, CLONESET_OWNER),
      enqueueMapped(pods, (pod) => adoptersOf(pod, cloneSets)),
    ],
    reconcile: (key, context) =>
      reconcileCloneSet(
        {
          client: options.client,
          clock,
          caches: { cloneSets: cloneSets.store, pods: pods.store, pvcs: pvcs.store, revisions: revisions.store, nodes: nodes.store },
          scaleExpectations,
          resourceVersions,
          events: options.events,
          featureGates: options.featureGates,
          resizeSubresource: options.resizeSubresource ?? true,
          randomSuffixes,
        },
        key,
        context,
      ),
  });
  return runningController(controller, feeds, [cloneSets, pods, pvcs, revisions, nodes]);
}

/** An orphan pod wakes the CloneSets of its namespace whose selector matches it. */
function adoptersOf(pod: Pod & KubeObject, cloneSets: Informer<CloneSet & KubeObject>): string[] {
  if (pod.metadata.ownerReferences?.some((o) => o.controller === true) === true) return [];
  return cloneSets.store
    .list(pod.metadata.namespace)
    .filter((cs) => matchesLabelSelector(cs.spec.selector, pod.metadata.labels ?? {}))
    .map(objectKeyOf);
}
