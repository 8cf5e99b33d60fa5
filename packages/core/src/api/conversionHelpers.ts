/** Helpers of the version conversions (CloneSet, Advanced StatefulSet): build objects without inventing fields. */

/** An object whose optional fields may also be given as `undefined` (dropped by {@link compact}). */
export type Loose<T> = { [K in keyof T]?: T[K] | undefined };

/**
 * Returns the object without the keys whose value is undefined (for `exactOptionalPropertyTypes`).
 *
 * @example compact({ a: 1, b: undefined }) // { a: 1 }
 */
export function compact<T>(value: Loose<T>): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Returns undefined for an object without keys, so that conversions do not invent empty structs.
 *
 * @example nonEmpty({}) // undefined; nonEmpty({ a: 1 }) // { a: 1 }
 */
export function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length === 0 ? undefined : value;
}
