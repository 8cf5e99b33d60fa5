import { PUB_RELATED_ANNOTATION, PUB_RELATED_DEPRECATED_ANNOTATION, isEmptyLabelSelector, matchesLabelSelector, type Pod, type PodUnavailableBudget } from '@kruise-ts/core';
import { KruiseResources, type KubeReader } from '@kruise-ts/k8s-adapter';
import { findPubWorkload } from '../../podunavailablebudget/pubWorkloads.js';
import type { PodMutation, PodMutator } from './podMutatingWebhook.js';
import { parseCachedBudget } from './pubPodValidator.js';

const unchanged: PodMutation = { kind: 'unchanged' };

// Whether `pub` covers `pod` (OpenKruise's GetPubForPod): a non-empty selector matching its
// labels, or a targetRef naming the workload that controls it (a ReplicaSet stands for its Deployment).
async function covers(client: KubeReader, pub: PodUnavailableBudget, pod: Pod, namespace: string, signal: AbortSignal): Promise<boolean> {
  const { selector, targetRef } = pub.spec;
  if (targetRef === undefined) return selector !== undefined && !isEmptyLabelSelector(selector) && matchesLabelSelector(selector, pod.metadata.labels);
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller === true);
  if (owner === undefined) return false;
  const [podWorkload, pubWorkload] = await Promise.all([findPubWorkload(client, namespace, owner, signal), findPubWorkload(client, namespace, targetRef, signal)]);
  return podWorkload !== undefined && pubWorkload !== undefined && podWorkload.uid === pubWorkload.uid;
}

/**
 * Returns the pod mutator that writes `pub.kruise.io/related-pub` (and the older
 * `kruise.io/related-pub`) on a new pod covered by a PodUnavailableBudget of its namespace
 * (OpenKruise's `pubMutatingPod`), so the pod webhook finds its budget from its first delete or
 * eviction, before the PUB controller has seen it. The first matching budget wins. A budget that
 * cannot be read is skipped; a failed list leaves the pod unchanged (logged): the pod webhook never
 * blocks a creation for it. Budgets and workloads are read through `client`: the manager gives its
 * informer cache (`createCachedReader`), as OpenKruise reads them through its cached client, so a
 * creation costs no apiserver request.
 *
 * @example pod app=web in namespace apps, budget web-pub with selector app=web → annotations { 'pub.kruise.io/related-pub': 'web-pub', 'kruise.io/related-pub': 'web-pub' }
 */
export function pubPodMutator(options: { readonly client: KubeReader }): PodMutator {
  return {
    name: 'podunavailablebudget',
    async mutate(pod, request, context) {
      if (request.operation !== 'CREATE' || (request.subResource ?? '') !== '') return unchanged;
      const namespace = request.namespace ?? pod.metadata.namespace ?? 'default';
      try {
        const budgets = await options.client.list(KruiseResources.PodUnavailableBudget, { namespace, signal: context.signal });
        for (const object of budgets.items) {
          const parsed = parseCachedBudget(object);
          if (parsed.kind === 'invalid' || !(await covers(options.client, parsed.value, pod, namespace, context.signal))) continue;
          const name = object.metadata.name ?? '';
          if (pod.metadata.annotations?.[PUB_RELATED_ANNOTATION] === name) return unchanged;
          return { kind: 'mutated', pod: { ...pod, metadata: { ...pod.metadata, annotations: { ...pod.metadata.annotations, [PUB_RELATED_ANNOTATION]: name, [PUB_RELATED_DEPRECATED_ANNOTATION]: name } } } };
        }
      } catch (error) {
        context.logger.warn({ err: error, namespace }, 'PodUnavailableBudgets not readable; pod admitted without related-pub');
      }
      return unchanged;
    },
  };
}
