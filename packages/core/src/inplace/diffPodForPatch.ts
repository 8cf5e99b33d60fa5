import type { Pod, ResourceRequirements } from '../api/pod.js';
import { jsonEqual } from './diffJson.js';
import { diffStringMap, type StringMapPatch } from './stringMapPatch.js';

/** One container entry of a pod strategic-merge patch (containers merge by `name`). */
export interface ContainerPatch {
  /** The container's name: the merge key. */
  readonly name: string;
  /** New image, when it changes. */
  readonly image?: string;
  /** New requests/limits, when they change. */
  readonly resources?: ResourceRequirements;
}

/** A strategic-merge patch of the pod fields an in-place update touches. */
export interface PodPatch {
  /**
   * Label and annotation changes (`null` deletes), finalizers to add (a strategic merge adds them
   * to the pod's list and keeps the others) and to remove (`$deleteFromPrimitiveList/finalizers`).
   */
  readonly metadata?: {
    readonly labels?: StringMapPatch;
    readonly annotations?: StringMapPatch;
    readonly finalizers?: readonly string[];
    readonly '$deleteFromPrimitiveList/finalizers'?: readonly string[];
  };
  /** Container changes, by name. */
  readonly spec?: { readonly containers: readonly ContainerPatch[] };
}

/** Body of a `pods/resize` request: new requests/limits of some containers. */
export interface ResizePatch {
  readonly spec: { readonly containers: ReadonlyArray<{ readonly name: string; readonly resources: ResourceRequirements }> };
}

/**
 * Returns the strategic-merge patch that turns pod `before` into pod `after` for the fields an
 * in-place update or a lifecycle move changes: labels, annotations, added and removed finalizers,
 * and container images and resources. Apply it with
 * `application/strategic-merge-patch+json`, or write `after` as a whole with its resourceVersion.
 *
 * @example before image nginx:1, after nginx:2 and label version v2
 *   // { metadata: { labels: { version: 'v2' } }, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } }
 */
export function diffPodForPatch(before: Pod, after: Pod): PodPatch {
  const metadata = diffMetadataForPatch(before.metadata, after.metadata);
  const containers = after.spec.containers.flatMap((container): ContainerPatch[] => {
    const old = before.spec.containers.find((c) => c.name === container.name);
    const image = container.image !== undefined && container.image !== old?.image ? { image: container.image } : {};
    const resources = container.resources && !jsonEqual(container.resources, old?.resources) ? { resources: container.resources } : {};
    return Object.keys(image).length + Object.keys(resources).length > 0 ? [{ name: container.name, ...image, ...resources }] : [];
  });
  return podPatch(metadata, containers);
}

/** The metadata a pod patch is taken from. */
export type PatchedPodMetadata = Pick<Pod['metadata'], 'labels' | 'annotations' | 'finalizers'>;

/**
 * Returns the `metadata` part of {@link diffPodForPatch}: label and annotation changes, finalizers
 * added and removed; `undefined` when nothing changes.
 *
 * @example diffMetadataForPatch({ labels: { a: '1' }, finalizers: ['f'] }, { labels: { a: '2' } })
 *   // { labels: { a: '2' }, '$deleteFromPrimitiveList/finalizers': ['f'] }
 */
export function diffMetadataForPatch(before: PatchedPodMetadata, after: PatchedPodMetadata): PodPatch['metadata'] {
  const metadata: Mutable<NonNullable<PodPatch['metadata']>> = {};
  const labels = diffStringMap(before.labels, after.labels);
  if (hasKeys(labels)) metadata.labels = labels;
  const annotations = diffStringMap(before.annotations, after.annotations);
  if (hasKeys(annotations)) metadata.annotations = annotations;
  const finalizers = missingFrom(before.finalizers, after.finalizers);
  if (finalizers.length > 0) metadata.finalizers = finalizers;
  const removed = missingFrom(after.finalizers, before.finalizers);
  if (removed.length > 0) metadata['$deleteFromPrimitiveList/finalizers'] = removed;
  return hasKeys(metadata) ? metadata : undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Whether an object has an own enumerable key. */
function hasKeys(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
}

/** The items of `list` that `reference` lacks, in order. */
function missingFrom(reference: readonly string[] | undefined, list: readonly string[] | undefined): string[] {
  if (list === undefined || list.length === 0) return [];
  return list.filter((item) => !(reference ?? []).includes(item));
}

/**
 * Returns a pod patch of a metadata part and container entries, leaving out empty parts.
 *
 * @example podPatch(undefined, [{ name: 'app', image: 'nginx:2' }]) // { spec: { containers: [{ name: 'app', image: 'nginx:2' }] } }
 */
export function podPatch(metadata: PodPatch['metadata'], containers: readonly ContainerPatch[]): PodPatch {
  if (containers.length === 0) return metadata === undefined ? {} : { metadata };
  return metadata === undefined ? { spec: { containers } } : { metadata, spec: { containers } };
}
