import { cacheKey, type Informer, type InformerEvent, type KubeObject, type ObjectKey } from '@kruise-ts/k8s-adapter';
import { filter, mergeMap, type Observable } from 'rxjs';
import type { EventPredicate } from './predicates.js';

/**
 * A source of keys for a controller: the keys to enqueue as an Observable, and a promise that
 * resolves when the cache behind it holds its first list (workers start after every source synced).
 */
export interface WatchSource {
  readonly keys$: Observable<string>;
  readonly synced: Promise<void>;
}

/** Options shared by the watch helpers. */
export interface WatchSourceOptions<T extends KubeObject> {
  /** Events failing this predicate enqueue nothing (default: every event passes). */
  readonly predicate?: EventPredicate<T> | undefined;
}

/** The owner kind {@link enqueueOwner} follows: `group` (or an `apiVersion` to take it from) and `kind`. */
export type OwnerKind = { readonly kind: string; readonly namespaced?: boolean | undefined } & ({ readonly group: string } | { readonly apiVersion: string });

/** Options of {@link enqueueOwner}. */
export interface EnqueueOwnerOptions<T extends KubeObject> extends WatchSourceOptions<T> {
  /** Follow only the owner reference with `controller: true` (default true), or every matching owner. */
  readonly controllerOnly?: boolean | undefined;
}

/**
 * Returns the queue key of an object, the same as its informer cache key: `namespace/name`, or
 * `name` for cluster-scoped objects: `{ namespace: 'default', name: 'web' }` → `default/web`.
 */
export function objectKeyOf(object: { readonly metadata: { readonly name?: string | undefined; readonly namespace?: string | undefined } }): string {
  return cacheKey(object.metadata);
}

/**
 * Returns the name and namespace a queue key stands for, to read the informer cache with:
 * `default/web` → `{ namespace: 'default', name: 'web' }`.
 */
export function parseObjectKey(key: string): ObjectKey {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Returns a source that enqueues the key of each object the informer reports (a CloneSet → its own key). */
export function enqueueObject<T extends KubeObject>(informer: Informer<T>, options: WatchSourceOptions<T> = {}): WatchSource {
  return enqueueMapped(informer, (object) => [objectKeyOf(object)], options);
}

/**
 * Returns a source that enqueues the owner of each object: a Pod owned (`controller: true`) by
 * CloneSet `web` in `default` enqueues `default/web`. On an update both the old and the new owner
 * are enqueued, so a released pod wakes the CloneSet it left. The version of `apiVersion` is ignored.
 */
export function enqueueOwner<T extends KubeObject>(informer: Informer<T>, owner: OwnerKind, options: EnqueueOwnerOptions<T> = {}): WatchSource {
  const group = 'group' in owner ? owner.group : groupOf(owner.apiVersion);
  const controllerOnly = options.controllerOnly ?? true;
  const ownerKeys = (object: T): string[] =>
    (object.metadata.ownerReferences ?? [])
      .filter((ref) => ref.kind === owner.kind && groupOf(ref.apiVersion) === group && (!controllerOnly || ref.controller === true))
      .map((ref) => objectKeyOf({ metadata: { name: ref.name, namespace: owner.namespaced === false ? undefined : object.metadata.namespace } }));
  return enqueueMapped(informer, ownerKeys, options);
}

/**
 * Returns a source that enqueues the keys `map` returns for each object (for updates, for the new
 * and the previous object, without repeats): e.g. a Node → the keys of the DaemonSets to revisit.
 */
export function enqueueMapped<T extends KubeObject>(informer: Informer<T>, map: (object: T) => readonly string[], options: WatchSourceOptions<T> = {}): WatchSource {
  const predicate = options.predicate ?? (() => true);
  const keysOf = (event: InformerEvent<T>): string[] => {
    const keys = map(event.object);
    return event.type === 'updated' ? [...new Set([...keys, ...map(event.previous)])] : [...keys];
  };
  return { keys$: informer.events$.pipe(filter(predicate), mergeMap(keysOf)), synced: informer.synced };
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
