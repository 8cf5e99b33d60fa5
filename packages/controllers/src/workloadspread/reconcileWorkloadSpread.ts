import {
  DELETION_COST_KINDS,
  NodeSchema,
  parseWorkloadSpread,
  planWorkloadSpread,
  POD_DELETION_COST_ANNOTATION,
  readMatchedWorkloadSpread,
  workloadLatestVersion,
  type Node,
  type Pod,
  type VersionedWorkload,
  type WorkloadLatestVersion,
  type WorkloadSpread,
  type WorkloadSpreadPassPlan,
  type WorkloadSpreadTargetReference,
} from '@kruise-ts/core';
import { ConflictError, KruiseResources, NotFoundError, Resources, type Clock, type EventSink, type KubeClient, type KubeObject, type ObjectStore } from '@kruise-ts/k8s-adapter';
import type { ReconcileContext, ReconcileResult } from '../runtime/createController.js';
import { parseObjectKey } from '../runtime/watches.js';
import { readSpreadTarget, REPLICA_SET_TYPE, TargetFilterReplicasError, type SpreadTarget } from './workloadSpreadTarget.js';

/** What a WorkloadSpread reconcile reads and writes with. */
export interface WorkloadSpreadReconcileDeps {
  readonly client: KubeClient;
  readonly clock: Clock;
  readonly events: EventSink;
  readonly spreads: ObjectStore<WorkloadSpread & KubeObject>;
  readonly pods: ObjectStore<Pod & KubeObject>;
  /** The workload kinds (lower case) whose pods are counted per version (OpenKruise's `--ws-enabled-versioned-status`). */
  readonly versionedKinds: ReadonlySet<string>;
}

/** How long a pass waits for a workload's newest version to be readable (OpenKruise retries with backoff). */
const LATEST_VERSION_RETRY_MS = 1000;

const STATUS_ATTEMPTS = 4;

