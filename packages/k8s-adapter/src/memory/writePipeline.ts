import type { RequestDescription } from '../errors.js';
import type { Clock } from '../ports.js';
import { apiVersionOf } from '../resourceType.js';
import { alreadyExists, forbidden, internalError, invalid, namespaceNotFound, resourceNotServed, staleConflict, type FieldError } from './apiErrors.js';
import type { IdSource } from './idSource.js';
import { removeKey, deepClone, deepEqual, isJsonObject, type JsonObject } from './jsonValue.js';
import { recordUpdate, type FieldManagerContext, type ManagedFieldsEntry } from './managedFields.js';
import type { MemoryStore } from './memoryStore.js';
import { formatTime, metadataErrors } from './objectValidation.js';
import { resourceKey, type ResourceBehaviour, type ResourceRegistry } from './resourceRegistry.js';

/** What every part of the memory cluster works on: storage, kinds, time and identifiers. */
export interface ClusterCore {
  readonly store: MemoryStore;
  readonly registry: ResourceRegistry;
  readonly clock: Clock;
  readonly ids: IdSource;
}

/** One write request: which kind, who writes, through which subresource. */
export interface WriteContext {
  readonly request: RequestDescription;
  readonly behaviour: ResourceBehaviour;
  readonly manager: string;
  readonly subresource: string | undefined;
  readonly dryRun: boolean;
}

/** Returns the metadata object of `object` (creating it when missing). */
export function metaOf(object: JsonObject): JsonObject {
  return isJsonObject(object.metadata) ? object.metadata : (object.metadata = {});
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const METADATA_ORDER = ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];

const EMPTY_DROPPED = ['labels', 'annotations', 'finalizers', 'ownerReferences', 'managedFields'];
const isEmpty = (value: unknown): boolean => (Array.isArray(value) ? value.length === 0 : isJsonObject(value) && Object.keys(value).length === 0);

/**
 * Returns `object` with its keys in the apiserver's order (apiVersion, kind, metadata, spec,
 * status...) and empty metadata maps and lists left out, as the apiserver's typed metadata does.
 */
function ordered(object: JsonObject): JsonObject {
  const meta = metaOf(object);
  for (const field of EMPTY_DROPPED) if (isEmpty(meta[field])) removeKey(meta, field);
  meta.resourceVersion ??= '';
  const metadata: JsonObject = {};
  for (const key of [...METADATA_ORDER, ...Object.keys(meta)]) if (meta[key] !== undefined && !Object.hasOwn(metadata, key)) metadata[key] = meta[key];
  const result: JsonObject = {};
  for (const key of ['apiVersion', 'kind', 'metadata', 'spec', ...Object.keys(object).filter((k) => k !== 'status'), 'status']) {
    const value = key === 'metadata' ? metadata : object[key];
    if (value !== undefined && !Object.hasOwn(result, key)) result[key] = value;
  }
  return result;
}

function managerContext(core: ClusterCore, ctx: WriteContext): FieldManagerContext {
  const sub = ctx.subresource;
  return {
    manager: ctx.manager,
    apiVersion: apiVersionOf(ctx.behaviour.type),
    subresource: sub,
    time: formatTime(core.clock.now()),
    strategyOf: ctx.behaviour.listStrategy,
    sections: sub === 'status' ? (f) => f === 'status' : ctx.behaviour.statusSubresource ? (f) => f !== 'status' : () => true,
    alwaysPresent: ctx.behaviour.alwaysPresent,
  };
}

/** Returns the field-manager context of a write (for server-side apply). */
export function fieldManagerContext(core: ClusterCore, ctx: WriteContext): FieldManagerContext {
  return managerContext(core, ctx);
}

/** Throws NotFound when `namespace` does not exist and Forbidden when it is terminating. */
export function checkNamespace(core: ClusterCore, ctx: WriteContext, namespace: string, name: string): void {
  const ns = core.store.get('/namespaces', undefined, namespace);
  if (ns === undefined) throw namespaceNotFound(ctx.request, namespace);
  if (metaOf(ns).deletionTimestamp !== undefined) {
    const causes = [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }];
    throw forbidden(ctx.request, ctx.behaviour.type, name, `unable to create new content in namespace ${namespace} because it is being terminated`, causes);
  }
}

