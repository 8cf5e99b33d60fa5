import type { Observable } from 'rxjs';
import type { KubeObject } from '../resourceType.js';

/** A change seen by an informer; `updated` carries the object before the change. */
export type InformerEvent<T extends KubeObject> =
  | { readonly type: 'added'; readonly object: T }
  | { readonly type: 'updated'; readonly object: T; readonly previous: T }
  | { readonly type: 'deleted'; readonly object: T };

/** Read access to an informer's cache (never a network call); the objects are shared, never mutate them. */
export interface ObjectStore<T extends KubeObject> {
  /** Returns the cached object, or undefined. */
  get(key: { readonly name: string; readonly namespace?: string | undefined }): T | undefined;
  /** Returns every cached object (optionally in one namespace). */
  list(namespace?: string): T[];
  /** Returns the objects an index maps `value` to, e.g. `byIndex('owner', ownerUid)`. */
  byIndex(index: string, value: string): T[];
  /** The resourceVersion of the last list or event applied. */
  readonly resourceVersion: string;
}

/**
 * A list+watch cache of one resource type (and selector): `events$` emits every change after the
 * initial list (late subscribers first get `added` for what is cached), `synced` resolves once
 * the first list is in the store, `store` reads the cache.
 */
export interface Informer<T extends KubeObject> {
  readonly events$: Observable<InformerEvent<T>>;
  readonly synced: Promise<void>;
  readonly store: ObjectStore<T>;
  /** Stops watching; `events$` completes. */
  stop(): void;
}
