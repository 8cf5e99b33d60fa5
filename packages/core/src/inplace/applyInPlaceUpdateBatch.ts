import { INPLACE_UPDATE_STATE_ANNOTATION } from '../api/labels.js';
import type { Container, ContainerStatus, Pod, ResourceRequirements } from '../api/pod.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import type { ResizePatch } from './diffPodForPatch.js';
import type { InPlaceUpdateSpec } from './inPlaceUpdateSpec.js';
import { serializeInPlaceUpdateState, type InPlaceUpdateContainerStatus, type InPlaceUpdateState } from './inPlaceUpdateState.js';
import { QOS_RESOURCES } from './podQosClass.js';
import { selectContainerBatch } from './selectContainerBatch.js';
import { quantitiesEqual } from '../shared/quantity.js';
import { applyFinalizersPatch, applyStringMapPatch } from './stringMapPatch.js';

/** Options of {@link applyInPlaceUpdateBatch}. */
export interface ApplyInPlaceUpdateBatchOptions {
  /** The current time (recorded in `containerBatchesRecord`). */
  readonly now: EpochMs;
  /** The apiserver has the `pods/resize` subresource (Kubernetes ≥ 1.32): resources go there, not into the pod spec. */
  readonly resizeSubresource?: boolean;
}

/** A pod with one batch of an in-place update applied. */
export interface InPlaceUpdateBatch {
  /** The pod to write: metadata changes, images (and resources without resize), the new state annotation. */
  readonly pod: Pod;
  /** The state recorded on `pod`. */
  readonly state: InPlaceUpdateState;
  /** Containers changed in this batch, sorted. */
  readonly batch: readonly string[];
  /** With `resizeSubresource`: the `pods/resize` body to send after writing `pod`. */
  readonly resizePatch?: ResizePatch;
}

/** A resource list: quantity by resource name. */
type ResourceList = NonNullable<ResourceRequirements['limits']>;

type Changes = Pick<InPlaceUpdateSpec, 'containerImages' | 'containerRefMetadata' | 'containerResources' | 'metadataPatch'>;

/**
 * Returns the pod with the next batch of `spec` applied (OpenKruise's `PatchSpecToPod`): the
 * metadata patch (labels, annotations, finalizers); then, for the batch {@link selectContainerBatch}
 * picks, new images, resources (into the spec, or into `resizePatch` with `resizeSubresource`)
 * and env-referenced labels/annotations, the current imageID of containers whose image changes
 * recorded in `lastContainerStatuses`; the other containers' changes are parked in `next*` with
 * the batch as `preCheckBeforeNext`; the batch is appended to `containerBatchesRecord`.
 *
 * @example containers sidecar (p_1) and app (p_0), both with new images
 *   // batch ['sidecar'], state.nextContainerImages { app: ... }, preCheckBeforeNext { containersRequiredReady: ['sidecar'] }
 */
export function applyInPlaceUpdateBatch(pod: Pod, spec: Changes, state: InPlaceUpdateState, options: ApplyInPlaceUpdateBatchOptions): InPlaceUpdateBatch {
  const batch = selectContainerBatch(pod.spec.containers, spec);
  const inBatch = new Set(batch);
  const resize = options.resizeSubresource === true;
  const containers = pod.spec.containers.map((c) => (inBatch.has(c.name) ? withChanges(c, spec, resize) : c));
  const metadata = applyRefMetadata(pod, spec, inBatch);
  const waiting = (name: string): boolean => !inBatch.has(name) && pod.spec.containers.some((c) => c.name === name);
  const next = {
    nextContainerImages: pick(spec.containerImages, waiting),
    nextContainerRefMetadata: pick(spec.containerRefMetadata, (name) => !inBatch.has(name)),
    nextContainerResources: pick(spec.containerResources, waiting),
  };
  const pending = Object.values(next).some((map) => Object.keys(map).length > 0);
  const { preCheckBeforeNext: _previous, ...rest } = state;
  const newState: InPlaceUpdateState = {
    ...rest,
    lastContainerStatuses: recordStatuses(state.lastContainerStatuses, pod.status?.containerStatuses ?? [], spec, inBatch),
    ...next,
    ...(pending ? { preCheckBeforeNext: { containersRequiredReady: batch } } : {}),
    containerBatchesRecord: [...(state.containerBatchesRecord ?? []), { timestamp: formatTime(options.now), containers: batch }],
  };
  const annotations = { ...metadata.annotations, [INPLACE_UPDATE_STATE_ANNOTATION]: serializeInPlaceUpdateState(newState) };
  const finalizers = applyFinalizersPatch(pod.metadata.finalizers, spec.metadataPatch);
  const resizePatch = resize ? buildResizePatch(pod, batch, spec.containerResources) : undefined;
  return {
    pod: { ...pod, metadata: { ...withoutFinalizers(pod.metadata), ...metadata, annotations, ...(finalizers.length > 0 ? { finalizers } : {}) }, spec: { ...pod.spec, containers } },
    state: newState,
    batch,
    ...(resizePatch ? { resizePatch } : {}),
  };
}

