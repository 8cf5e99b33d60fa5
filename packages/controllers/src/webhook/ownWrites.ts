import { NotFoundError, type KubeObject, type KubeReader, type ResourceType } from '@kruise-ts/k8s-adapter';

/**
 * What this process wrote last per object, until its reader has caught up (OpenKruise's
 * `util.GlobalCache` of PodUnavailableBudgets and WorkloadSpreads): a request that decides after
 * one of ours reads the newer of the two, so a cache that has not seen our own write yet neither
 * lets it decide on old numbers nor costs it a conflict.
 */
export interface OwnWrites {
  /** The newer of `cached` (what the reader holds, `undefined` = not there) and our last write of `type` `key`; a copy the reader has caught up with, or of another object (uid), is dropped. */
  newest<T extends KubeObject>(type: ResourceType<T>, key: { readonly namespace: string; readonly name: string }, cached: T | undefined): T | undefined;
  /** Records `stored` (the apiserver's answer to our write) as our last write of it. */
  record(type: ResourceType, stored: KubeObject): void;
}

const byReader = new WeakMap<KubeReader, Map<string, KubeObject>>();

function resourceVersionOf(object: KubeObject): bigint | undefined {
  const version = object.metadata.resourceVersion ?? '';
  return /^\d+$/.test(version) ? BigInt(version) : undefined;
}

const keyOf = (type: ResourceType, namespace: string, name: string): string => `${type.group}/${type.plural}/${namespace}/${name}`;

/**
 * Returns the {@link OwnWrites} kept for `reader`: one per reader, so one manager (one reader)
 * shares them between its webhooks, and tests with clusters of their own never share entries.
 * Copies are compared by resourceVersion, as OpenKruise compares its local and informer copies.
 *
 * @example written web-ws at resourceVersion 12, the cache still at 10 → newest(...) is the written copy;
 *   the cache at 12 or later → the cache's copy (and the written one is dropped)
 */
export function ownWritesOf(reader: KubeReader): OwnWrites {
  let written = byReader.get(reader);
  if (written === undefined) {
    written = new Map();
    byReader.set(reader, written);
  }
  const map = written;
  return {
    newest<T extends KubeObject>(type: ResourceType<T>, key: { readonly namespace: string; readonly name: string }, cached: T | undefined): T | undefined {
      const id = keyOf(type, key.namespace, key.name);
      const mine = map.get(id) as T | undefined;
      if (mine === undefined) return cached;
      if (cached === undefined) {
        map.delete(id);
        return undefined;
      }
      const [ours, theirs] = [resourceVersionOf(mine), resourceVersionOf(cached)];
      if (mine.metadata.uid !== cached.metadata.uid || ours === undefined || theirs === undefined || theirs >= ours) {
        map.delete(id);
        return cached;
      }
      return mine;
    },
    record(type: ResourceType, stored: KubeObject): void {
      map.set(keyOf(type, stored.metadata.namespace ?? '', stored.metadata.name ?? ''), stored);
    },
  };
}

/** `reader.get`, with a {@link NotFoundError} as `undefined`. */
export async function getOrUndefined<T extends KubeObject>(reader: KubeReader, type: ResourceType<T>, key: { readonly namespace: string; readonly name: string }, signal: AbortSignal): Promise<T | undefined> {
  try {
    return await reader.get(type, key, { signal });
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * Returns the object from `reader` (the informer cache), or from `client` when the reader does not
 * hold it (an object newer than the cache, such as a pod just created), or `undefined` when
 * neither does: one apiserver request only on a cache miss.
 *
 * @example evicted pod web-1 in the synced cache → the cached pod, no request; created a moment ago → GET pods/web-1
 */
export async function readThrough<T extends KubeObject>(reader: KubeReader, client: KubeReader, type: ResourceType<T>, key: { readonly namespace: string; readonly name: string }, signal: AbortSignal): Promise<T | undefined> {
  const cached = await getOrUndefined(reader, type, key, signal);
  return cached ?? (reader === client ? undefined : getOrUndefined(client, type, key, signal));
}
