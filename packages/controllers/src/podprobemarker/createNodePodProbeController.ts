import { isPodActive, planNodePodProbeSync, type NodePodProbeEffect } from '@kruise-ts/core';
import type { Node as CoreNode } from '@kruise-ts/core';
import { AlreadyExistsError, KruiseResources, NotFoundError, Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { deleteIfPresent } from '../imagepulljob/deleteIfPresent.js';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController, type ReconcileContext, type ReconcileResult } from '../runtime/createController.js';
import { enqueueMapped, enqueueObject } from '../runtime/watches.js';
import { guardedMergePatch } from './guardedPatch.js';

/** Options of {@link createNodePodProbeController}. */
export interface NodePodProbeControllerOptions extends ControllerDeps {
  /** NodePodProbes reconciled at once (default 3, OpenKruise's `--nodepodprobe-workers`). */
  readonly concurrency?: number | undefined;
}

async function writePod(client: KubeClient, effect: Extract<NodePodProbeEffect, { kind: 'patch-pod' }>, signal: AbortSignal): Promise<void> {
  const key = { namespace: effect.namespace, name: effect.name };
  try {
    // The uid in the body is a precondition: a re-created pod of the same name is left alone.
    if (effect.patch.metadata !== undefined) await client.patch(Resources.Pod, key, { type: 'merge', body: { metadata: { uid: effect.uid, ...effect.patch.metadata } } }, { signal });
    if (effect.patch.conditions !== undefined) await client.patch(Resources.Pod, key, { type: 'strategic', body: { metadata: { uid: effect.uid }, status: { conditions: effect.patch.conditions } } }, { subresource: 'status', signal });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/**
 * Returns the NodePodProbe controller (`nodepodprobe`, run with PodProbeMarkerGate and KruiseDaemon
 * as in OpenKruise), keyed by node name: informers on NodePodProbes, nodes, pods and
 * PodProbeMarkers; woken by a NodePodProbe (the daemon's status writes), its node, and any pod of
 * the node. A pass is core's `planNodePodProbeSync`: the NodePodProbe created for a new node and
 * deleted with it, gone pods dropped from its spec (resourceVersion-guarded merge patch), and each
 * pod with results patched: marker labels/annotations as a merge patch of the pod, the condition
 * as a strategic merge patch of its status (OpenKruise PUTs the status, issue 1597).
 */
export function createNodePodProbeController(options: NodePodProbeControllerOptions): RunningController {
  const { informers, client } = options;
  const npps = informers.informerFor(KruiseResources.NodePodProbe, {});
  const nodes = informers.informerFor(Resources.Node, {});
  const pods = informers.informerFor(Resources.Pod, {});
  const ppms = informers.informerFor(KruiseResources.PodProbeMarker, {});

  async function apply(effect: NodePodProbeEffect, name: string, signal: AbortSignal): Promise<void> {
    switch (effect.kind) {
      case 'create':
        try {
          await client.create(KruiseResources.NodePodProbe, { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'NodePodProbe', metadata: { name } }, { signal });
        } catch (error) {
          if (!(error instanceof AlreadyExistsError)) throw error;
        }
        return;
      case 'delete':
        await deleteIfPresent(client, KruiseResources.NodePodProbe, { name }, npps.store.get({ name })?.metadata.uid ?? '', signal);
        return;
      case 'set-spec':
        // Re-checked against the pod cache on the NodePodProbe as read now: a pod a marker added
        // since the pass read it is kept.
        await guardedMergePatch(client, KruiseResources.NodePodProbe, { name }, (npp) => {
          const podProbes = npp.spec?.podProbes ?? [];
          const kept = podProbes.filter((p) => {
            const pod = pods.store.get({ namespace: p.namespace, name: p.name });
            return pod !== undefined && isPodActive(pod) && pod.metadata.uid === p.uid;
          });
          return kept.length === podProbes.length ? undefined : { spec: { podProbes: kept } };
        }, signal);
        return;
      case 'patch-pod':
        await writePod(client, effect, signal);
        return;
    }
  }

  async function reconcile(name: string, context: ReconcileContext): Promise<ReconcileResult> {
    const plan = planNodePodProbeSync({
      npp: npps.store.get({ name }),
      node: nodes.store.get({ name }) as CoreNode | undefined,
      podOf: (namespace, pod) => pods.store.get({ namespace, name: pod }),
      ppmOf: (namespace, ppm) => ppms.store.get({ namespace, name: ppm }),
    });
    context.log.debug({ reason: plan.reason, effects: plan.effects.map((e) => e.kind) }, 'nodepodprobe pass');
    for (const effect of plan.effects) await apply(effect, name, context.signal);
    return { kind: 'done' };
  }

  const controller = createController({
    name: 'nodepodprobe',
    concurrency: options.concurrency ?? 3,
    clock: options.clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [
      enqueueObject(npps),
      enqueueObject(nodes),
      enqueueMapped(pods, (pod) => (pod.spec.nodeName === undefined || pod.spec.nodeName === '' ? [] : [pod.spec.nodeName])),
    ],
    reconcile,
  });
  return runningController(controller, [], [npps, nodes, pods, ppms]);
}
