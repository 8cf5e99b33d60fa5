/**
 * Returns `base` followed by the `additional` items whose key is neither in `taken` nor the key of
 * an earlier additional item: the "merge, first one wins" of OpenKruise's `util.Merge*` helpers.
 * Internal to the SidecarSet algorithms.
 *
 * @example appendUnseen([a], [a, b, b], (x) => x.name, ['a']) → [a, b]
 */
export function appendUnseen<T>(base: readonly T[], additional: readonly T[], key: (item: T) => string, taken: Iterable<string>): T[] {
  const seen = new Set(taken);
  const merged = [...base];
  for (const item of additional) {
    if (!seen.has(key(item))) merged.push(item);
    seen.add(key(item));
  }
  return merged;
}