function withChanges(container: Container, spec: Changes, resize: boolean): Container {
  const image = spec.containerImages[container.name];
  const resources = resize ? undefined : spec.containerResources[container.name];
  return {
    ...container,
    ...(image === undefined ? {} : { image }),
    ...(resources === undefined ? {} : { resources: mergeResources(container.resources, resources) }),
  };
}

function mergeResources(current: ResourceRequirements | undefined, changes: ResourceRequirements): ResourceRequirements {
  return {
    ...current,
    ...(changes.limits ? { limits: { ...current?.limits, ...changes.limits } } : {}),
    ...(changes.requests ? { requests: { ...current?.requests, ...changes.requests } } : {}),
  };
}

/** Returns the pod's labels and annotations with the metadata patch and the batch's env-referenced values. */
function applyRefMetadata(pod: Pod, spec: Changes, inBatch: ReadonlySet<string>): { labels: Record<string, string>; annotations: Record<string, string> } {
  let labels = applyStringMapPatch(pod.metadata.labels, spec.metadataPatch?.labels);
  let annotations = applyStringMapPatch(pod.metadata.annotations, spec.metadataPatch?.annotations);
  for (const [name, ref] of Object.entries(spec.containerRefMetadata)) {
    if (!inBatch.has(name)) continue;
    labels = { ...labels, ...ref.labels };
    annotations = { ...annotations, ...ref.annotations };
  }
  return { labels, annotations };
}

function withoutFinalizers(metadata: Pod['metadata']): Pod['metadata'] {
  const { finalizers: _dropped, ...rest } = metadata;
  return rest;
}

function pick<T>(map: Readonly<Record<string, T>>, keep: (name: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(map).filter(([name]) => keep(name)));
}

/**
 * Records, as OpenKruise writes `lastContainerStatuses`, only `{ imageID }` of the batch's
 * containers whose image changes; an entry already recorded is left as it is (Go updates a copy of
 * the map value, so the first record stands). Resizes record nothing: completion compares the
 * spec resources with those the status reports.
 */
function recordStatuses(
  previous: Readonly<Record<string, InPlaceUpdateContainerStatus>> | undefined,
  statuses: readonly ContainerStatus[],
  spec: Changes,
  inBatch: ReadonlySet<string>,
): Record<string, InPlaceUpdateContainerStatus> {
  const recorded: Record<string, InPlaceUpdateContainerStatus> = { ...previous };
  for (const status of statuses) {
    if (!inBatch.has(status.name) || !Object.hasOwn(spec.containerImages, status.name) || Object.hasOwn(recorded, status.name)) continue;
    recorded[status.name] = status.imageID === undefined || status.imageID === '' ? {} : { imageID: status.imageID };
  }
  return recorded;
}

/**
 * Returns the `pods/resize` body for the batch: per container only the cpu/memory limits and
 * requests whose value differs from the pod's current one; no body when nothing is left.
 */
function buildResizePatch(pod: Pod, batch: readonly string[], resources: Readonly<Record<string, ResourceRequirements>>): ResizePatch | undefined {
  const containers = batch.flatMap((name) => {
    const current = pod.spec.containers.find((c) => c.name === name)?.resources;
    const changes = resources[name];
    const limits = changedValues(current?.limits, changes?.limits);
    const requests = changedValues(current?.requests, changes?.requests);
    if (limits === undefined && requests === undefined) return [];
    return [{ name, resources: { ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) } }];
  });
  return containers.length > 0 ? { spec: { containers } } : undefined;
}

/** The cpu/memory entries of `wanted` whose quantity differs from `current`'s; `undefined` when none. */
function changedValues(current: ResourceList | undefined, wanted: ResourceList | undefined): Record<string, string | number> | undefined {
  const entries = QOS_RESOURCES.flatMap((name) => {
    const value = wanted?.[name];
    const now = current?.[name];
    return value === undefined || (now !== undefined && quantitiesEqual(value, now)) ? [] : [[name, value] as const];
  });
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
