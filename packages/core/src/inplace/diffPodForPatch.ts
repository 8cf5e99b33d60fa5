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
  const labels = diffStringMap(before.metadata.labels, after.metadata.labels);
  const annotations = diffStringMap(before.metadata.annotations, after.metadata.annotations);
  const finalizers = (after.metadata.finalizers ?? []).filter((f) => !(before.metadata.finalizers ?? []).includes(f));
  const removed = (before.metadata.finalizers ?? []).filter((f) => !(after.metadata.finalizers ?? []).includes(f));
  const metadata = {
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    ...(finalizers.length > 0 ? { finalizers } : {}),
    ...(removed.length > 0 ? { '$deleteFromPrimitiveList/finalizers': removed } : {}),
  };
  const containers = after.spec.containers.flatMap((container): ContainerPatch[] => {
    const old = before.spec.containers.find((c) => c.name === container.name);
    const image = container.image !== undefined && container.image !== old?.image ? { image: container.image } : {};
    const resources = container.resources && !jsonEqual(container.resources, old?.resources) ? { resources: container.resources } : {};
    return Object.keys(image).length + Object.keys(resources).length > 0 ? [{ name: container.name, ...image, ...resources }] : [];
  });
  return {
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    ...(containers.length > 0 ? { spec: { containers } } : {}),
  };
}
