import { INPLACE_UPDATE_STATE_ANNOTATION } from '../api/labels.js';
import type { Container, ContainerStatus, Pod, ResourceRequirements } from '../api/pod.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import { jsonEqual } from './diffJson.js';
import type { ContainerPatch, ResizePatch } from './diffPodForPatch.js';
import type { InPlaceUpdateSpec } from './inPlaceUpdateSpec.js';
import { stateTextWriter, type InPlaceUpdateContainerStatus, type InPlaceUpdateState } from './inPlaceUpdateState.js';
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

/** The parts of an in-place update spec that a batch writes into the pod. */
export type InPlaceUpdateChanges = Pick<InPlaceUpdateSpec, 'containerImages' | 'containerRefMetadata' | 'containerResources' | 'metadataPatch'>;

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
export function applyInPlaceUpdateBatch(pod: Pod, spec: InPlaceUpdateChanges, state: InPlaceUpdateState, options: ApplyInPlaceUpdateBatchOptions): InPlaceUpdateBatch {
  const written = planInPlaceUpdateBatch(pod, pod.metadata, spec, state, options);
  const resize = options.resizeSubresource === true;
  const containers = pod.spec.containers.map((c) => (written.inBatch.has(c.name) ? withChanges(c, spec, resize) : c));
  const { labels, annotations, finalizers } = written.metadata;
  return {
    pod: { ...pod, metadata: { ...withoutFinalizers(pod.metadata), labels, annotations, ...(finalizers.length > 0 ? { finalizers } : {}) }, spec: { ...pod.spec, containers } },
    state: written.state,
    batch: written.batch,
    ...(written.resizePatch ? { resizePatch: written.resizePatch } : {}),
  };
}

/** One batch of an in-place update, planned but not written: what both the pod and its patch are made from. */
export interface InPlaceUpdateBatchPlan {
  /** Containers changed in this batch, sorted. */
  readonly batch: readonly string[];
  /** The same names, to look up. */
  readonly inBatch: ReadonlySet<string>;
  /** The state to record. */
  readonly state: InPlaceUpdateState;
  /** The pod's labels, annotations (the state annotation included) and finalizers after the batch. */
  readonly metadata: { readonly labels: Record<string, string>; readonly annotations: Record<string, string>; readonly finalizers: string[] };
  /** With `resizeSubresource`: the `pods/resize` body. */
  readonly resizePatch?: ResizePatch;
}

/**
 * Returns the next batch of `spec` for `pod` as {@link applyInPlaceUpdateBatch} applies it, from
 * `metadata` (the pod's own, or a copy with other changes of the same write already made): the
 * batch, the new state, the metadata after it, the resize body. The containers are not touched:
 * {@link applyInPlaceUpdateBatch} changes them on a copy of the pod, {@link batchContainerPatches}
 * writes their patch.
 *
 * @example pod labelled { app: 'web' }, spec { containerImages: { main: 'nginx:2' } }
 *   // { batch: ['main'], state: { ..., containerBatchesRecord: [{ containers: ['main'], ... }] }, metadata: { labels: { app: 'web' }, annotations: { 'apps.kruise.io/inplace-update-state': '{...}' }, finalizers: [] } }
 */
export function planInPlaceUpdateBatch(
  pod: Pod,
  metadata: Pick<Pod['metadata'], 'labels' | 'annotations' | 'finalizers'>,
  spec: InPlaceUpdateChanges,
  state: InPlaceUpdateState,
  options: ApplyInPlaceUpdateBatchOptions,
  templates?: Map<string, BatchStateTemplate>,
): InPlaceUpdateBatchPlan {
  const batch = selectContainerBatch(pod.spec.containers, spec);
  const inBatch = new Set(batch);
  const template = batchStateTemplate(pod, spec, state, batch, inBatch, options.now, templates);
  const statuses = recordStatuses(state.lastContainerStatuses, pod.status?.containerStatuses ?? [], spec, inBatch);
  const { labels, annotations } = applyRefMetadata(metadata, spec, inBatch);
  annotations[INPLACE_UPDATE_STATE_ANNOTATION] = template.write(statuses);
  const finalizers = applyFinalizersPatch(metadata.finalizers, spec.metadataPatch);
  const resizePatch = options.resizeSubresource === true ? buildResizePatch(pod, batch, spec.containerResources) : undefined;
  return {
    batch,
    inBatch,
    state: { ...template.state, lastContainerStatuses: statuses },
    metadata: { labels, annotations, finalizers },
    ...(resizePatch ? { resizePatch } : {}),
  };
}

/**
 * The state after a batch but for what it records per pod (`lastContainerStatuses`), with a
 * writer of its annotation text: the same for every pod whose batch and waiting containers are
 * the same.
 */
export interface BatchStateTemplate {
  /** The state after the batch, `lastContainerStatuses` still the previous one. */
  readonly state: InPlaceUpdateState;
  /** The annotation text of the state with the pod's `lastContainerStatuses`. */
  readonly write: (statuses: Readonly<Record<string, InPlaceUpdateContainerStatus>>) => string;
}

