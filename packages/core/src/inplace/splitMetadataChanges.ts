import type { PodTemplateSpec } from '../api/pod.js';
import { containerReferencesMetadata, type MetadataField } from './envFromMetadata.js';
import type { ContainerRefMetadata } from './inPlaceUpdateSpec.js';
import { diffStringMap, isEmptyMetadataPatch, type MetadataPatch } from './stringMapPatch.js';

/** Template label/annotation changes, split the way an in-place update applies them. */
export interface MetadataChanges {
  /** Per container: the new values of the labels/annotations its env reads (set batch by batch). */
  readonly containerRefMetadata: Readonly<Record<string, ContainerRefMetadata>>;
  /** Every other change (deletions and finalizers included), applied to the pod at once; absent when none. */
  readonly metadataPatch?: MetadataPatch;
}

const FIELDS: readonly MetadataField[] = ['labels', 'annotations'];

/**
 * Returns the metadata changes between two templates: label/annotation keys set to a new value
 * and read by an env `fieldRef` of a container of the NEW template go to that container's
 * `containerRefMetadata` (only with InPlaceUpdateEnvFromMetadata); the rest, deletions included,
 * and the finalizers added or dropped form the metadata patch (OpenKruise's two-way merge patch of
 * the template metadata).
 *
 * @example old labels {app: 'web', version: 'v1'}, new {app: 'web', version: 'v2', tier: 'fe'}, container 'app' reads version
 *   // { containerRefMetadata: { app: { labels: { version: 'v2' } } }, metadataPatch: { labels: { tier: 'fe' } } }
 * @example old finalizers ['a', 'b'], new ['b', 'c'] → metadataPatch { finalizers: ['c'], deleteFinalizers: ['a'] }
 */
export function splitMetadataChanges(oldTemplate: PodTemplateSpec, newTemplate: PodTemplateSpec, envFromMetadata: boolean): MetadataChanges {
  const refMetadata: Record<string, Record<MetadataField, Record<string, string>>> = {};
  const patch: Record<MetadataField, Record<string, string | null>> = { labels: {}, annotations: {} };
  for (const field of FIELDS) {
    for (const [key, value] of Object.entries(diffStringMap(oldTemplate.metadata?.[field], newTemplate.metadata?.[field]))) {
      const readers = value === null || !envFromMetadata ? [] : newTemplate.spec.containers.filter((c) => containerReferencesMetadata(c, field, key));
      if (value === null || readers.length === 0) patch[field][key] = value;
      for (const reader of readers) (refMetadata[reader.name] ??= { labels: {}, annotations: {} })[field][key] = value ?? '';
    }
  }
  const oldFinalizers = oldTemplate.metadata?.finalizers ?? [];
  const newFinalizers = newTemplate.metadata?.finalizers ?? [];
  const added = newFinalizers.filter((f) => !oldFinalizers.includes(f));
  const dropped = oldFinalizers.filter((f) => !newFinalizers.includes(f));
  const metadataPatch: MetadataPatch = {
    ...dropEmptyMaps(patch),
    ...(added.length > 0 ? { finalizers: added } : {}),
    ...(dropped.length > 0 ? { deleteFinalizers: dropped } : {}),
  };
  return {
    containerRefMetadata: Object.fromEntries(Object.entries(refMetadata).map(([name, maps]) => [name, dropEmptyMaps(maps)])),
    ...(isEmptyMetadataPatch(metadataPatch) ? {} : { metadataPatch }),
  };
}

function dropEmptyMaps<T>(maps: Readonly<Record<MetadataField, Readonly<Record<string, T>>>>): Partial<Record<MetadataField, Readonly<Record<string, T>>>> {
  return Object.fromEntries(FIELDS.filter((field) => Object.keys(maps[field]).length > 0).map((field) => [field, maps[field]]));
}