function withoutVersion(object: JsonObject): JsonObject {
  delete metaOf(object).resourceVersion;
  return object;
}

const TOPOLOGY_LABELS = ['topology.kubernetes.io/zone', 'topology.kubernetes.io/region'];

/**
 * Copies the node's zone and region labels onto a pod bound to it (mutates the pod), as the
 * PodTopologyLabels admission plugin does on create with `nodeName` and on binding.
 */
export function addTopologyLabels(core: ClusterCore, pod: JsonObject): void {
  const nodeName = isJsonObject(pod.spec) ? str(pod.spec.nodeName) : undefined;
  const node = nodeName === undefined ? undefined : core.store.get('/nodes', undefined, nodeName);
  const nodeLabels = node === undefined ? undefined : metaOf(node).labels;
  if (!isJsonObject(nodeLabels)) return;
  const meta = metaOf(pod);
  const labels = isJsonObject(meta.labels) ? meta.labels : {};
  for (const key of TOPOLOGY_LABELS) if (typeof nodeLabels[key] === 'string') labels[key] = nodeLabels[key];
  if (Object.keys(labels).length > 0) meta.labels = labels;
}

const specOf = (object: JsonObject): JsonObject => {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = object;
  return rest;
};

/**
 * Returns an object created as the apiserver creates it, as stored: namespace checks, generated
 * name, defaulting and admission, validation, uid, creationTimestamp, generation, managedFields
 * (`applied` for a server-side apply) and a new resourceVersion. Fails with the apiserver's
 * errors (AlreadyExists, Invalid, namespace NotFound...).
 */
export function createObject(core: ClusterCore, ctx: WriteContext, input: JsonObject, applied?: ManagedFieldsEntry[]): JsonObject {
  const { behaviour } = ctx;
  if (ctx.subresource !== undefined) throw resourceNotServed(ctx.request, true);
  const object = deepClone(input);
  object.apiVersion = apiVersionOf(behaviour.type);
  object.kind = behaviour.type.kind;
  const meta = metaOf(object);
  if (str(meta.resourceVersion) !== undefined && meta.resourceVersion !== '') throw internalError(ctx.request, 'resourceVersion should not be set on objects to be created');
  if (meta.name === undefined && typeof meta.generateName === 'string') meta.name = `${meta.generateName}${core.ids.nameSuffix()}`;
  const name = str(meta.name) ?? '';
  const namespace = behaviour.type.namespaced ? str(meta.namespace) : undefined;
  if (behaviour.type.namespaced) checkNamespace(core, ctx, namespace ?? '', name);
  else delete meta.namespace;
  if (behaviour.statusSubresource && behaviour.type.kind !== 'Node') delete object.status;
  for (const field of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'generation', 'uid', 'creationTimestamp']) removeKey(meta, field);
  behaviour.decode?.(object);
  const fields = applied ?? (ctx.manager === '' ? [] : recordUpdate(undefined, object, managerContext(core, ctx)));
  behaviour.admitCreate?.(object);
  if (behaviour.type.kind === 'Pod' && behaviour.type.group === '') addTopologyLabels(core, object);
  const errors: FieldError[] = [...metadataErrors(object, behaviour.nameFormat), ...(behaviour.validateCreate?.(object) ?? [])];
  if (errors.length > 0) throw invalid(ctx.request, behaviour.type, name, errors);
  const key = resourceKey(behaviour.type);
  if (core.store.get(key, namespace, name) !== undefined) throw alreadyExists(ctx.request, behaviour.type, name);
  meta.uid = core.ids.uid();
  meta.creationTimestamp = formatTime(core.clock.now());
  if (behaviour.generation) meta.generation = 1;
  if (fields.length > 0) meta.managedFields = fields as unknown as JsonObject[];
  if (ctx.dryRun) return withoutVersion(ordered(object));
  return deepClone(core.store.commit(key, 'ADDED', ordered(object)).object);
}

