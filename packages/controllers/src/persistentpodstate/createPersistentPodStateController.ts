import { AUTO_GENERATE_PERSISTENT_POD_STATE_ANNOTATION, isPodReady, parsePersistentPodState, sameTarget, type PersistentPodState, type Pod } from '@kruise-ts/core';
import { KruiseResources, Resources, type InformerEvent, type KubeObject, type ObjectStore } from '@kruise-ts/k8s-adapter';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject, objectKeyOf } from '../runtime/watches.js';
import { generateKey, reconcilePersistentPodState } from './reconcilePersistentPodState.js';

/** Options of {@link createPersistentPodStateController}. */
export interface PersistentPodStateControllerOptions extends ControllerDeps {
  /** Only this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** Keys reconciled at once (default 3, OpenKruise's `--persistentpodstate-workers`). */
  readonly concurrency?: number | undefined;
}

/** Returns the keys of the PersistentPodStates of `namespace` that follow the workload `ref` names. */
function statesOf(states: ObjectStore<PersistentPodState & KubeObject>, namespace: string | undefined, ref: { apiVersion: string; kind: string; name: string }): string[] {
  return states
    .list(namespace)
    .filter((object) => {
      const parsed = parsePersistentPodState(object);
      return parsed.kind === 'valid' && sameTarget(parsed.value.spec.targetRef, ref);
    })
    .map(objectKeyOf);
}

/** A pod event that matters: created, deleted, or its readiness or node changed (OpenKruise's pod handler). */
function podChanged(event: InformerEvent<Pod & KubeObject>): boolean {
  if (event.type !== 'updated') return true;
  return isPodReady(event.object) !== isPodReady(event.previous) || event.object.spec.nodeName !== event.previous.spec.nodeName;
}

/**
 * Returns the PersistentPodState controller (`persistentpodstate`): informers on
 * PersistentPodStates, pods, nodes, and Advanced and `apps/v1` StatefulSets. A pod's readiness or
 * node change (or its deletion) brings back the PersistentPodState of its StatefulSet; a
 * StatefulSet's change brings back its PersistentPodState (replicas, deletion) and, when it has
 * (or had, before the change) `kruise.io/auto-generate-persistent-pod-state`, the `generate#…` key that creates, updates or deletes the generated PersistentPodState.
 */
export function createPersistentPodStateController(options: PersistentPodStateControllerOptions): RunningController {
  const { informers, clock, namespace } = options;
  const scoped = namespace === undefined ? {} : { namespace };
  const states = informers.informerFor(KruiseResources.PersistentPodState, scoped);
  const pods = informers.informerFor(Resources.Pod, scoped);
  const nodes = informers.informerFor(Resources.Node);
  const kruiseStatefulSets = informers.informerFor(KruiseResources.StatefulSet, scoped);
  const appsStatefulSets = informers.informerFor(Resources.AppsStatefulSet, scoped);
  const caches = { states: states.store, pods: pods.store, nodes: nodes.store, kruiseStatefulSets: kruiseStatefulSets.store, appsStatefulSets: appsStatefulSets.store };
  const podKeys = (pod: Pod & KubeObject): string[] => {
    const owner = (pod.metadata.ownerReferences ?? []).find((ref) => ref.controller === true);
    return owner === undefined ? [] : statesOf(states.store, pod.metadata.namespace, owner);
  };
  const workloadKeys = (workload: KubeObject): string[] => {
    const ref = { apiVersion: workload.apiVersion ?? '', kind: workload.kind ?? 'StatefulSet', name: workload.metadata.name ?? '' };
    const own = statesOf(states.store, workload.metadata.namespace, ref);
    // With the annotation before or after the change (enqueueMapped maps both), as OpenKruise's handlers.
    const generated = workload.metadata.annotations?.[AUTO_GENERATE_PERSISTENT_POD_STATE_ANNOTATION] !== undefined;
    return generated ? [...own, generateKey({ ...workload, apiVersion: ref.apiVersion, kind: ref.kind })] : own;
  };
  const deps = { client: options.client, clock, caches };
  const controller = createController({
    name: 'persistentpodstate',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [
      enqueueObject(states),
      enqueueMapped(pods, podKeys, { predicate: podChanged }),
      enqueueMapped(kruiseStatefulSets, (sts) => workloadKeys({ ...sts, apiVersion: sts.apiVersion ?? 'apps.kruise.io/v1beta1', kind: 'StatefulSet' })),
      enqueueMapped(appsStatefulSets, (sts) => workloadKeys({ ...sts, apiVersion: sts.apiVersion ?? 'apps/v1', kind: 'StatefulSet' })),
    ],
    reconcile: (key, context) => reconcilePersistentPodState(deps, key, context),
  });
  return runningController(controller, [], [states, pods, nodes, kruiseStatefulSets, appsStatefulSets]);
}
