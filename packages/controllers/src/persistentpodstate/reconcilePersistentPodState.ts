import {
  computePersistentPodStateStatus,
  jsonEqual,
  parsePersistentPodState,
  planGeneratedPersistentPodState,
  reserveOrdinalSet,
  type PersistentPodState,
  type PersistentPodStateWorkload,
  type Pod,
  type ReserveOrdinal,
  type TargetReference,
} from '@kruise-ts/core';
import { AlreadyExistsError, KruiseResources, NotFoundError, OWNER_INDEX, type Clock, type KubeClient, type KubeObject, type Node, type ObjectStore } from '@kruise-ts/k8s-adapter';
import type { ReconcileContext, ReconcileResult } from '../runtime/createController.js';
import { parseObjectKey } from '../runtime/watches.js';

/** The caches a PersistentPodState reconcile reads. */
export interface PersistentPodStateCaches {
  readonly states: ObjectStore<PersistentPodState & KubeObject>;
  readonly pods: ObjectStore<Pod & KubeObject>;
  readonly nodes: ObjectStore<Node>;
  /** Advanced StatefulSets (`apps.kruise.io`). */
  readonly kruiseStatefulSets: ObjectStore<KubeObject>;
  /** Built-in StatefulSets (`apps`). */
  readonly appsStatefulSets: ObjectStore<KubeObject>;
}

/** What {@link reconcilePersistentPodState} uses. */
export interface PersistentPodStateReconcileDeps {
  readonly client: KubeClient;
  readonly clock: Clock;
  readonly caches: PersistentPodStateCaches;
}

/** The prefix of the queue keys that ask to generate a workload's PersistentPodState (OpenKruise's `generate#`). */
export const GENERATE_KEY_PREFIX = 'generate#';

/**
 * Returns the queue key that asks to generate (or update, or delete) the PersistentPodState of a
 * workload: `<namespace>/generate#<apiVersion>#<kind>#<name>`, as OpenKruise's request name.
 *
 * @example generateKey({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', metadata: { namespace: 'db', name: 'web' } }) → 'db/generate#apps.kruise.io/v1beta1#StatefulSet#web'
 */
export function generateKey(workload: KubeObject): string {
  return `${workload.metadata.namespace ?? ''}/${GENERATE_KEY_PREFIX}${workload.apiVersion ?? ''}#${workload.kind ?? ''}#${workload.metadata.name ?? ''}`;
}

/** Returns the cache of the target's kind (`apps.kruise.io` or `apps` StatefulSets), or undefined for another kind. */
export function workloadStore(caches: PersistentPodStateCaches, ref: Pick<TargetReference, 'apiVersion' | 'kind'>): ObjectStore<KubeObject> | undefined {
  if (ref.kind !== 'StatefulSet') return undefined;
  if (ref.apiVersion.startsWith('apps.kruise.io/')) return caches.kruiseStatefulSets;
  return ref.apiVersion.startsWith('apps/') ? caches.appsStatefulSets : undefined;
}

function workloadView(object: KubeObject): PersistentPodStateWorkload {
  const spec = (object.spec ?? {}) as { replicas?: number; reserveOrdinals?: ReserveOrdinal[] };
  return { replicas: spec.replicas ?? 1, reserveOrdinals: reserveOrdinalSet(spec.reserveOrdinals), deleting: object.metadata.deletionTimestamp != null };
}

async function reconcileGenerated(deps: PersistentPodStateReconcileDeps, namespace: string, name: string, signal: AbortSignal): Promise<ReconcileResult> {
  const [, apiVersion = '', kind = '', workloadName = ''] = name.split('#');
  const store = workloadStore(deps.caches, { apiVersion, kind });
  const workload = store?.get({ namespace, name: workloadName });
  if (workload === undefined) return { kind: 'done' };
  const stored = deps.caches.states.get({ namespace, name: workloadName });
  const parsed = stored === undefined ? undefined : parsePersistentPodState(stored);
  const existing = parsed?.kind === 'valid' ? parsed.value : undefined;
  const decision = planGeneratedPersistentPodState({ ...workload, apiVersion, kind }, existing);
  const key = { namespace, name: workloadName };
  try {
    if (decision.kind === 'create') await deps.client.create(KruiseResources.PersistentPodState, decision.pps as PersistentPodState & KubeObject, { signal });
    if (decision.kind === 'update-spec' && stored !== undefined) {
      const operations = [{ op: 'test' as const, path: '/metadata/uid', value: stored.metadata.uid ?? '' }, { op: 'replace' as const, path: '/spec', value: decision.spec }];
      await deps.client.patch(KruiseResources.PersistentPodState, key, { type: 'json', operations }, { signal });
    }
    if (decision.kind === 'delete' && stored !== undefined) await deps.client.delete(KruiseResources.PersistentPodState, key, { preconditions: { uid: stored.metadata.uid ?? '' }, signal });
  } catch (error) {
    // Created or deleted since the cache saw it: look again once it shows.
    if (error instanceof AlreadyExistsError || error instanceof NotFoundError) return { kind: 'requeue', afterMs: 100 };
    throw error;
  }
  return { kind: 'done' };
}

/**
 * Reconciles one queue key of the PersistentPodState controller, as OpenKruise's: a
 * `generate#…` key brings the generated PersistentPodState of a workload in line with its
 * annotations (core's `planGeneratedPersistentPodState`); any other key is a PersistentPodState,
 * whose status gets the pod states core's `computePersistentPodStateStatus` gives from the caches
 * (its workload, the pods that workload controls, their nodes' labels), written as one JSON patch
 * of `/status` when it changed.
 */
export async function reconcilePersistentPodState(deps: PersistentPodStateReconcileDeps, key: string, context: ReconcileContext): Promise<ReconcileResult> {
  const { namespace = '', name } = parseObjectKey(key);
  if (name.startsWith(GENERATE_KEY_PREFIX)) return reconcileGenerated(deps, namespace, name, context.signal);
  const object = deps.caches.states.get({ namespace, name });
  if (object === undefined || object.metadata.deletionTimestamp != null) return { kind: 'done' };
  const parsed = parsePersistentPodState(object);
  if (parsed.kind === 'invalid') {
    context.log.warn({ problems: parsed.problems }, 'PersistentPodState not readable; skipped');
    return { kind: 'done' };
  }
  const pps = parsed.value;
  const workloadObject = workloadStore(deps.caches, pps.spec.targetRef)?.get({ namespace, name: pps.spec.targetRef.name });
  const pods = workloadObject === undefined ? [] : deps.caches.pods.byIndex(OWNER_INDEX, workloadObject.metadata.uid ?? '');
  const status = computePersistentPodStateStatus({
    pps,
    workload: workloadObject === undefined ? undefined : workloadView(workloadObject),
    pods,
    nodeLabels: (nodeName) => deps.caches.nodes.get({ name: nodeName })?.metadata.labels ?? undefined,
  });
  if (jsonEqual(object.status ?? {}, status)) return { kind: 'done' };
  await deps.client.patch(KruiseResources.PersistentPodState, { namespace, name }, { type: 'json', operations: [{ op: 'add', path: '/status', value: status }] }, { subresource: 'status', signal: context.signal });
  return { kind: 'done' };
}
