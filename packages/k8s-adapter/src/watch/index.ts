/**
 * Informers: list+watch caches with indexes, as rxjs event streams, and a factory that shares
 * one informer per resource type and selector.
 *
 * @packageDocumentation
 */
export type { Informer, InformerEvent, ObjectStore } from './informer.js';
export { createInformer, resourceName, withoutManagedFields, DEFAULT_WATCHDOG_MS, type InformerOptions } from './createInformer.js';
export { createSharedInformerFactory, sharedInformerKey, DEFAULT_SHARED_TRANSFORMS, type SharedInformerFactory, type SharedInformerFactoryOptions, type SharedInformerRequest } from './sharedInformerFactory.js';
export { createCachedReader, type CachedReader, type CachedReaderOptions, type KubeReader } from './cachedReader.js';
export { nodeSchedulingView } from './nodeSchedulingView.js';
export { distributedCopyView } from './distributedCopyView.js';
export { createObjectStore, cacheKey, type MutableObjectStore } from './objectStore.js';
export {
  DEFAULT_INDEXES,
  NODE_INDEX,
  OWNER_INDEX,
  UID_INDEX,
  byControllerOwner,
  byLabel,
  byNodeName,
  byUid,
  labelIndexName,
  labelIndexes,
  type IndexFunction,
} from './indexes.js';
export { backoffDelay, createBackoff, type Backoff, type BackoffOptions } from './backoff.js';
export type { InformerMetric, InformerMetricSink, WatchRestartReason } from './informerMetric.js';
