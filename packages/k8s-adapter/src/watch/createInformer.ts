import { Subject, concat, defer, from, type Observable } from 'rxjs';
import { systemClock } from '../client/systemClock.js';
import type { Clock, KubeClient } from '../ports.js';
import type { KubeObject, ResourceType } from '../resourceType.js';
import { createBackoff, type BackoffOptions } from './backoff.js';
import { DEFAULT_INDEXES, type IndexFunction } from './indexes.js';
import type { Informer, InformerEvent } from './informer.js';
import type { InformerMetricSink } from './informerMetric.js';
import { runListWatch, type ListWatchSink } from './listWatch.js';
import { createObjectStore, type MutableObjectStore } from './objectStore.js';

/** Options of {@link createInformer}. */
export interface InformerOptions<T extends KubeObject> {
  /** Namespace to watch; omitted = all namespaces (or a cluster-scoped kind). */
  readonly namespace?: string | undefined;
  /** Label selector, e.g. `app=web`. */
  readonly labelSelector?: string | undefined;
  /** Field selector, e.g. `spec.nodeName=node-1`. */
  readonly fieldSelector?: string | undefined;
  /**
   * Extra indexes by name (`uid`, `owner` and `node` always exist), e.g. `labelIndexes(['app'])`
   * or `{ image: (pod) => pod.spec.containers.map((c) => c.image) }`.
   */
  readonly indexes?: Readonly<Record<string, IndexFunction<T>>> | undefined;
  /** Time source of the watchdog and the backoff (default the system clock). */
  readonly clock?: Clock | undefined;
  /**
   * A watch with no event nor bookmark for this long is restarted (default 5 min): client-node
   * watches can stop silently on half-open connections. Each watch also asks the server to end
   * it after 50–90 % of this time, so healthy idle watches rotate before the watchdog fires.
   */
  readonly watchdogMs?: number | undefined;
  /** Retry pacing after failures (default 800 ms doubling to 30 s, ±20 % jitter). */
  readonly backoff?: BackoffOptions | undefined;
  /** Receives restarts, events, relists and the store size (e.g. to feed Prometheus). */
  readonly onMetric?: InformerMetricSink | undefined;
  /** Page size of lists (default 500, as client-go). */
  readonly pageSize?: number | undefined;
  /**
   * Applied to every object before it is cached (client-go's `SetTransform`), to keep only what
   * readers need. Default {@link withoutManagedFields}: `metadata.managedFields` is dropped, often
   * half of a pod's bytes. Pass `(o) => o` to cache objects whole.
   */
  readonly transform?: ((object: T) => T) | undefined;
}

/**
 * Returns `object` without `metadata.managedFields` (the same object when it has none), the
 * informers' default transform.
 *
 * @example withoutManagedFields({ metadata: { name: 'web-0', managedFields: [ ... ] }, spec }) → { metadata: { name: 'web-0' }, spec }
 */
export function withoutManagedFields<T extends KubeObject>(object: T): T {
  if (object.metadata.managedFields === undefined) return object;
  const { managedFields: _dropped, ...metadata } = object.metadata;
  return { ...object, metadata };
}

/** Default of {@link InformerOptions.watchdogMs}: 5 minutes. */
export const DEFAULT_WATCHDOG_MS = 5 * 60 * 1000;

/** An informer together with the writable store behind it (for the shared factory). */
export interface InformerHandle<T extends KubeObject> {
  readonly informer: Informer<T>;
  readonly store: MutableObjectStore<T>;
}

/**
 * Returns an informer over `type` that starts at once: it lists, then watches from the list's
 * resourceVersion with bookmarks, resuming after normal ends and transport failures, relisting
 * after 410 Gone (the store is swapped in one step and the difference emitted as events), and
 * restarting watches that stay silent for `watchdogMs`. Call `stop()` when done.
 *
 * @example
 * ```ts
 * const pods = createInformer(client, Resources.Pod, { namespace: 'default', indexes: labelIndexes(['app']) });
 * await pods.synced;
 * pods.store.byIndex('owner', cloneSet.metadata.uid);
 * pods.events$.subscribe((e) => queue.add(e.object.metadata.name));
 * ```
 */
export function createInformer<T extends KubeObject>(client: KubeClient, type: ResourceType<T>, options: InformerOptions<T> = {}): Informer<T> {
  return startInformer(client, type, options).informer;
}

/** Returns a started informer and its writable store (see {@link createInformer}). */
export function startInformer<T extends KubeObject>(client: KubeClient, type: ResourceType<T>, options: InformerOptions<T> = {}): InformerHandle<T> {
  const store = createObjectStore<T>({ ...(DEFAULT_INDEXES as Record<string, IndexFunction<T>>), ...options.indexes });
  const changes = new Subject<InformerEvent<T>>();
  const abort = new AbortController();
  const sync = deferred();
  const watchdogMs = options.watchdogMs ?? DEFAULT_WATCHDOG_MS;
  const sink = informerSink(store, changes, resourceName(type), options.onMetric, abort.signal, sync.resolve, options.transform ?? withoutManagedFields);
  const settings = {
    namespace: options.namespace,
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
    pageSize: options.pageSize ?? 500,
    clock: options.clock ?? systemClock(),
    watchdogMs,
    watchTimeoutSeconds: () => Math.max(1, Math.floor((watchdogMs / 1000) * (0.5 + 0.4 * Math.random()))),
    backoff: createBackoff(options.backoff),
  };
  void runListWatch(client, type, settings, sink, abort.signal);

  // Snapshot and subscribe in one synchronous step: no change can slip in between.
  const events$: Observable<InformerEvent<T>> = defer(() =>
    concat(from(store.list().map((object): InformerEvent<T> => ({ type: 'added', object }))), changes),
  );
  const informer: Informer<T> = {
    events$,
    synced: sync.promise,
    store,
    stop() {
      if (abort.signal.aborted) return;
      abort.abort();
      sync.reject(new Error(`informer of ${resourceName(type)} stopped before its first list`));
      changes.complete();
    },
  };
  return { informer, store };
}

/** Returns the sink that applies what the loop sees to the store, then emits the changes and metrics. */
function informerSink<T extends KubeObject>(
  store: MutableObjectStore<T>,
  changes: Subject<InformerEvent<T>>,
  resource: string,
  onMetric: InformerMetricSink | undefined,
  signal: AbortSignal,
  onSynced: () => void,
  transform: (object: T) => T,
): ListWatchSink<T> {
  let lists = 0;
  const emit = (events: readonly InformerEvent<T>[]): void => {
    onMetric?.({ kind: 'store-size', resource, size: store.size });
    for (const event of events) changes.next(event);
  };
  return {
    listed(items, resourceVersion) {
      if (signal.aborted) return;
      const events = store.replace(items.map(transform), resourceVersion);
      if (lists++ > 0) onMetric?.({ kind: 'relist', resource, size: store.size });
      emit(events);
      onSynced();
    },
    received(event) {
      if (signal.aborted) return;
      onMetric?.({ kind: 'event', resource, type: event.type });
      const change = store.apply(event.type === 'BOOKMARK' ? event : { type: event.type, object: transform(event.object) });
      if (change !== undefined) emit([change]);
    },
    restarted(reason, error) {
      onMetric?.({ kind: 'watch-restart', resource, reason, error });
    },
  };
}

/** Returns the name of a resource as kubectl spells it: `pods`, `clonesets.apps.kruise.io`. */
export function resourceName(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`;
}

/** Returns a promise with its settle functions; its rejection is never reported as unhandled. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve = (): void => undefined;
  let reject = (_error: Error): void => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
