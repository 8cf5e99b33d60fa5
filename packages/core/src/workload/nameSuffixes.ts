/**
 * Where the random suffixes of new object names come from: a list used in order (tests, offline
 * plans), or a function returning a fresh random suffix at each call (the controller's, like the
 * apiserver's `generateName`). Core draws only as many as it creates objects.
 */
export type NameSuffixes = readonly string[] | (() => string);

/**
 * Returns a function drawing the next suffix (`undefined` once a list runs out).
 *
 * @example const draw = suffixDrawer(['a', 'b']); draw(); draw(); draw() // 'a', 'b', undefined
 */
export function suffixDrawer(suffixes: NameSuffixes): () => string | undefined {
  if (typeof suffixes === 'function') return suffixes;
  let next = 0;
  return () => suffixes[next++];
}
