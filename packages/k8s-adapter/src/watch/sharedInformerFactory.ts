import type { KubeClient } from '../ports.js';
import type { KubeObject, ResourceType } from '../resourceType.js';
import { startInformer, type InformerHandle, type InformerOptions } from './createInformer.js';
import type { IndexFunction } from './indexes.js';
import type { Informer } from './informer.js';
import { distributedCopyView } from './distributedCopyView.js';
import { nodeSchedulingView } from './nodeSchedulingView.js';

/** What identifies a shared informer besides its type: namespace and selectors; plus the indexes it needs. */
export interface SharedInformerRequest<T extends KubeObject> {
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Indexes added to the shared store (a name already taken by another function throws). */
  readonly indexes?: Readonly<Record<string, IndexFunction<T>>> | undefined;
}

/** Settings every informer of a factory shares (see {@link InformerOptions}). */
export interface SharedInformerFactoryOptions extends Pick<InformerOptions<KubeObject>, 'clock' | 'watchdogMs' | 'backoff' | 'onMetric' | 'pageSize'> {
  /**
   * The transform of each kind's cache, by `group/version/plural` (e.g. `/v1/nodes`): one informer
   * serves every reader of a kind, so it keeps what all of them read. Default
   * {@link DEFAULT_SHARED_TRANSFORMS}; kinds not listed drop only managedFields.
   */
  readonly transforms?: Readonly<Record<string, (object: KubeObject) => KubeObject>> | undefined;
}

/** The factory's default transforms: Nodes cached as {@link nodeSchedulingView}, Secrets as {@link distributedCopyView} (no data but a ResourceDistribution copy's). */
export const DEFAULT_SHARED_TRANSFORMS: Readonly<Record<string, (object: KubeObject) => KubeObject>> = { '/v1/nodes': nodeSchedulingView, '/v1/secrets': distributedCopyView };

/**
 * Hands out one informer per resource type + namespace + selectors, reference-counted: every
 * caller gets its own handle, and the informer stops when the last handle is stopped.
 */
export interface SharedInformerFactory {
  /**
   * Returns a handle on the shared informer for `type` and `request`, starting it on first use.
   * The handle's `stop()` releases this reference only (idempotent).
   */
  informerFor<T extends KubeObject>(type: ResourceType<T>, request?: SharedInformerRequest<T>): Informer<T>;
  /** Number of running informers. */
  readonly size: number;
  /** Stops every informer, whatever its references. */
  stopAll(): void;
}

interface Entry {
  readonly handle: InformerHandle<KubeObject>;
  references: number;
}

/**
 * Returns a {@link SharedInformerFactory} over `client`.
 *
 * @example two controllers ask for pods in `default` → one list+watch; both stop → it stops
 */
export function createSharedInformerFactory(client: KubeClient, options: SharedInformerFactoryOptions = {}): SharedInformerFactory {
  const entries = new Map<string, Entry>();

  function acquire<T extends KubeObject>(type: ResourceType<T>, request: SharedInformerRequest<T>): Entry {
    const key = sharedInformerKey(type, request);
    const existing = entries.get(key);
    if (existing !== undefined) {
      if (request.indexes !== undefined) existing.handle.store.addIndexes(request.indexes as Record<string, IndexFunction>);
      existing.references++;
      return existing;
    }
    const { transforms = DEFAULT_SHARED_TRANSFORMS, ...shared } = options;
    const transform = transforms[`${type.group}/${type.version}/${type.plural}`] as ((object: T) => T) | undefined;
    const handle = startInformer(client, type, { ...shared, ...request, ...(transform === undefined ? {} : { transform }) }) as unknown as InformerHandle<KubeObject>;
    const entry: Entry = { handle, references: 1 };
    entries.set(key, entry);
    return entry;
  }

  return {
    informerFor<T extends KubeObject>(type: ResourceType<T>, request: SharedInformerRequest<T> = {}): Informer<T> {
      const key = sharedInformerKey(type, request);
      const entry = acquire(type, request);
      const shared = entry.handle.informer as unknown as Informer<T>;
      let released = false;
      return {
        events$: shared.events$,
        synced: shared.synced,
        store: shared.store,
        stop() {
          if (released) return;
          released = true;
          if (--entry.references > 0 || entries.get(key) !== entry) return;
          entries.delete(key);
          shared.stop();
        },
      };
    },
    get size() {
      return entries.size;
    },
    stopAll() {
      for (const entry of entries.values()) entry.handle.informer.stop();
      entries.clear();
    },
  };
}

/**
 * Returns the sharing key of an informer: group, version, plural, namespace and selectors.
 *
 * @example Pods in `default` with `app=web` → `/v1/pods|default|app=web|`
 */
export function sharedInformerKey(type: ResourceType, request: SharedInformerRequest<never>): string {
  return [`${type.group}/${type.version}/${type.plural}`, request.namespace ?? '', request.labelSelector ?? '', request.fieldSelector ?? ''].join('|');
}
