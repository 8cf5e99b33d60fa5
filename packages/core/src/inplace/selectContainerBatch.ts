import { CONTAINER_LAUNCH_BARRIER_ENV } from '../api/labels.js';
import type { Container } from '../api/pod.js';
import type { ContainerRefMetadata } from './inPlaceUpdateSpec.js';

/** Per-container changes still to apply, keyed by container name (a subset of the update spec). */
export interface ContainerChanges {
  /** New images. */
  readonly containerImages: Readonly<Record<string, string>>;
  /** Env-referenced labels/annotations to set. */
  readonly containerRefMetadata: Readonly<Record<string, ContainerRefMetadata>>;
  /** New cpu/memory. */
  readonly containerResources: Readonly<Record<string, unknown>>;
}

/**
 * Returns a container's launch priority: N of the `p_N` key of its `KRUISE_CONTAINER_BARRIER`
 * env (injected by the pod webhook from `KRUISE_CONTAINER_PRIORITY` or the `Ordered`
 * annotation), or `undefined` when it has none. A key that is not a number counts as 0, as in
 * OpenKruise.
 *
 * @example containerLaunchPriority({ name: 'app', env: [{ name: 'KRUISE_CONTAINER_BARRIER', valueFrom: { configMapKeyRef: { name: 'p-barrier', key: 'p_-1' } } }] }) // -1
 */
export function containerLaunchPriority(container: Container): number | undefined {
  const barrier = container.env?.find((env) => env.name === CONTAINER_LAUNCH_BARRIER_ENV);
  if (!barrier) return undefined;
  const digits = barrier.valueFrom?.configMapKeyRef?.key.slice(2) ?? '';
  return /^[+-]?\d+$/.test(digits) ? Number.parseInt(digits, 10) : 0;
}

/**
 * Returns the names (sorted) of the containers to change in the next batch: every changed
 * container without a launch priority, the changed containers of the highest priority, and then,
 * repeatedly, any changed container that reads a label or annotation another batch member sets
 * (setting that label changes the env of every container reading it, so they restart together).
 *
 * @example containers sidecar(p_1), app(p_0), log(no priority), all with new images
 *   // selectContainerBatch → ['log', 'sidecar']; 'app' waits for the next batch
 */
export function selectContainerBatch(containers: readonly Container[], changes: ContainerChanges): string[] {
  const batch = new Set<string>();
  let highest: number | undefined;
  let top: string[] = [];
  for (const container of containers) {
    if (!hasChange(changes, container.name)) continue;
    const priority = containerLaunchPriority(container);
    if (priority === undefined) batch.add(container.name);
    else if (highest === undefined || priority > highest) [highest, top] = [priority, [container.name]];
    else if (priority === highest) top.push(container.name);
  }
  for (const name of top) batch.add(name);
  addContainersSharingMetadata(batch, changes.containerRefMetadata);
  return [...batch].sort();
}

function hasChange(changes: ContainerChanges, name: string): boolean {
  return Object.hasOwn(changes.containerImages, name) || Object.hasOwn(changes.containerRefMetadata, name) || Object.hasOwn(changes.containerResources, name);
}

/** Grows `batch` until no container outside it reads a label or annotation a member sets. */
function addContainersSharingMetadata(batch: Set<string>, refMetadata: Readonly<Record<string, ContainerRefMetadata>>): void {
  let grew = true;
  while (grew) {
    grew = false;
    const keys = metadataKeysOf([...batch], refMetadata);
    for (const [name, metadata] of Object.entries(refMetadata)) {
      if (batch.has(name) || !sharesKey(metadata, keys)) continue;
      batch.add(name);
      grew = true;
    }
  }
}

function metadataKeysOf(names: readonly string[], refMetadata: Readonly<Record<string, ContainerRefMetadata>>): Set<string> {
  const keys = new Set<string>();
  for (const name of names) {
    const metadata = refMetadata[name];
    for (const key of Object.keys(metadata?.labels ?? {})) keys.add(`labels/${key}`);
    for (const key of Object.keys(metadata?.annotations ?? {})) keys.add(`annotations/${key}`);
  }
  return keys;
}

function sharesKey(metadata: ContainerRefMetadata, keys: ReadonlySet<string>): boolean {
  return Object.keys(metadata.labels ?? {}).some((key) => keys.has(`labels/${key}`)) || Object.keys(metadata.annotations ?? {}).some((key) => keys.has(`annotations/${key}`));
}
