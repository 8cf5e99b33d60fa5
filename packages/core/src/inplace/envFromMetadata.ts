import type { ObjectMeta } from '../api/objectMeta.js';
import type { Container } from '../api/pod.js';
import { canonicalJson, fnv1a32 } from '../shared/revision.js';

/** Which pod metadata map an env `fieldRef` reads. */
export type MetadataField = 'labels' | 'annotations';

/** A `fieldRef` to one pod label or annotation: `metadata.labels['<key>']`. */
export interface MetadataFieldRef {
  /** `labels` or `annotations`. */
  readonly field: MetadataField;
  /** The label or annotation key. */
  readonly key: string;
}

/** Envs SidecarSet manages itself; they never count as env-from-metadata. */
const EXCLUDED_ENVS = new Set(['SIDECARSET_VERSION', 'SIDECARSET_VERSION_ALT']);

/**
 * Returns the label or annotation a `fieldRef.fieldPath` reads, or `undefined` for any other
 * field path (`metadata.name`, `status.podIP`, malformed subscripts).
 *
 * @example parseMetadataFieldPath("metadata.labels['app']") // { field: 'labels', key: 'app' }
 * @example parseMetadataFieldPath('metadata.name') // undefined
 */
export function parseMetadataFieldPath(fieldPath: string): MetadataFieldRef | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const open = fieldPath.indexOf("['");
  if (open <= 0) return undefined;
  const path = fieldPath.slice(0, open);
  const key = fieldPath.slice(open + 2, -2);
  if (path === 'metadata.labels') return { field: 'labels', key };
  if (path === 'metadata.annotations') return { field: 'annotations', key };
  return undefined;
}

/**
 * Returns whether a container has an env whose `fieldRef` reads the given label or annotation.
 *
 * @example containerReferencesMetadata(container, 'labels', 'version') // true when an env reads metadata.labels['version']
 */
export function containerReferencesMetadata(container: Container, field: MetadataField, key: string): boolean {
  return (container.env ?? []).some((env) => {
    const ref = env.valueFrom?.fieldRef ? parseMetadataFieldPath(env.valueFrom.fieldRef.fieldPath) : undefined;
    return ref?.field === field && ref.key === key;
  });
}

/**
 * Returns the hash of a container's env-from-metadata values as the pod's labels and annotations
 * resolve them: FNV-1a 32 over the canonical JSON of one entry per env (`{name, value}` for an env
 * read from a label or annotation, `null` otherwise).
 *
 * This is kruise-ts's own hash, not byte-identical to Go's `HashContainer`; a daemon reporting
 * `extractedEnvFromMetadataHash` into `apps.kruise.io/runtime-containers-meta` for kruise-ts
 * must use this function (see {@link checkInPlaceUpdateCompleted}, which accepts another one).
 *
 * @example extractedEnvFromMetadataHash(container, { labels: { version: 'v2' } }) // a uint32, changes when version changes
 */
export function extractedEnvFromMetadataHash(container: Container, metadata: Pick<ObjectMeta, 'labels' | 'annotations'>): number {
  return hashEnvFromMetadata(container, (_name, ref) => metadata[ref.field]?.[ref.key] ?? '');
}

/**
 * Returns the same hash as {@link extractedEnvFromMetadataHash}, but with the values a running
 * container actually holds (`env` as `exec env` prints it, name → value; a missing name counts as
 * ''): kruise-daemon's "current" hash (OpenKruise's `GetCurrentHash`). It equals the expected hash
 * of the pod's metadata exactly when the container was started with that metadata.
 *
 * @example env reads metadata.annotations['cfg']; currentEnvFromMetadataHash(container, { CFG: 'v1' })
 *   === extractedEnvFromMetadataHash(container, { annotations: { cfg: 'v1' } }) // true
 */
export function currentEnvFromMetadataHash(container: Container, env: Readonly<Record<string, string>>): number {
  return hashEnvFromMetadata(container, (name) => (Object.hasOwn(env, name) ? (env[name] ?? '') : ''));
}

function hashEnvFromMetadata(container: Container, valueOf: (name: string, ref: MetadataFieldRef) => string): number {
  const entries = (container.env ?? []).map((env) => {
    if ((env.value !== undefined && env.value !== '') || EXCLUDED_ENVS.has(env.name) || !env.valueFrom?.fieldRef) return null;
    const ref = parseMetadataFieldPath(env.valueFrom.fieldRef.fieldPath);
    return ref ? { name: env.name, value: valueOf(env.name, ref) } : null;
  });
  return fnv1a32(canonicalJson(entries));
}
