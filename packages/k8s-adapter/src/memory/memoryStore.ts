import { deepClone, isJsonObject, type JsonObject } from './jsonValue.js';

/** A change committed to the store, as watchers and the cluster's controllers see it. */
export interface StoredEvent {
  /** The resource (registry key, e.g. `/pods`, `apps.kruise.io/clonesets`). */
  readonly resource: string;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The object after the change (for DELETED: its last state, carrying the deletion's resourceVersion). */
  readonly object: JsonObject;
  /** The object before the change (MODIFIED and DELETED). */
  readonly previous: JsonObject | undefined;
  readonly resourceVersion: number;
}

/** The object storage of the memory cluster: one revision counter for all kinds, like etcd. */
export interface MemoryStore {
  /** The latest revision (the resourceVersion of the last write). */
  readonly revision: number;
  /** Returns the stored object (not a copy: callers must not modify it). */
  get(resource: string, namespace: string | undefined, name: string): JsonObject | undefined;
  /** Returns the stored objects of a resource, sorted by namespace then name (etcd key order). */
  list(resource: string, namespace?: string): JsonObject[];
  /** Stores `object` (ADDED, MODIFIED) or removes it (DELETED) at a new revision; returns the event. */
  commit(resource: string, type: StoredEvent['type'], object: JsonObject, previous?: JsonObject): StoredEvent;
  /** Returns the events of `resource` after `revision`, or undefined when they were compacted. */
  eventsSince(resource: string, revision: number): StoredEvent[] | undefined;
  /** The oldest revision a watch of `resource` can start from. */
  watchFloor(resource: string): number;
  /** Marks `resource` as served from the current revision on (a CRD being established). */
  markServed(resource: string): void;
  /** Forgets the history: watches from an older resourceVersion then fail with 410 Gone. */
  compact(): void;
  /** Calls `listener` synchronously after every commit; returns the unsubscribe function. */
  subscribe(listener: (event: StoredEvent) => void): () => void;
}

const keyOf = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

/** Returns an empty store keeping the last `historyLimit` events for watches (default 10 000). */
export function createMemoryStore(historyLimit = 10_000): MemoryStore {
  const objects = new Map<string, Map<string, JsonObject>>();
  const history: StoredEvent[] = [];
  const servedFrom = new Map<string, number>();
  const listeners = new Set<(event: StoredEvent) => void>();
  let revision = 0;
  let compactedAt = 0;

  const bucket = (resource: string): Map<string, JsonObject> => {
    let map = objects.get(resource);
    if (map === undefined) objects.set(resource, (map = new Map<string, JsonObject>()));
    return map;
  };
  const meta = (object: JsonObject): JsonObject => (isJsonObject(object.metadata) ? object.metadata : {});

  return {
    get revision() {
      return revision;
    },
    get: (resource, namespace, name) => objects.get(resource)?.get(keyOf(namespace, name)),
    list(resource, namespace) {
      const all = [...(objects.get(resource)?.entries() ?? [])];
      const selected = namespace === undefined ? all : all.filter(([, o]) => meta(o).namespace === namespace);
      return selected.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
    },
    commit(resource, type, object, previous) {
      revision++;
      const stored = deepClone(object);
      meta(stored).resourceVersion = String(revision);
      const m = meta(stored);
      const key = keyOf(typeof m.namespace === 'string' ? m.namespace : undefined, typeof m.name === 'string' ? m.name : '');
      if (type === 'DELETED') bucket(resource).delete(key);
      else bucket(resource).set(key, stored);
      const event: StoredEvent = { resource, type, object: stored, previous: previous === undefined ? undefined : deepClone(previous), resourceVersion: revision };
      history.push(event);
      if (history.length > historyLimit) compactedAt = history.shift()?.resourceVersion ?? compactedAt;
      for (const listener of [...listeners]) listener(event);
      return event;
    },
    eventsSince(resource, since) {
      if (since < Math.max(compactedAt, servedFrom.get(resource) ?? 0)) return undefined;
      return history.filter((e) => e.resource === resource && e.resourceVersion > since);
    },
    watchFloor: (resource) => Math.max(compactedAt, servedFrom.get(resource) ?? 0),
    markServed(resource) {
      if (!servedFrom.has(resource)) servedFrom.set(resource, revision);
    },
    compact() {
      compactedAt = revision;
      history.length = 0;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
