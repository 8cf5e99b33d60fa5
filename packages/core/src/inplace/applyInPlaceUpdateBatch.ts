import { INPLACE_UPDATE_STATE_ANNOTATION } from '../api/labels.js';
import type { Container, ContainerStatus, Pod, ResourceRequirements } from '../api/pod.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import type { ResizePatch } from './diffPodForPatch.js';
import type { InPlaceUpdateSpec } from './inPlaceUpdateSpec.js';
import { serializeInPlaceUpdateState, type InPlaceUpdateContainerStatus, type InPlaceUpdateState } from './inPlaceUpdateState.js';
import { QOS_RESOURCES } from './podQosClass.js';
import { selectContainerBatch } from './selectContainerBatch.js';
import { applyStringMapPatch } from './stringMapPatch.js';

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

type Changes = Pick<InPlaceUpdateSpec, 'containerImages' | 'containerRefMetadata' | 'containerResources' | 'metadataPatch'>;

/**
 * Returns the pod with the next batch of `spec` applied (OpenKruise's `PatchSpecToPod`): the
 * metadata patch; then, for the batch {@link selectContainerBatch} picks, new images, resources
 * and env-referenced labels/annotations, the containers' current imageID/resources recorded in
 * `lastContainerStatuses`; the other containers' changes are parked in `next*` with the batch as
 * `preCheckBeforeNext`; the batch is appended to `containerBatchesRecord`.
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
  const resizePatch = resize ? buildResizePatch(batch, spec.containerResources) : undefined;
  return {
    pod: { ...pod, metadata: { ...pod.metadata, ...metadata, annotations }, spec: { ...pod.spec, containers } },
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

function pick<T>(map: Readonly<Record<string, T>>, keep: (name: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(map).filter(([name]) => keep(name)));
}

/** Records the imageID of batch containers whose image changes, and the reported cpu/memory of those resized. */
function recordStatuses(
  previous: Readonly<Record<string, InPlaceUpdateContainerStatus>> | undefined,
  statuses: readonly ContainerStatus[],
  spec: Changes,
  inBatch: ReadonlySet<string>,
): Record<string, InPlaceUpdateContainerStatus> {
  const recorded: Record<string, InPlaceUpdateContainerStatus> = { ...previous };
  for (const status of statuses) {
    if (!inBatch.has(status.name)) continue;
    if (Object.hasOwn(spec.containerImages, status.name)) recorded[status.name] = status.imageID === undefined ? {} : { imageID: status.imageID };
    if (Object.hasOwn(spec.containerResources, status.name)) recorded[status.name] = { ...recorded[status.name], resources: resizableResources(status.resources) };
  }
  return recorded;
}

/** Returns the reported cpu/memory; an empty list is left out, as Go's `omitempty` leaves it out (and then not checked). */
function resizableResources(reported: ResourceRequirements | undefined): ResourceRequirements {
  const only = (list: Readonly<Record<string, string | number>> | undefined): Record<string, string | number> =>
    Object.fromEntries(QOS_RESOURCES.flatMap((name) => (list?.[name] === undefined ? [] : [[name, list[name]]])));
  const limits = only(reported?.limits);
  const requests = only(reported?.requests);
  return { ...(Object.keys(limits).length > 0 ? { limits } : {}), ...(Object.keys(requests).length > 0 ? { requests } : {}) };
}

function buildResizePatch(batch: readonly string[], resources: Readonly<Record<string, ResourceRequirements>>): ResizePatch | undefined {
  const containers = batch.flatMap((name) => {
    const changes = resources[name];
    return changes ? [{ name, resources: changes }] : [];
  });
  return containers.length > 0 ? { spec: { containers } } : undefined;
}