/**
 * Returns the state template of the batch, from `templates` when it holds one for the same batch
 * and waiting containers (a memo the caller keeps for one spec, state and time), else made (and
 * remembered there).
 */
function batchStateTemplate(
  pod: Pod,
  spec: InPlaceUpdateChanges,
  state: InPlaceUpdateState,
  batch: string[],
  inBatch: ReadonlySet<string>,
  now: EpochMs,
  templates: Map<string, BatchStateTemplate> | undefined,
): BatchStateTemplate {
  if (templates === undefined) return makeBatchStateTemplate(pod, spec, state, batch, inBatch, now);
  const key = templateKey(batch, spec, inBatch, pod.spec.containers);
  let template = templates.get(key);
  if (template === undefined) templates.set(key, (template = makeBatchStateTemplate(pod, spec, state, batch, inBatch, now)));
  return template;
}

/** The state after the batch (statuses still the previous ones): the other changes parked in `next*`, the batch recorded. */
function makeBatchStateTemplate(pod: Pod, spec: InPlaceUpdateChanges, state: InPlaceUpdateState, batch: string[], inBatch: ReadonlySet<string>, now: EpochMs): BatchStateTemplate {
  const waiting = (name: string): boolean => isWaiting(name, inBatch, pod.spec.containers);
  const next = {
    nextContainerImages: pick(spec.containerImages, waiting),
    nextContainerRefMetadata: pick(spec.containerRefMetadata, (name) => !inBatch.has(name)),
    nextContainerResources: pick(spec.containerResources, waiting),
  };
  const pending = Object.values(next).some((map) => Object.keys(map).length > 0);
  const { preCheckBeforeNext: _previous, ...rest } = state;
  const after: InPlaceUpdateState = {
    ...rest,
    lastContainerStatuses: state.lastContainerStatuses,
    ...next,
    ...(pending ? { preCheckBeforeNext: { containersRequiredReady: batch } } : {}),
    containerBatchesRecord: [...(state.containerBatchesRecord ?? []), { timestamp: formatTime(now), containers: batch }],
  };
  return { state: after, write: stateTextWriter(after) };
}

/** Whether a change of container `name` waits for a later batch: the pod has it, the batch does not. */
function isWaiting(name: string, inBatch: ReadonlySet<string>, containers: readonly Container[]): boolean {
  if (inBatch.has(name)) return false;
  for (const container of containers) if (container.name === name) return true;
  return false;
}

/** What a batch's state depends on besides spec, state and time: the batch, and the changed containers left waiting. */
function templateKey(batch: readonly string[], spec: InPlaceUpdateChanges, inBatch: ReadonlySet<string>, containers: readonly Container[]): string {
  let key = JSON.stringify(batch);
  for (const name of Object.keys(spec.containerImages)) if (isWaiting(name, inBatch, containers)) key += `\nimage ${name}`;
  for (const name of Object.keys(spec.containerResources)) if (isWaiting(name, inBatch, containers)) key += `\nresources ${name}`;
  return key;
}

/**
 * Returns the strategic-merge entries of the batch's containers that change: the new image, and
 * (without `resizeSubresource`) the merged resources, each only when it differs from the
 * container's own. The same entries as `diffPodForPatch(pod, applyInPlaceUpdateBatch(pod, ...).pod)`
 * (container names are unique in a pod).
 *
 * @example containers [main nginx:1, log busybox:1], spec { containerImages: { main: 'nginx:2', log: 'busybox:1' } }, batch main and log
 *   // [{ name: 'main', image: 'nginx:2' }]
 */
export function batchContainerPatches(containers: readonly Container[], spec: InPlaceUpdateChanges, inBatch: ReadonlySet<string>, resizeSubresource: boolean): ContainerPatch[] {
  const patches: ContainerPatch[] = [];
  for (const container of containers) {
    if (!inBatch.has(container.name)) continue;
    const image = spec.containerImages[container.name];
    const changes = resizeSubresource ? undefined : spec.containerResources[container.name];
    const resources = changes === undefined ? undefined : mergeResources(container.resources, changes);
    const newImage = image !== undefined && image !== container.image;
    const newResources = resources !== undefined && !jsonEqual(resources, container.resources);
    if (newImage || newResources) patches.push({ name: container.name, ...(newImage ? { image } : {}), ...(newResources ? { resources } : {}) });
  }
  return patches;
}

function withChanges(container: Container, spec: InPlaceUpdateChanges, resize: boolean): Container {
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

/** Returns the labels and annotations with the metadata patch and the batch's env-referenced values. */
function applyRefMetadata(
  metadata: Pick<Pod['metadata'], 'labels' | 'annotations'>,
  spec: InPlaceUpdateChanges,
  inBatch: ReadonlySet<string>,
): { labels: Record<string, string>; annotations: Record<string, string> } {
  let labels = applyStringMapPatch(metadata.labels, spec.metadataPatch?.labels);
  let annotations = applyStringMapPatch(metadata.annotations, spec.metadataPatch?.annotations);
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
  spec: InPlaceUpdateChanges,
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
  if (!batch.some((name) => Object.hasOwn(resources, name))) return undefined;
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