async function ignoreNotFound(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

// The nodes of the scheduled pods that name no subset of `ws` (pods created before it), by name.
async function nodesOfUnmatched(client: KubeClient, ws: WorkloadSpread, pods: readonly Pod[], signal: AbortSignal): Promise<Map<string, Node>> {
  const names = new Set(pods.filter((p) => readMatchedWorkloadSpread(p)?.name !== ws.metadata?.name && (p.spec.nodeName ?? '') !== '').map((p) => p.spec.nodeName ?? ''));
  const nodes = new Map<string, Node>();
  for (const name of names) {
    try {
      const node = NodeSchema.safeParse(await client.get(Resources.Node, { name }, { signal }));
      if (node.success) nodes.set(name, node.data);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return nodes;
}

// The newest version of the workload, for deletion costs only (OpenKruise reads it in
// updateDeletionCost, for CloneSet, Deployment and ReplicaSet targets); a Deployment's from its ReplicaSets.
async function latestVersionOf(
  client: KubeClient,
  namespace: string,
  ref: WorkloadSpreadTargetReference,
  target: SpreadTarget,
  kinds: ReadonlySet<string>,
  signal: AbortSignal,
): Promise<WorkloadLatestVersion> {
  // No pod to cost: nothing waits for the version (OpenKruise would retry until the Deployment has its ReplicaSet).
  if (target.workload === undefined || target.pods.length === 0 || !DELETION_COST_KINDS.includes(ref.kind)) return { kind: 'version', version: '' };
  const workload = { ...target.workload, kind: ref.kind } as VersionedWorkload;
  const replicaSets = ref.kind === 'Deployment' && kinds.has('deployment') ? (await client.list(REPLICA_SET_TYPE, { namespace, signal })).items : [];
  return workloadLatestVersion(workload, replicaSets, kinds);
}

/**
 * Reconciles one WorkloadSpread (OpenKruise's `syncWorkloadSpread`): reads its workload's pods and
 * replicas, both narrowed by its `targetFilter` (and the nodes of pods created before it, and for
 * deletion costs the workload's newest version: a Deployment's current ReplicaSet; a pass waits 1 s
 * for one not created yet, as OpenKruise's returned error retries), lets core's `planWorkloadSpread` decide,
 * annotates those older pods with the subset their node fits, patches each pod whose
 * `controller.kubernetes.io/pod-deletion-cost` differs, writes the recounted status, then deletes
 * the pods the Adaptive strategy reschedules. The status is planned on the WorkloadSpread as the
 * apiserver holds it and replaced with its resourceVersion: a 409 (the pod webhook recorded a
 * creation or deletion meanwhile) re-reads and plans again, so no webhook record is lost. Requeues
 * when a creating/deleting entry or an unschedulable mark expires.
 */
export async function reconcileWorkloadSpread(deps: WorkloadSpreadReconcileDeps, key: string, context: ReconcileContext): Promise<ReconcileResult> {
  const { signal } = context;
  const objectKey = parseObjectKey(key);
  const cached = deps.spreads.get(objectKey);
  if (cached === undefined || cached.metadata.deletionTimestamp !== undefined) return { kind: 'done' };
  const namespace = objectKey.namespace ?? 'default';
  const subject = { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'WorkloadSpread', namespace, name: objectKey.name, uid: cached.metadata.uid ?? '' };
  let object: WorkloadSpread & KubeObject = cached;
  let costsPatched = false;
  for (let attempt = 1; ; attempt++) {
    const parsed = parseWorkloadSpread(object);
    if (parsed.kind === 'invalid' || parsed.value.spec.targetRef === undefined) {
      context.log.warn({ problems: parsed.kind === 'invalid' ? parsed.problems.slice(0, 5) : [] }, 'WorkloadSpread not readable; skipped');
      return { kind: 'done' };
    }
    let target;
    try {
      target = await readSpreadTarget(deps.client, namespace, parsed.value.spec.targetRef, deps.pods.list(namespace), signal, parsed.value.spec.targetFilter);
    } catch (error) {
      if (!(error instanceof TargetFilterReplicasError)) throw error;
      // OpenKruise returns the error (the pass retries with backoff); the path will not resolve
      // until the spec or the workload changes, both of which wake this WorkloadSpread.
      context.log.warn({ path: error.path, reason: error.message }, 'WorkloadSpread targetFilter replicas not readable; status not computed');
      deps.events.emit({ subject, type: 'Warning', reason: 'TargetFilterReplicasInvalid', message: error.message });
      return { kind: 'done' };
    }
    if (target === undefined) return { kind: 'done' };
    const now = deps.clock.now();
    const nodes = await nodesOfUnmatched(deps.client, parsed.value, target.pods, signal);
    const latest = await latestVersionOf(deps.client, namespace, parsed.value.spec.targetRef, target, deps.versionedKinds, signal);
    if (latest.kind === 'unknown') {
      context.log.debug({ reason: latest.reason }, 'WorkloadSpread workload version not known yet; pass retried');
      return { kind: 'requeue', afterMs: LATEST_VERSION_RETRY_MS };
    }
    const plan: WorkloadSpreadPassPlan = planWorkloadSpread({
      ws: parsed.value,
      pods: target.pods,
      workloadReplicas: target.replicas,
      nodes,
      now,
      versionedKinds: deps.versionedKinds,
      latestVersion: latest.version,
    });
    if (plan.kind === 'skip') {
      context.log.warn({ reason: plan.reason }, 'WorkloadSpread status not computable');
      return { kind: 'done' };
    }
    if (!costsPatched) {
      for (const adoption of plan.adoptions) {
        await ignoreNotFound(deps.client.patch(Resources.Pod, { namespace, name: adoption.pod }, { type: 'strategic', body: { metadata: adoption.metadata } }, { signal }));
      }
      for (const cost of plan.deletionCosts) {
        const body = { metadata: { annotations: { [POD_DELETION_COST_ANNOTATION]: cost.cost } } };
        await ignoreNotFound(deps.client.patch(Resources.Pod, { namespace, name: cost.pod }, { type: 'strategic', body }, { signal }));
      }
      costsPatched = true;
    }
    const requeue: ReconcileResult = plan.requeueAfterMs === undefined ? { kind: 'done' } : { kind: 'requeue', afterMs: plan.requeueAfterMs + 1 };
    let written = !plan.statusChanged;
    if (plan.statusChanged) {
      try {
        await deps.client.replace(KruiseResources.WorkloadSpread, { ...object, status: plan.status }, { subresource: 'status', signal });
        written = true;
      } catch (error) {
        if (error instanceof NotFoundError) return { kind: 'done' };
        if (!(error instanceof ConflictError) || attempt >= STATUS_ATTEMPTS) throw error;
      }
    }
    if (written) {
      for (const event of plan.events) deps.events.emit({ subject, ...event });
      for (const pod of plan.podsToDelete) {
        await ignoreNotFound(deps.client.delete(Resources.Pod, { namespace, name: pod.pod }, { signal }));
        context.log.info({ pod: pod.pod, subset: pod.subset }, 'deleted a pod unschedulable too long (Adaptive)');
      }
      return requeue;
    }
    try {
      object = await deps.client.get(KruiseResources.WorkloadSpread, objectKey, { signal });
    } catch (error) {
      if (error instanceof NotFoundError) return { kind: 'done' };
      throw error;
    }
  }
}
