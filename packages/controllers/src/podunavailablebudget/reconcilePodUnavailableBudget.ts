import {
  PUB_RELATED_ANNOTATION,
  PUB_RELATED_DEPRECATED_ANNOTATION,
  computePubStatus,
  expectedPubReplicas,
  isEmptyLabelSelector,
  isPodActive,
  matchesLabelSelector,
  parsePodUnavailableBudget,
  canonicalJson,
  type LabelSelector,
  type Pod,
  type PodUnavailableBudget,
} from '@kruise-ts/core';
import { ConflictError, KruiseResources, NotFoundError, Resources, type Clock, type EventSink, type KubeClient, type KubeObject, type ObjectStore } from '@kruise-ts/k8s-adapter';
import type { ReconcileContext, ReconcileResult } from '../runtime/createController.js';
import { parseObjectKey } from '../runtime/watches.js';
import { findPubWorkload, workloadReplicasOfPods } from './pubWorkloads.js';

/** What a PodUnavailableBudget reconcile reads and writes with. */
export interface PubReconcileDeps {
  readonly client: KubeClient;
  readonly clock: Clock;
  readonly events: EventSink;
  readonly budgets: ObjectStore<PodUnavailableBudget & KubeObject>;
  readonly pods: ObjectStore<Pod & KubeObject>;
}

const STATUS_ATTEMPTS = 4;

// The pods a budget covers and the replicas it counts (OpenKruise's GetPodsForPub).
async function podsAndExpected(deps: PubReconcileDeps, pub: PodUnavailableBudget, namespace: string, signal: AbortSignal): Promise<{ pods: Pod[]; expected: number }> {
  const { targetRef, selector, protectTotalReplicas } = pub.spec;
  let chosen: LabelSelector | undefined = selector;
  let workloadReplicas = new Map<string, number>();
  if (targetRef !== undefined) {
    const workload = await findPubWorkload(deps.client, namespace, targetRef, signal);
    if (workload === undefined) return { pods: [], expected: protectTotalReplicas ?? 0 };
    chosen = workload.selector;
    workloadReplicas = new Map(workload.deleting ? [] : [[workload.uid, workload.replicas]]);
  }
  // A nil or empty selector matches nothing, not everything.
  if (chosen === undefined || isEmptyLabelSelector(chosen)) return { pods: [], expected: protectTotalReplicas ?? 0 };
  const pods = deps.pods.list(namespace).filter((pod) => isPodActive(pod) && matchesLabelSelector(chosen, pod.metadata.labels));
  if (targetRef === undefined && protectTotalReplicas === undefined) workloadReplicas = await workloadReplicasOfPods(deps.client, pods, signal);
  return { pods, expected: expectedPubReplicas({ protectTotalReplicas, workloadReplicas }) };
}

async function annotatePods(deps: PubReconcileDeps, name: string, pods: readonly Pod[], signal: AbortSignal): Promise<void> {
  for (const pod of pods) {
    if (pod.metadata.annotations?.[PUB_RELATED_ANNOTATION]) continue;
    const body = { metadata: { annotations: { [PUB_RELATED_ANNOTATION]: name, [PUB_RELATED_DEPRECATED_ANNOTATION]: name } } };
    try {
      await deps.client.patch(Resources.Pod, { namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '' }, { type: 'strategic', body }, { signal });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}

const sameStatus = (a: unknown, b: unknown): boolean => canonicalJson(a ?? {}) === canonicalJson(b ?? {});

/**
 * Reconciles one PodUnavailableBudget (OpenKruise's `syncPodUnavailableBudget`): finds its pods
 * (selector, or the targetRef workload's selector) and the replicas it counts, writes the
 * `pub.kruise.io/related-pub` annotation on pods that lack it (the pod webhook finds the budget
 * by it), and writes the status core's `computePubStatus` gives. The status is computed on the
 * budget as the apiserver holds it and replaced with its resourceVersion: a 409 (the webhook
 * recorded a disruption meanwhile) re-reads and computes again, so no record is lost. Requeues
 * when the next recorded entry expires; a disrupted pod still running after 20 s gets a
 * `NotDeleted` warning.
 */
export async function reconcilePodUnavailableBudget(deps: PubReconcileDeps, key: string, context: ReconcileContext): Promise<ReconcileResult> {
  const { signal } = context;
  const objectKey = parseObjectKey(key);
  const cached = deps.budgets.get(objectKey);
  if (cached === undefined || cached.metadata.deletionTimestamp !== undefined) return { kind: 'done' };
  const parsed = parsePodUnavailableBudget(cached);
  if (parsed.kind === 'invalid') {
    context.log.warn({ problems: parsed.problems.slice(0, 5) }, 'PodUnavailableBudget not readable; skipped');
    return { kind: 'done' };
  }
  const namespace = objectKey.namespace ?? 'default';
  const { pods, expected } = await podsAndExpected(deps, parsed.value, namespace, signal);
  const subject = { apiVersion: 'policy.kruise.io/v1beta1', kind: 'PodUnavailableBudget', namespace, name: objectKey.name, uid: cached.metadata.uid ?? '' };
  if (pods.length === 0) deps.events.emit({ subject, type: 'Normal', reason: 'NoPods', message: 'No matching pods found' });
  else await annotatePods(deps, objectKey.name, pods, signal);
  let object: PodUnavailableBudget & KubeObject = cached;
  for (let attempt = 1; ; attempt++) {
    const current = parsePodUnavailableBudget(object);
    if (current.kind === 'invalid') return { kind: 'done' };
    const now = deps.clock.now();
    const plan = computePubStatus({ pub: current.value, pods, expectedCount: expected, now });
    if (plan.status === undefined) {
      context.log.warn({ problem: plan.problem }, 'PodUnavailableBudget status not computable');
      return { kind: 'done' };
    }
    for (const pod of plan.notDeleted) {
      deps.events.emit({ subject: { apiVersion: 'v1', kind: 'Pod', namespace, name: pod, uid: pods.find((p) => p.metadata.name === pod)?.metadata.uid ?? '' }, type: 'Warning', reason: 'NotDeleted', message: `Pod was expected by PUB ${namespace}/${objectKey.name} to be deleted but it wasn't` });
    }
    const requeue: ReconcileResult = plan.recheckAt === undefined ? { kind: 'done' } : { kind: 'requeue', afterMs: Math.max(0, plan.recheckAt - now) + 1 };
    if (sameStatus(object.status, plan.status)) return requeue;
    try {
      await deps.client.replace(KruiseResources.PodUnavailableBudget, { ...object, status: plan.status }, { subresource: 'status', signal });
      return requeue;
    } catch (error) {
      if (error instanceof NotFoundError) return { kind: 'done' };
      if (!(error instanceof ConflictError) || attempt >= STATUS_ATTEMPTS) throw error;
    }
    try {
      object = await deps.client.get(KruiseResources.PodUnavailableBudget, objectKey, { signal });
    } catch (error) {
      if (error instanceof NotFoundError) return { kind: 'done' };
      throw error;
    }
  }
}
