import type { RequestDescription } from '../errors.js';
import type { DeleteOptions, KubeClient, ListOptions, ObjectKey, ObjectList, Patch, PatchOptions, WatchEvent, WatchOptions, WriteOptions } from '../ports.js';
import { Resources, resourcePath, type KubeObject, type ResourceType } from '../resourceType.js';
import { applyConflict, badRequest, notFound, patchRejected, resourceNotServed, resourceVersionRequired, unsupportedPatch } from './apiErrors.js';
import { deleteObject } from './deletion.js';
import type { WriteInterceptor } from './faultInjector.js';
import type { WriteTarget } from './faultRules.js';
import { applyJsonPatch } from './jsonPatch.js';
import { applyMergePatch } from './jsonMergePatch.js';
import { deepClone, isJsonObject, type JsonObject } from './jsonValue.js';
import { listObjects } from './listObjects.js';
import { resizedPod, withAddedEphemeralContainers } from './podStrategy.js';
import { resourceKey, type ResourceBehaviour } from './resourceRegistry.js';
import { routeRequest } from './requestRouter.js';
import { fromScale, toScale } from './scaleSubresource.js';
import { applyConfiguration } from './serverSideApply.js';
import { applyStrategicMergePatch } from './strategicMergePatch.js';
import { watchResource, type WatchSettings } from './watchStream.js';
import { createObject, fieldManagerContext, updateObject, type ClusterCore, type WriteContext } from './writePipeline.js';

/** Options of {@link createMemoryClient}. */
export interface MemoryClientOptions {
  /** Field manager of writes without one (default `kruise-ts`, as `createKubeClient`). */
  readonly fieldManager?: string | undefined;
  readonly watch?: WatchSettings | undefined;
  /** Runs each write request: the fault injector's hook (default: runs it as it is). */
  readonly interceptWrite?: WriteInterceptor | undefined;
}

const SUBRESOURCES = new Set(['status', 'scale', 'resize', 'ephemeralcontainers']);

// What a pod subresource write takes from the requested object.
const podSubresource = (subresource: string | undefined, live: JsonObject, requested: JsonObject): JsonObject =>
  subresource === 'resize' ? resizedPod(live, requested) : subresource === 'ephemeralcontainers' ? withAddedEphemeralContainers(live, requested) : requested;
const EVICTION_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/eviction$/;

/**
 * Returns a {@link KubeClient} over the memory cluster's storage, behaving like `createKubeClient`
 * against a kube-apiserver: same results, same tagged errors with the apiserver's Status bodies.
 */
