/** A merge patch of a string map (labels, annotations): a value sets the key, `null` deletes it. */
export type StringMapPatch = Readonly<Record<string, string | null>>;

/** A patch of pod metadata, as OpenKruise carries template label/annotation changes to pods. */
export interface MetadataPatch {
  /** Label changes: value to set, or `null` to delete. */
  readonly labels?: StringMapPatch;
  /** Annotation changes: value to set, or `null` to delete. */
  readonly annotations?: StringMapPatch;
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
  for (const [key, value] of Object.entries(after)) if (before[key] !== value) patch[key] = value;
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
 * @example isEmptyMetadataPatch({ labels: {} }) // true
 */
export function isEmptyMetadataPatch(patch: MetadataPatch | undefined): boolean {
  return Object.keys(patch?.labels ?? {}).length === 0 && Object.keys(patch?.annotations ?? {}).length === 0;
}

/**
 * Returns a copy of a string map without the given keys.
 *
 * @example withoutKeys({ a: '1', b: '2' }, ['b']) // { a: '1' }
 */
export function withoutKeys(map: Readonly<Record<string, string>> | undefined, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([key]) => !keys.includes(key)));
}
