import type { InformerEvent, KubeObject } from '@kruise-ts/k8s-adapter';

/**
 * Returns true when an informer event should enqueue anything. Adds and deletes usually pass;
 * updates are compared with the object before the change.
 */
export type EventPredicate<T extends KubeObject> = (event: InformerEvent<T>) => boolean;

/**
 * Returns true for adds and deletes, and for updates that changed `metadata.generation` (a spec
 * change: status-only writes and resyncs are skipped). Generation 3 → 4 passes, 4 → 4 does not.
 */
export function generationChanged<T extends KubeObject>(event: InformerEvent<T>): boolean {
  return event.type !== 'updated' || event.object.metadata.generation !== event.previous.metadata.generation;
}

/** Returns true for adds and deletes, and for updates with a new `metadata.resourceVersion` (skips resyncs). */
export function resourceVersionChanged<T extends KubeObject>(event: InformerEvent<T>): boolean {
  return event.type !== 'updated' || event.object.metadata.resourceVersion !== event.previous.metadata.resourceVersion;
}

/** Returns true for adds and deletes, and for updates that changed any label. */
export function labelsChanged<T extends KubeObject>(event: InformerEvent<T>): boolean {
  if (event.type !== 'updated') return true;
  const now = event.object.metadata.labels ?? {};
  const before = event.previous.metadata.labels ?? {};
  const names = new Set([...Object.keys(now), ...Object.keys(before)]);
  return [...names].some((name) => now[name] !== before[name]);
}

/** Returns a predicate that passes when any of `predicates` passes (e.g. generation or labels changed). */
export function anyPredicate<T extends KubeObject>(...predicates: readonly EventPredicate<T>[]): EventPredicate<T> {
  return (event) => predicates.some((predicate) => predicate(event));
}
