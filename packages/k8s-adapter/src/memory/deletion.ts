import type { RequestDescription } from '../errors.js';
import type { DeleteOptions } from '../ports.js';
import { forbidden, notFound, preconditionConflict } from './apiErrors.js';
import { deepClone, isJsonObject, type JsonObject, text } from './jsonValue.js';
import { formatTime } from './objectValidation.js';
import { resourceKey, type ResourceBehaviour } from './resourceRegistry.js';
import { metaOf, type ClusterCore } from './writePipeline.js';

const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** Returns the finalizers of an object. */
export function finalizersOf(object: JsonObject): string[] {
  const list = metaOf(object).finalizers;
  return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string') : [];
}

function withFinalizers(object: JsonObject, finalizers: readonly string[]): void {
  if (finalizers.length === 0) delete metaOf(object).finalizers;
  else metaOf(object).finalizers = [...finalizers];
}

/** The grace period a pod deletion gets: the option, else the pod's, else 30; 0 when unscheduled or finished. */
function podGracePeriod(pod: JsonObject, options: DeleteOptions): number {
  const spec = isJsonObject(pod.spec) ? pod.spec : {};
  const phase = isJsonObject(pod.status) ? pod.status.phase : undefined;
  if (typeof spec.nodeName !== 'string' || spec.nodeName === '' || phase === 'Succeeded' || phase === 'Failed') return 0;
  const fromSpec = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30;
  return Math.max(0, options.gracePeriodSeconds ?? fromSpec);
}

/**
 * Deletes an object with the apiserver's semantics, committing the same sequence of changes a
 * watcher of a real cluster sees:
 * - preconditions on uid and resourceVersion (Conflict);
 * - pods are deleted gracefully: `deletionTimestamp` = now + grace period (0 when unscheduled or
 *   finished), and only removed once the grace period is 0 and no finalizer is left (a later
 *   delete may shorten the period; the kubelet deletes with 0);
 * - `Foreground` adds the `foregroundDeletion` finalizer, `Orphan` the `orphan` finalizer;
 * - an object with finalizers gets `deletionTimestamp` and stays; otherwise it is removed;
 * - namespaces turn Terminating (their content is deleted by the namespace controller), and the
 *   system namespaces cannot be deleted.
 */
export function deleteObject(core: ClusterCore, request: RequestDescription, behaviour: ResourceBehaviour, key: { name: string; namespace?: string | undefined }, options: DeleteOptions): void {
  const resource = resourceKey(behaviour.type);
  const namespace = behaviour.type.namespaced ? key.namespace : undefined;
  const current = core.store.get(resource, namespace, key.name);
  if (current === undefined) throw notFound(request, behaviour.type, key.name);
  const meta = metaOf(current);
  const uid = text(meta.uid);
  const rv = text(meta.resourceVersion);
  if (options.preconditions?.uid !== undefined && options.preconditions.uid !== uid) throw preconditionConflict(request, behaviour.type, key.name, 'UID', options.preconditions.uid, uid);
  if (options.preconditions?.resourceVersion !== undefined && options.preconditions.resourceVersion !== rv) {
    throw preconditionConflict(request, behaviour.type, key.name, 'ResourceVersion', options.preconditions.resourceVersion, rv);
  }
  if (behaviour.type.kind === 'Namespace' && behaviour.type.group === '' && PROTECTED_NAMESPACES.has(key.name)) throw forbidden(request, behaviour.type, key.name, 'this namespace may not be deleted');
  const commit = (type: 'MODIFIED' | 'DELETED', object: JsonObject): void => {
    if (options.dryRun !== true) core.store.commit(resource, type, object, current);
  };
  const next = deepClone(current);
  const nextMeta = metaOf(next);
  const now = core.clock.now();
  const propagation = options.propagationPolicy === 'Foreground' ? 'foregroundDeletion' : options.propagationPolicy === 'Orphan' ? 'orphan' : undefined;
  const finalizers = finalizersOf(current);
  const wanted = propagation === undefined || finalizers.includes(propagation) ? finalizers : [...finalizers, propagation];
  withFinalizers(next, wanted);
  const bumpGeneration = (): void => {
    if (typeof nextMeta.generation === 'number') nextMeta.generation += 1;
  };

  if (behaviour.type.kind === 'Namespace' && behaviour.type.group === '') {
    if (meta.deletionTimestamp !== undefined) return;
    nextMeta.deletionTimestamp = formatTime(now);
    next.status = { ...(isJsonObject(next.status) ? next.status : {}), phase: 'Terminating' };
    commit('MODIFIED', next);
    return;
  }
  if (behaviour.gracefulDeletion) {
    const grace = podGracePeriod(current, options);
    const currentGrace = typeof meta.deletionGracePeriodSeconds === 'number' ? meta.deletionGracePeriodSeconds : 0;
    if (meta.deletionTimestamp === undefined) {
      nextMeta.deletionTimestamp = formatTime(now + grace * 1000);
      nextMeta.deletionGracePeriodSeconds = grace;
      bumpGeneration();
    } else if (grace < currentGrace) {
      const started = Date.parse(text(meta.deletionTimestamp)) - currentGrace * 1000;
      nextMeta.deletionTimestamp = formatTime(started + grace * 1000);
      nextMeta.deletionGracePeriodSeconds = grace;
    } else if (currentGrace !== 0 || wanted.length > 0) {
      if (wanted.length !== finalizers.length) commit('MODIFIED', next);
      return;
    } else {
      commit('DELETED', current);
      return;
    }
    commit('MODIFIED', next);
    if (nextMeta.deletionGracePeriodSeconds === 0 && wanted.length === 0 && options.dryRun !== true) core.store.commit(resource, 'DELETED', core.store.get(resource, namespace, key.name) ?? next, next);
    return;
  }
  if (wanted.length === 0) {
    commit('DELETED', current);
    return;
  }
  if (meta.deletionTimestamp === undefined) {
    nextMeta.deletionTimestamp = formatTime(now);
    nextMeta.deletionGracePeriodSeconds = 0;
    bumpGeneration();
    commit('MODIFIED', next);
  } else if (wanted.length !== finalizers.length) {
    commit('MODIFIED', next);
  }
}
