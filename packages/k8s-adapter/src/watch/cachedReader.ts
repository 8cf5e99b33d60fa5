import { NotFoundError } from '../errors.js';
import type { KubeClient, ListOptions, ObjectList } from '../ports.js';
import type { KubeObject, ResourceType } from '../resourceType.js';
import type { Informer } from './informer.js';
import type { SharedInformerFactory } from './sharedInformerFactory.js';

/** The read half of {@link KubeClient} (controller-runtime's `client.Reader`): a client is one, so is a {@link CachedReader}. */
export type KubeReader = Pick<KubeClient, 'get' | 'list'>;

/** Options of {@link createCachedReader}. */
export interface CachedReaderOptions {
  /** Answers what the cache cannot: kinds not synced yet, other namespaces, selectors, subresources. */
  readonly client: KubeReader;
  /** Where the informers come from: give the controllers' factory, so a kind is cached once per process. */
  readonly informers: SharedInformerFactory;
  /** The namespace the informers watch (the manager's `--namespace`, as the controllers ask for); omitted = all. */
  readonly namespace?: string | undefined;
}

/** A {@link KubeReader} served by informers; `stop()` releases them. */
export interface CachedReader extends KubeReader {
  /** Releases the informers this reader started (the factory keeps those other users hold). */
  stop(): void;
}

interface Cached {
  readonly informer: Informer<KubeObject>;
  synced: boolean;
}

/**
 * Returns a reader that answers `get` and `list` from informers, as controller-runtime's cached
 * client does for OpenKruise's webhooks: the first read of a kind starts (or shares) its informer
 * in the manager's scope and is answered by `client` until that informer has synced; after that,
 * reads of the kind never touch the network. A `get` of an object the synced cache does not hold
 * is a {@link NotFoundError} (the cache is the answer, as controller-runtime's); callers that must
 * see objects newer than the cache read `client` themselves. Lists with a label or field selector,
 * `limit` or `resourceVersion`, reads in a namespace outside `namespace`, and subresources always
 * go to `client`. The objects returned are the cache's own: never mutate them.
 *
 * @example createCachedReader({ client, informers, namespace: 'apps' }): get(PodUnavailableBudget, apps/web-pub) → the cached budget (0 requests);
 *   get(Pod, other/p) → client.get (outside the scope); list(Pod, { namespace: 'apps' }) before the pod informer synced → client.list
 */
export function createCachedReader(options: CachedReaderOptions): CachedReader {
  const { client, informers, namespace: scope } = options;
  const cached = new Map<string, Cached>();

  function cacheOf(type: ResourceType, namespace: string | undefined): Cached | undefined {
    if (type.namespaced && scope !== undefined && namespace !== scope) return undefined;
    const key = `${type.group}/${type.version}/${type.plural}`;
    let entry = cached.get(key);
    if (entry === undefined) {
      const informer = informers.informerFor(type, scope === undefined || !type.namespaced ? {} : { namespace: scope });
      const created: Cached = { informer, synced: false };
      informer.synced.then(
        () => {
          created.synced = true;
        },
        () => undefined,
      );
      cached.set(key, created);
      entry = created;
    }
    return entry.synced ? entry : undefined;
  }

  return {
    get<T extends KubeObject>(type: ResourceType<T>, key: { readonly name: string; readonly namespace?: string | undefined }, getOptions?: { signal?: AbortSignal; subresource?: string }): Promise<T> {
      const entry = getOptions?.subresource === undefined ? cacheOf(type, key.namespace) : undefined;
      if (entry === undefined) return client.get(type, key, getOptions);
      const object = entry.informer.store.get(type.namespaced ? key : { name: key.name });
      if (object !== undefined) return Promise.resolve(object as T);
      const path = `${type.namespaced ? `namespaces/${key.namespace ?? ''}/` : ''}${type.plural}/${key.name}`;
      return Promise.reject(new NotFoundError({ verb: 'GET', path: `cache:${path}` }, 404, { reason: 'NotFound', message: `${type.plural} "${key.name}" not found` }));
    },
    list<T extends KubeObject>(type: ResourceType<T>, listOptions?: ListOptions): Promise<ObjectList<T>> {
      const plain = listOptions?.labelSelector === undefined && listOptions?.fieldSelector === undefined && listOptions?.limit === undefined && listOptions?.resourceVersion === undefined;
      const entry = plain ? cacheOf(type, listOptions?.namespace) : undefined;
      if (entry === undefined) return client.list(type, listOptions);
      const store = entry.informer.store;
      return Promise.resolve({ items: store.list(type.namespaced ? listOptions?.namespace : undefined) as T[], resourceVersion: store.resourceVersion });
    },
    stop() {
      for (const entry of cached.values()) entry.informer.stop();
      cached.clear();
    },
  };
}
