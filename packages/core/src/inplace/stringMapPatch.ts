/** A merge patch of a string map (labels, annotations): a value sets the key, `null` deletes it. */
export type StringMapPatch = Readonly<Record<string, string | null>>;

/**
 * A patch of pod metadata, as OpenKruise carries template metadata changes to pods (the two-way
 * strategic-merge patch between the old and new template metadata).
 */
export interface MetadataPatch {
  /** Label changes: value to set, or `null` to delete. */
  readonly labels?: StringMapPatch;
  /** Annotation changes: value to set, or `null` to delete. */
  readonly annotations?: StringMapPatch;
  /** Finalizers the template added: merged into the pod's list (strategic-merge `finalizers`). */
  readonly finalizers?: readonly string[];
  /** Finalizers the template dropped: removed from the pod (`$deleteFromPrimitiveList/finalizers`). */
  readonly deleteFinalizers?: readonly string[];
}

/**
 * Returns the merge patch that turns map `before` into map `after`: changed and new keys with
 * their new value, removed keys with `null`.
 *
 * @example diffStringMap({ a: '1', b: '2' }, { a: '1', b: '3', c: '4' }) // { b: '3', c: '4' }
 * @example diffStringMap({ a: '1' }, {}) // { a: null }
 */
export function diffStringMap(before: Readonly<Record<string, string>> = {}, after: Readonly<Record<string, string>> = {}): StringMapPatch {
  const patch: Record<string, string | null> = {};
  for (const key of Object.keys(after)) {
    const value = after[key] as string;
    if (before[key] !== value) patch[key] = value;
  }
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) patch[key] = null;
  return patch;
}

/**
 * Returns `map` with `patch` merged in (`null` deletes the key). `map` is not modified.
 *
 * @example applyStringMapPatch({ a: '1', b: '2' }, { b: null, c: '3' }) // { a: '1', c: '3' }
 */
export function applyStringMapPatch(map: Readonly<Record<string, string>> | undefined, patch: StringMapPatch | undefined): Record<string, string> {
  const result: Record<string, string> = { ...map };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === null) Reflect.deleteProperty(result, key);
    else result[key] = value;
  }
  return result;
}

/**
 * Returns whether a metadata patch changes nothing.
 *
 * @example isEmptyMetadataPatch({ labels: {} }) // true; isEmptyMetadataPatch({ finalizers: ['a'] }) // false
 */
export function isEmptyMetadataPatch(patch: MetadataPatch | undefined): boolean {
  return (
    Object.keys(patch?.labels ?? {}).length === 0 &&
    Object.keys(patch?.annotations ?? {}).length === 0 &&
    (patch?.finalizers ?? []).length === 0 &&
    (patch?.deleteFinalizers ?? []).length === 0
  );
}

/**
 * Returns a finalizer list with `patch` applied as a strategic merge applies it: dropped ones
 * removed, added ones not yet present appended in order.
 *
 * @example applyFinalizersPatch(['a', 'b'], { finalizers: ['c', 'a'], deleteFinalizers: ['b'] }) // ['a', 'c']
 */
export function applyFinalizersPatch(finalizers: readonly string[] | undefined, patch: Pick<MetadataPatch, 'finalizers' | 'deleteFinalizers'> | undefined): string[] {
  const kept = (finalizers ?? []).filter((f) => !(patch?.deleteFinalizers ?? []).includes(f));
  return [...kept, ...(patch?.finalizers ?? []).filter((f, i, added) => !kept.includes(f) && added.indexOf(f) === i)];
}

/**
 * Returns a copy of a string map without the given keys.
 *
 * @example withoutKeys({ a: '1', b: '2' }, ['b']) // { a: '1' }
 */
export function withoutKeys(map: Readonly<Record<string, string>> | undefined, keys: readonly string[]): Record<string, string> {
  if (!keys.some((key) => map !== undefined && Object.hasOwn(map, key))) return { ...map };
  return Object.fromEntries(Object.entries(map ?? {}).filter(([key]) => !keys.includes(key)));
}
