import { SIDECARSET_NAME_LABEL, type SidecarSet } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeClient, type SharedInformerFactory } from '@kruise-ts/k8s-adapter';
import type { Logger } from '../../runtime/logger.js';
import { clientSidecarSetSource, readSidecarSets, type SidecarSetSource } from './sidecarSetSource.js';

/** Options of {@link createSidecarSetCache}. */
export interface SidecarSetCacheOptions {
  /** Reads a namespace the cache has not seen yet (just created). */
  readonly client: KubeClient;
  /** Where the informers come from (a factory of this replica; not the leader's controllers). */
  readonly informers: SharedInformerFactory;
  /** Namespace of the SidecarSets' ControllerRevisions (the manager's). */
  readonly managerNamespace: string;
  readonly logger?: Logger | undefined;
  /** Longest a call waits for the first sync before it fails (default 2 000 ms). */
  readonly syncWaitMs?: number | undefined;
}

/** The informer-backed {@link SidecarSetSource} every replica runs for the SidecarSet and pod webhooks. */
export interface SidecarSetCache extends SidecarSetSource {
  /** True once SidecarSets, namespaces and revisions have been listed (a readiness check). */
  isSynced(): boolean;
  /** Releases the informers. */
  stop(): void;
}

/**
 * Returns the SidecarSet cache: informers on SidecarSets (cluster-wide), Namespaces, and the
 * SidecarSet ControllerRevisions of the manager's namespace. Webhooks are served by every replica,
 * not only the leader, so every replica runs one. Reads never touch the network once synced
 * (except a namespace the cache does not know yet, read once through the client); a read before
 * the first sync waits for it up to `syncWaitMs`, then fails, and the webhook's failurePolicy
 * decides. SidecarSets are parsed once per change of the collection; one that does not parse is
 * left out and logged.
 */
export function createSidecarSetCache(options: SidecarSetCacheOptions): SidecarSetCache {
  const { informers, logger } = options;
  const sidecarSets = informers.informerFor(KruiseResources.SidecarSet);
  const namespaces = informers.informerFor(Resources.Namespace);
  const revisions = informers.informerFor(Resources.ControllerRevision, { namespace: options.managerNamespace, labelSelector: SIDECARSET_NAME_LABEL });
  const fallback = clientSidecarSetSource(options.client, options.managerNamespace);
  let synced = false;
  const allSynced = Promise.all([sidecarSets.synced, namespaces.synced, revisions.synced]).then(() => {
    synced = true;
  });
  allSynced.catch(() => undefined);
  let parsed: { resourceVersion: string; sidecarSets: readonly SidecarSet[] } | undefined;
  const warned = new Set<string>();

  async function ready(signal: AbortSignal): Promise<void> {
    if (synced) return;
    const limit = AbortSignal.any([signal, AbortSignal.timeout(options.syncWaitMs ?? 2_000)]);
    await new Promise<void>((resolve, reject) => {
      const fail = (): void => {
        reject(new Error('the SidecarSet cache has not synced yet'));
      };
      if (limit.aborted) fail();
      limit.addEventListener('abort', fail, { once: true });
      allSynced.then(resolve, reject);
    });
  }

  function current(): readonly SidecarSet[] {
    const version = sidecarSets.store.resourceVersion;
    if (parsed?.resourceVersion === version) return parsed.sidecarSets;
    const read = readSidecarSets(sidecarSets.store.list());
    for (const { name, problems } of read.unreadable) {
      if (!warned.has(`${name}:${problems}`)) logger?.warn({ sidecarSet: name, problems }, 'SidecarSet not readable by kruise-ts; it injects nothing');
      warned.add(`${name}:${problems}`);
    }
    parsed = { resourceVersion: version, sidecarSets: read.sidecarSets };
    return read.sidecarSets;
  }

  return {
    isSynced: () => synced,
    async sidecarSets(signal) {
      await ready(signal);
      return current();
    },
    async revisions(signal) {
      await ready(signal);
      return revisions.store.list();
    },
    async namespaceLabels(namespace, signal) {
      await ready(signal);
      const cached = namespaces.store.get({ name: namespace });
      return cached === undefined ? fallback.namespaceLabels(namespace, signal) : (cached.metadata.labels ?? {});
    },
    stop() {
      for (const informer of [sidecarSets, namespaces, revisions]) informer.stop();
    },
  };
}