export function createMemoryClient(core: ClusterCore, options: MemoryClientOptions = {}): KubeClient {
  const defaultManager = options.fieldManager ?? 'kruise-ts';
  const intercept: WriteInterceptor = options.interceptWrite ?? (<T>(_target: WriteTarget, perform: () => T) => run<T>(perform));
  /** Returns the outcome of the write `perform` of `target` (run at once), through the fault injector. */
  const write = <T>(target: WriteTarget, perform: () => unknown): Promise<T> =>
    intercept(target.type.namespaced ? target : { ...target, namespace: undefined }, perform) as Promise<T>;
  const behaviourOf = (type: ResourceType, request: RequestDescription): ResourceBehaviour => {
    const found = core.registry.find(type);
    if (found === undefined) throw resourceNotServed(request, false);
    return found;
  };
  const describe = (verb: string, type: ResourceType, target: { namespace?: string | undefined; name?: string | undefined; subresource?: string | undefined }): RequestDescription => ({
    verb,
    path: resourcePath(type, target),
  });
  const checkSubresource = (behaviour: ResourceBehaviour, request: RequestDescription, subresource: string | undefined): void => {
    if (subresource === undefined) return;
    const served = SUBRESOURCES.has(subresource) && (subresource !== 'status' || behaviour.statusSubresource) && (subresource !== 'scale' || behaviour.scale !== undefined) && (subresource !== 'resize' || behaviour.type.kind === 'Pod') && (subresource !== 'ephemeralcontainers' || behaviour.type.kind === 'Pod');
    if (!served) throw resourceNotServed(request, true);
  };
  const current = (behaviour: ResourceBehaviour, request: RequestDescription, key: ObjectKey): JsonObject => {
    const found = core.store.get(resourceKey(behaviour.type), behaviour.type.namespaced ? key.namespace : undefined, key.name);
    if (found === undefined) throw notFound(request, behaviour.type, key.name);
    return found;
  };
  const scaleOf = (behaviour: ResourceBehaviour, object: JsonObject): JsonObject => (behaviour.scale === undefined ? object : toScale(object, behaviour.scale));

  function patched(ctx: WriteContext, base: JsonObject, patch: Patch): JsonObject {
    if (patch.type === 'merge') {
      const result = applyMergePatch(base, patch.body);
      if (!isJsonObject(result)) throw badRequest(ctx.request, 'the patch does not produce an object');
      return result;
    }
    if (patch.type === 'strategic') {
      if (!ctx.behaviour.strategicMerge && ctx.subresource !== 'scale') throw unsupportedPatch(ctx.request);
      return applyStrategicMergePatch(base, patch.body as JsonObject, ctx.behaviour.listStrategy);
    }
    try {
      const result = applyJsonPatch(base, patch.type === 'json' ? patch.operations : []);
      if (!isJsonObject(result)) throw new Error('not an object');
      return result;
    } catch {
      throw patchRejected(ctx.request);
    }
  }

  function apply(ctx: WriteContext, live: JsonObject | undefined, key: ObjectKey, body: KubeObject, force: boolean): JsonObject {
    const config = deepClone(body) as unknown as JsonObject;
    const result = applyConfiguration(live, config, fieldManagerContext(core, ctx), force);
    if (result.kind === 'conflict') throw applyConflict(ctx.request, result.conflicts);
    if (live === undefined) {
      const object = { ...result.object, metadata: { ...(result.object.metadata as JsonObject), name: key.name, ...(key.namespace === undefined ? {} : { namespace: key.namespace }) } };
      return createObject(core, ctx, object, result.managedFields);
    }
    const next = { ...result.object, metadata: { ...(result.object.metadata as JsonObject), managedFields: result.managedFields as unknown as JsonObject[] } };
    return updateObject(core, ctx, live, next, result.managedFields);
  }

  const client: KubeClient = {
    get: <T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, o?: { subresource?: string }) =>
      run<T>(() => {
        const request = describe('GET', type, { ...key, subresource: o?.subresource });
        const behaviour = behaviourOf(type, request);
        checkSubresource(behaviour, request, o?.subresource);
        const object = current(behaviour, request, key);
        return deepClone(o?.subresource === 'scale' ? scaleOf(behaviour, object) : object);
      }),

    list: <T extends KubeObject>(type: ResourceType<T>, o: ListOptions = {}) =>
      run<ObjectList<T>>(() => {
        const request = describe('GET', type, { namespace: o.namespace });
        return listObjects(core, behaviourOf(type, request), request, o);
      }),

    create: <T extends KubeObject>(type: ResourceType<T>, object: T, o?: WriteOptions) => {
      const request = describe('POST', type, { namespace: object.metadata.namespace });
      const manager = o?.fieldManager ?? defaultManager;
      return write<T>({ request, verb: 'create', type, subresource: undefined, name: object.metadata.name, namespace: object.metadata.namespace, fieldManager: manager }, () => {
        const ctx = { request, behaviour: behaviourOf(type, request), manager, subresource: undefined, dryRun: o?.dryRun === true };
        return createObject(core, ctx, object as unknown as JsonObject);
      });
    },

    replace: <T extends KubeObject>(type: ResourceType<T>, object: T, o?: WriteOptions & { subresource?: string }) => {
      const key = { name: object.metadata.name ?? '', namespace: object.metadata.namespace };
      const request = describe('PUT', type, { ...key, subresource: o?.subresource });
      const manager = o?.fieldManager ?? defaultManager;
      return write<T>({ request, verb: 'update', type, subresource: o?.subresource, ...key, fieldManager: manager }, () => {
        const behaviour = behaviourOf(type, request);
        checkSubresource(behaviour, request, o?.subresource);
        const ctx = { request, behaviour, manager, subresource: o?.subresource, dryRun: o?.dryRun === true };
        const live = current(behaviour, request, key);
        const body = object as unknown as JsonObject;
        if (!behaviour.unconditionalUpdate && o?.subresource !== 'scale' && (object.metadata.resourceVersion ?? '') === '') throw resourceVersionRequired(request, behaviour.type, key.name);
        if (o?.subresource === 'scale' && behaviour.scale !== undefined) return scaleOf(behaviour, updateObject(core, ctx, live, fromScale(live, body, behaviour.scale)));
        return updateObject(core, ctx, live, podSubresource(o?.subresource, live, body));
      });
    },

    patch: <T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, patch: Patch, o?: PatchOptions) => {
      const request = describe('PATCH', type, { ...key, subresource: o?.subresource });
      const manager = o?.fieldManager ?? defaultManager;
      return write<T>({ request, verb: 'patch', type, subresource: o?.subresource, name: key.name, namespace: key.namespace, fieldManager: manager }, () => {
        const behaviour = behaviourOf(type, request);
        checkSubresource(behaviour, request, o?.subresource);
        const ctx: WriteContext = { request, behaviour, manager, subresource: o?.subresource, dryRun: o?.dryRun === true };
        const namespace = behaviour.type.namespaced ? key.namespace : undefined;
        const live = core.store.get(resourceKey(behaviour.type), namespace, key.name);
        if (patch.type === 'apply' && o?.subresource !== 'scale') {
          if (live === undefined && o?.subresource !== undefined) throw notFound(request, behaviour.type, key.name);
          return apply(ctx, live, { name: key.name, namespace }, patch.body, patch.force === true);
        }
        if (live === undefined) throw notFound(request, behaviour.type, key.name);
        if (o?.subresource === 'scale' && behaviour.scale !== undefined) {
          const scale = toScale(live, behaviour.scale);
          const written = patch.type === 'apply' ? applyMergePatch(scale, patch.body) : patched(ctx, scale, patch);
          return scaleOf(behaviour, updateObject(core, ctx, live, fromScale(live, written as JsonObject, behaviour.scale)));
        }
        const next = patched(ctx, live, patch);
        return updateObject(core, ctx, live, podSubresource(o?.subresource, live, next));
      });
    },

    delete: (type, key, o = {}) => {
      const request = describe('DELETE', type, key);
      return write({ request, verb: 'delete', type, subresource: undefined, name: key.name, namespace: key.namespace, fieldManager: defaultManager }, () => {
        deleteObject(core, request, behaviourOf(type, request), key, o);
      });
    },

    watch: <T extends KubeObject>(type: ResourceType<T>, o: WatchOptions = {}): AsyncIterable<WatchEvent<T>> => {
      const request = describe('GET', type, { namespace: o.namespace });
      const behaviour = core.registry.find(type);
      if (behaviour !== undefined) return watchResource<T>(core, behaviour, o, request, options.watch ?? {});
      return {
        [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(resourceNotServed(request, false)) }),
      };
    },

    request: (verb, path, o = {}) => {
      const eviction = verb === 'POST' ? EVICTION_PATH.exec(path.split('?')[0] ?? '') : null;
      if (eviction === null) return routeRequest(client, (type) => core.registry.find(type)?.type.kind, verb, path, o);
      // No PodDisruptionBudgets in the memory cluster: an eviction is a delete with its options.
      const key = { namespace: decodeURIComponent(eviction[1] ?? ''), name: decodeURIComponent(eviction[2] ?? '') };
      const request = describe(verb, Resources.Pod, { ...key, subresource: 'eviction' });
      return write({ request, verb: 'create', type: Resources.Pod, subresource: 'eviction', ...key, fieldManager: defaultManager }, () => {
        deleteObject(core, request, behaviourOf(Resources.Pod, request), key, (o.body as { deleteOptions?: DeleteOptions } | undefined)?.deleteOptions ?? {});
        return { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 };
      });
    },
  };
  return client;
}

/** Returns the result of `fn` as a promise (its exception as a rejection), like a request would. */
function run<T>(fn: () => unknown): Promise<T> {
  try {
    return Promise.resolve(fn() as T);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
