import type { WatchEvent } from '../ports.js';
import type { KubeObject } from '../resourceType.js';
import type { IndexFunction } from './indexes.js';
import type { InformerEvent, ObjectStore } from './informer.js';

/**
 * Returns the cache key of an object: `namespace/name`, or `name` for a cluster-scoped object
 * (client-go's `MetaNamespaceKeyFunc`).
 *
 * @example cacheKey({ name: 'web-0', namespace: 'default' }) → 'default/web-0'
 */
export function cacheKey(key: { readonly name?: string | undefined; readonly namespace?: string | undefined }): string {
  const name = key.name ?? '';
  return key.namespace === undefined || key.namespace === '' ? name : `${key.namespace}/${name}`;
}

/**
 * The writable side of an informer's cache. Every write returns the change it made as informer
 * events, so the caller emits exactly what the readers can already see.
 */
export interface MutableObjectStore<T extends KubeObject> extends ObjectStore<T> {
  /** Number of cached objects. */
  readonly size: number;
  /**
   * Applies one watch event; returns the change, or undefined when nothing changed (same
   * resourceVersion, bookmark). ADDED of a cached object is an update, MODIFIED of an unknown one
   * an addition.
   */
  apply(event: WatchEvent<T>): InformerEvent<T> | undefined;
  /**
   * Replaces the whole content in one step (after a list) and returns the difference: `added`
   * for new objects, `updated` for a changed resourceVersion, `deleted` for vanished objects.
   */
  replace(items: readonly T[], resourceVersion: string): InformerEvent<T>[];
  /** Adds indexes (and indexes what is cached); throws when a name is taken by another function. */
  addIndexes(indexes: Readonly<Record<string, IndexFunction<T>>>): void;
}

interface Index<T extends KubeObject> {
  readonly fn: IndexFunction<T>;
  readonly values: Map<string, Set<string>>;
}

/** Returns an empty {@link MutableObjectStore} with the given indexes. */
export function createObjectStore<T extends KubeObject>(indexes: Readonly<Record<string, IndexFunction<T>>> = {}): MutableObjectStore<T> {
  let objects = new Map<string, T>();
  let resourceVersion = '';
  const indexMap = new Map<string, Index<T>>();

  const indexObject = (index: Index<T>, key: string, object: T): void => {
    for (const value of index.fn(object)) {
      const keys = index.values.get(value) ?? new Set<string>();
      keys.add(key);
      index.values.set(value, keys);
    }
  };
  const unindexObject = (index: Index<T>, key: string, object: T): void => {
    for (const value of index.fn(object)) {
      const keys = index.values.get(value);
      keys?.delete(key);
      if (keys?.size === 0) index.values.delete(value);
    }
  };
  const put = (key: string, object: T | undefined): void => {
    const old = objects.get(key);
    for (const index of indexMap.values()) {
      if (old !== undefined) unindexObject(index, key, old);
      if (object !== undefined) indexObject(index, key, object);
    }
    if (object === undefined) objects.delete(key);
    else objects.set(key, object);
  };
  const rebuild = (index: Index<T>): void => {
    index.values.clear();
    for (const [key, object] of objects) indexObject(index, key, object);
  };

  const store: MutableObjectStore<T> = {
    get: (key) => objects.get(cacheKey(key)),
    list: (namespace) => [...objects.values()].filter((o) => namespace === undefined || o.metadata.namespace === namespace),
    byIndex(name, value) {
      const index = indexMap.get(name);
      if (index === undefined) throw new Error(`no index named ${name} (known: ${[...indexMap.keys()].join(', ')})`);
      return [...(index.values.get(value) ?? [])].flatMap((key) => objects.get(key) ?? []);
    },
    get resourceVersion() {
      return resourceVersion;
    },
    get size() {
      return objects.size;
    },
    apply(event) {
      if (event.type === 'BOOKMARK') {
        resourceVersion = event.resourceVersion;
        return undefined;
      }
      resourceVersion = event.object.metadata.resourceVersion ?? resourceVersion;
      const key = cacheKey(event.object.metadata);
      const previous = objects.get(key);
      if (event.type !== 'DELETED') {
        put(key, event.object);
        return changeOf(previous, event.object);
      }
      put(key, undefined);
      // The event's object is the final state (with its deletionTimestamp), even if never cached.
      return { type: 'deleted', object: event.object };
    },
    replace(items, listResourceVersion) {
      const next = new Map(items.map((item) => [cacheKey(item.metadata), item] as const));
      const changes: InformerEvent<T>[] = [];
      for (const [key, object] of next) {
        const change = changeOf(objects.get(key), object);
        if (change !== undefined) changes.push(change);
      }
      for (const [key, object] of objects) if (!next.has(key)) changes.push({ type: 'deleted', object });
      objects = next;
      resourceVersion = listResourceVersion;
      for (const index of indexMap.values()) rebuild(index);
      return changes;
    },
    addIndexes(added) {
      for (const [name, fn] of Object.entries(added)) {
        const existing = indexMap.get(name);
        if (existing !== undefined && existing.fn !== fn) throw new Error(`index ${name} already exists with another function`);
        if (existing !== undefined) continue;
        const index = { fn, values: new Map<string, Set<string>>() };
        indexMap.set(name, index);
        rebuild(index);
      }
    },
  };
  store.addIndexes(indexes);
  return store;
}

/** Returns the informer event for a cache entry going from `previous` to `next`, or undefined when unchanged. */
function changeOf<T extends KubeObject>(previous: T | undefined, next: T): InformerEvent<T> | undefined {
  if (previous === undefined) return { type: 'added', object: next };
  if (previous.metadata.resourceVersion === next.metadata.resourceVersion && previous.metadata.uid === next.metadata.uid) return undefined;
  return { type: 'updated', object: next, previous };
}
