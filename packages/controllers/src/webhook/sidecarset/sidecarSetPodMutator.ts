import { injectSidecars, type Pod } from '@kruise-ts/core';
import type { Clock } from '@kruise-ts/k8s-adapter';
import type { PodMutation, PodMutator } from '../pod/podMutatingWebhook.js';
import type { SidecarSetSource } from './sidecarSetSource.js';

// The injected pod with the namespace as the request's pod had it (absent stays absent).
function withNamespaceOf(original: Pod, injected: Pod): Pod {
  const { namespace: _filled, ...metadata } = injected.metadata;
  return { ...injected, metadata: original.metadata.namespace === undefined ? metadata : { ...metadata, namespace: original.metadata.namespace } };
}

/** Options of {@link createSidecarSetPodMutator}. */
export interface SidecarSetPodMutatorOptions {
  /** The SidecarSets, their revisions and namespace labels (the manager's cache). */
  readonly source: SidecarSetSource;
  /** Time written into the pods' hash records. */
  readonly clock: Pick<Clock, 'now'>;
  /** Draw in [0, 1) for `Partial` revision injection (default `Math.random`). */
  readonly random?: (() => number) | undefined;
  readonly featureGates?: { readonly EnableSortSidecarContainerByName?: boolean | undefined } | undefined;
}

/**
 * Returns the SidecarSet injection step of the pod mutating webhook (OpenKruise's
 * `sidecarsetMutatingPod`): on pod CREATE, core's `injectSidecars` over every SidecarSet, the pod's
 * namespace labels and the SidecarSet revisions. Injected (or only metadata-patched) pods come back
 * mutated, skipped ones unchanged, and a pod a SidecarSet must refuse (a pinned revision that does
 * not exist, a patchPodMetadata that cannot apply) is denied with the SidecarSet's name and why.
 * The pod's namespace comes from the request when the pod does not carry one (CREATE usually
 * does not); the patch never adds it.
 *
 * @example pod app=web in `apps`, SidecarSet `log` selecting app=web → { kind: 'mutated', pod: containers [fluentd, app] }
 */
export function createSidecarSetPodMutator(options: SidecarSetPodMutatorOptions): PodMutator {
  const random = options.random ?? Math.random;
  return {
    name: 'sidecarset',
    async mutate(pod, request, context): Promise<PodMutation> {
      const namespace = (pod.metadata.namespace ?? '') === '' ? (request.namespace ?? '') : (pod.metadata.namespace ?? '');
      const target: Pod = { ...pod, metadata: { ...pod.metadata, namespace } };
      const [sidecarSets, revisions, namespaceLabels] = await Promise.all([
        options.source.sidecarSets(context.signal),
        options.source.revisions(context.signal),
        options.source.namespaceLabels(namespace, context.signal),
      ]);
      const result = injectSidecars(target, sidecarSets, namespaceLabels ?? {}, { now: options.clock.now(), revisions, random: random(), featureGates: options.featureGates });
      switch (result.kind) {
        case 'injected':
        case 'metadata-patched': {
          const injected = result.kind === 'injected' ? { containers: result.containers, initContainers: result.initContainers } : {};
          context.logger.debug({ namespace, name: pod.metadata.name ?? pod.metadata.generateName, sidecarSets: result.sidecarSets, ...injected }, `pod ${result.kind} by SidecarSets`);
          return { kind: 'mutated', pod: withNamespaceOf(pod, result.pod) };
        }
        case 'skipped':
          return { kind: 'unchanged' };
        case 'rejected':
          return { kind: 'deny', message: `sidecarset ${result.sidecarSet}: ${result.message}`, code: 400 };
      }
    },
  };
}
