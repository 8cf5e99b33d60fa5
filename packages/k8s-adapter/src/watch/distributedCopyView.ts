import { RESOURCE_SOURCE_ANNOTATION } from '@kruise-ts/core';
import type { KubeObject } from '../resourceType.js';
import { withoutManagedFields } from './createInformer.js';

// What a Secret or ConfigMap holds besides its metadata and kind.
const CONTENT_FIELDS = ['data', 'stringData', 'binaryData'] as const;

/**
 * Returns what the shared cache keeps of a Secret: the whole object (without managedFields) when
 * it is a ResourceDistribution copy (it carries `kruise.io/resourcedistribution.resource.from`),
 * else only its metadata and `type`, its `data` dropped. The ResourceDistribution controller must
 * see every Secret to find the ones of a name it does not own (conflicts), but needs the data of
 * its own copies only; no other Secret's content stays in the manager's memory. The shared
 * informer factory caches Secrets through it by default.
 *
 * @example a Secret `db-password` with `data: { password: '...' }` and no annotation → `{ metadata, type }`;
 *   a copy annotated `kruise.io/resourcedistribution.resource.from: rd-creds` → unchanged
 */
export function distributedCopyView<T extends KubeObject>(object: T): T {
  const slim = withoutManagedFields(object);
  if (slim.metadata.annotations?.[RESOURCE_SOURCE_ANNOTATION] !== undefined) return slim;
  return Object.fromEntries(Object.entries(slim).filter(([field]) => !(CONTENT_FIELDS as readonly string[]).includes(field))) as T;
}
