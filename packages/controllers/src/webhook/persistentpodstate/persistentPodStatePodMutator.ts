import { injectPersistentPodState, parsePersistentPodState, type PersistentPodState } from '@kruise-ts/core';
import { KruiseResources, type KubeReader } from '@kruise-ts/k8s-adapter';
import type { PodMutator } from '../pod/podMutatingWebhook.js';

/** Where the pod webhook reads PersistentPodStates from: those of one namespace. */
export type PersistentPodStateSource = (namespace: string, signal: AbortSignal) => Promise<readonly PersistentPodState[]>;

/**
 * Returns a source that lists the namespace's PersistentPodStates through `client` on each call
 * (the readable ones): the manager gives its informer cache (`createCachedReader`), so a pod
 * creation lists nothing on the apiserver.
 */
export function clientPersistentPodStateSource(client: Pick<KubeReader, 'list'>): PersistentPodStateSource {
  return async (namespace, signal) => {
    const list = await client.list(KruiseResources.PersistentPodState, { namespace, signal });
    return list.items.flatMap((object) => {
      const parsed = parsePersistentPodState(object);
      return parsed.kind === 'valid' ? [parsed.value] : [];
    });
  };
}

/**
 * Returns the pod mutator of PersistentPodState (OpenKruise's `persistentPodStateMutatingPod` in
 * `/mutate-pod`): on pod CREATE, a pod of an `apps` or `apps.kruise.io` StatefulSet whose
 * PersistentPodState recorded a state for its name gets that state back (core's
 * `injectPersistentPodState`: the required topology in `nodeSelector`, the preferred one as node
 * affinity, annotation `kruise.io/injected-persistent-pod-state`). A pod without a controller is
 * not looked up.
 */
export function createPersistentPodStatePodMutator(options: { readonly source: PersistentPodStateSource }): PodMutator {
  return {
    name: 'persistentpodstate',
    async mutate(pod, request, context) {
      if (!(pod.metadata.ownerReferences ?? []).some((ref) => ref.controller === true && ref.kind === 'StatefulSet')) return { kind: 'unchanged' };
      const candidates = await options.source(request.namespace ?? pod.metadata.namespace ?? '', context.signal);
      const result = injectPersistentPodState({ ...pod, metadata: { ...pod.metadata, name: pod.metadata.name ?? request.name } }, candidates);
      if (result.kind === 'skip') return { kind: 'unchanged' };
      context.logger.debug({ pod: pod.metadata.name, persistentPodState: result.name, nodeSelector: result.nodeSelector }, 'persistent pod state injected');
      return { kind: 'mutated', pod: { ...result.pod, metadata: { ...result.pod.metadata, name: pod.metadata.name } } };
    },
  };
}
