import { POD_PROBE_MARKER_FINALIZER, matchesLabelSelector, mergePodProbeMarkerProbes, planPodProbeMarkerPass, removePodProbeMarkerProbes, type PodProbeMarker, type PodProbeMarkerEffect } from '@kruise-ts/core';
import type { Node as CoreNode } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController, type ReconcileContext, type ReconcileResult } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject, objectKeyOf, parseObjectKey } from '../runtime/watches.js';
import { guardedMergePatch } from './guardedPatch.js';

/** Options of {@link createPodProbeMarkerController}. */
export interface PodProbeMarkerControllerOptions extends ControllerDeps {
  /** Only PodProbeMarkers (and pods) of this namespace; omitted = all namespaces. */
  readonly namespace?: string | undefined;
  /** PodProbeMarkers reconciled at once (default 3, OpenKruise's `--podprobemarker-workers`). */
  readonly concurrency?: number | undefined;
}

type PpmObject = PodProbeMarker & KubeObject;

/**
 * Returns the PodProbeMarker controller (`podprobemarker`, run with PodProbeMarkerGate as in
 * OpenKruise): informers on PodProbeMarkers, pods and nodes; a marker is woken by its own events
 * and by a change of a pod its selector matches (before or after the change). A pass is core's
 * `planPodProbeMarkerPass`, its effects written in order: the cleanup finalizer, the marker's
 * probes merged into (or, on deletion, removed from) each node's NodePodProbe as resourceVersion-
 * guarded merge patches of the spec re-planned on 409, and the status (`observedGeneration`,
 * `matchedPods`). A NodePodProbe that does not exist yet is skipped: the nodepodprobe controller
 * creates it, and the next pod change brings the marker back.
 */
export function createPodProbeMarkerController(options: PodProbeMarkerControllerOptions): RunningController {
  const { informers, namespace, client } = options;
  const scoped = namespace === undefined ? {} : { namespace };
  const ppms = informers.informerFor(KruiseResources.PodProbeMarker, scoped);
  const pods = informers.informerFor(Resources.Pod, scoped);
  const nodes = informers.informerFor(Resources.Node, {});

  async function apply(effect: PodProbeMarkerEffect, ppm: PpmObject, log: ReconcileContext['log'], signal: AbortSignal): Promise<void> {
    const key = { namespace: ppm.metadata.namespace, name: ppm.metadata.name ?? '' };
    switch (effect.kind) {
      case 'add-finalizer':
      case 'remove-finalizer': {
        const add = effect.kind === 'add-finalizer';
        await guardedMergePatch(client, KruiseResources.PodProbeMarker, key, (current) => {
          const finalizers = current.metadata.finalizers ?? [];
          if (finalizers.includes(POD_PROBE_MARKER_FINALIZER) === add) return undefined;
          return { metadata: { finalizers: add ? [...finalizers, POD_PROBE_MARKER_FINALIZER] : finalizers.filter((f) => f !== POD_PROBE_MARKER_FINALIZER) } };
        }, signal);
        return;
      }
      case 'set-node-probes':
        await guardedMergePatch(client, KruiseResources.NodePodProbe, { name: effect.node }, (npp) => {
          const merged = mergePodProbeMarkerProbes(npp.spec, ppm, effect.pods);
          for (const problem of merged.problems) log.warn({ ppm: objectKeyOf(ppm), pod: problem.pod, probe: problem.probe }, problem.message);
          return merged.changed ? { spec: { podProbes: merged.spec.podProbes ?? [] } } : undefined;
        }, signal);
        return;
      case 'remove-node-probes':
        await guardedMergePatch(client, KruiseResources.NodePodProbe, { name: effect.node }, (npp) => {
          const removed = removePodProbeMarkerProbes(npp.spec, key.namespace ?? '', key.name);
          return removed.changed ? { spec: { podProbes: removed.spec.podProbes ?? [] } } : undefined;
        }, signal);
        return;
      case 'patch-status':
        await client.patch(KruiseResources.PodProbeMarker, key, { type: 'merge', body: { status: effect.status } }, { subresource: 'status', signal });
        return;
    }
  }

  async function reconcile(key: string, context: ReconcileContext): Promise<ReconcileResult> {
    const ppm = ppms.store.get(parseObjectKey(key));
    if (ppm === undefined) return { kind: 'done' };
    const plan = planPodProbeMarkerPass(ppm, pods.store.list(ppm.metadata.namespace), (name) => nodes.store.get({ name }) as CoreNode | undefined);
    context.log.debug({ reason: plan.reason, matchedPods: plan.matchedPods, effects: plan.effects.map((e) => e.kind) }, 'podprobemarker pass');
    for (const effect of plan.effects) await apply(effect, ppm, context.log, context.signal);
    return { kind: 'done' };
  }

  const controller = createController({
    name: 'podprobemarker',
    concurrency: options.concurrency ?? 3,
    clock: options.clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [
      enqueueObject(ppms),
      // OpenKruise's enqueueRequestForPod: the markers whose selector matches the pod.
      enqueueMapped(pods, (pod) =>
        ppms.store
          .list(pod.metadata.namespace)
          .filter((ppm) => matchesLabelSelector(ppm.spec.selector, pod.metadata.labels))
          .map(objectKeyOf),
      ),
    ],
    reconcile,
  });
  return runningController(controller, [], [ppms, pods, nodes]);
}