function projectSubresource(ctx: WriteContext, current: JsonObject, next: JsonObject): JsonObject {
  if (ctx.subresource === 'status') {
    const result = deepClone(current);
    if (next.status === undefined) delete result.status;
    else result.status = deepClone(next.status);
    // The pods/status strategy keeps the new labels and annotations (only spec, ownerReferences
    // and deletionTimestamp are reset): kruise-daemon reports runtime-containers-meta this way.
    if (ctx.behaviour.type.kind === 'Pod') {
      const [resultMeta, nextMeta] = [metaOf(result), metaOf(next)];
      const fields = ['labels', 'annotations'];
      const kept = Object.entries(resultMeta).filter(([field]) => !fields.includes(field));
      const taken = fields.flatMap((field) => (nextMeta[field] === undefined ? [] : [[field, deepClone(nextMeta[field])] as const]));
      result.metadata = Object.fromEntries<unknown>([...kept, ...taken]) as JsonObject;
    }
    return result;
  }
  if (ctx.subresource === undefined && ctx.behaviour.statusSubresource) {
    const result = deepClone(next);
    if (current.status === undefined) delete result.status;
    else result.status = deepClone(current.status);
    return result;
  }
  return deepClone(next);
}

function newFinalizers(current: JsonObject, next: JsonObject): string[] {
  const before = new Set(Array.isArray(metaOf(current).finalizers) ? (metaOf(current).finalizers as string[]) : []);
  const after = Array.isArray(metaOf(next).finalizers) ? (metaOf(next).finalizers as string[]) : [];
  return after.filter((f) => !before.has(f));
}

/**
 * Returns the object after writing `requested` over `current` as an update (replace, patch,
 * apply or a subresource write): resourceVersion precondition, subresource projection (status kept or only
 * status taken), admission and validation, generation bump on spec changes, managedFields, no-op
 * detection (nothing written, same resourceVersion), and deletion once a deleting object has lost
 * its last finalizer.
 */
export function updateObject(core: ClusterCore, ctx: WriteContext, current: JsonObject, requested: JsonObject, applied?: ManagedFieldsEntry[]): JsonObject {
  const { behaviour } = ctx;
  const currentMeta = metaOf(current);
  const name = str(currentMeta.name) ?? '';
  const sentVersion = str(metaOf(requested).resourceVersion);
  if (sentVersion !== undefined && sentVersion !== '' && sentVersion !== currentMeta.resourceVersion) throw staleConflict(ctx.request, behaviour.type, name);
  const next = projectSubresource(ctx, current, requested);
  next.apiVersion = current.apiVersion ?? null;
  next.kind = current.kind ?? null;
  const meta = metaOf(next);
  for (const field of ['name', 'namespace', 'uid', 'creationTimestamp', 'generation', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'resourceVersion']) {
    if (currentMeta[field] === undefined) removeKey(meta, field);
    else meta[field] = currentMeta[field] ?? null;
  }
  const errors: FieldError[] = [];
  const added = currentMeta.deletionTimestamp === undefined ? [] : newFinalizers(current, next);
  if (added.length > 0) {
    const list = added.map((f) => JSON.stringify(f)).join(', ');
    errors.push({ field: 'metadata.finalizers', reason: 'FieldValueForbidden', detail: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${list}}` });
  }
  behaviour.decode?.(next);
  const fields = applied ?? recordUpdate(current, next, managerContext(core, ctx));
  if (ctx.subresource === undefined) {
    behaviour.admitUpdate?.(next);
    errors.push(...metadataErrors(next, behaviour.nameFormat).filter((e) => e.field !== 'metadata.name'), ...(behaviour.validateUpdate?.(current, next) ?? []));
  }
  if (errors.length > 0) throw invalid(ctx.request, behaviour.type, name, errors);
  if (behaviour.generation && !deepEqual(specOf(current), specOf(next))) meta.generation = (typeof currentMeta.generation === 'number' ? currentMeta.generation : 0) + 1;
  if (fields.length > 0) meta.managedFields = fields as unknown as JsonObject[];
  else delete meta.managedFields;
  if (deepEqual(current, next)) return deepClone(current);
  if (ctx.dryRun) return ordered(next);
  const key = resourceKey(behaviour.type);
  const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
  if (meta.deletionTimestamp !== undefined && finalizers.length === 0 && (meta.deletionGracePeriodSeconds ?? 0) === 0) {
    core.store.commit(key, 'DELETED', current, current);
    return ordered(next);
  }
  return deepClone(core.store.commit(key, 'MODIFIED', ordered(next), current).object);
}
