import { canonicalJson } from '@kruise-ts/core';

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Returns the JSON merge patch (RFC 7386) that turns `before` into `after`: changed and new
 * fields with their value (objects recursed into, arrays replaced whole), removed fields as
 * `null`, unchanged fields left out.
 *
 * @example mergePatchOf({ replicas: 3, ready: 2, x: 1 }, { replicas: 3, ready: 3 }) // { ready: 3, x: null }
 */
export function mergePatchOf(before: unknown, after: unknown): unknown {
  if (!isPlainObject(before) || !isPlainObject(after)) return after;
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const old = before[key];
    if (canonicalJson(old) === canonicalJson(value)) continue;
    patch[key] = isPlainObject(old) && isPlainObject(value) ? mergePatchOf(old, value) : value;
  }
  for (const key of Object.keys(before)) if (before[key] !== undefined && (after[key] === undefined || !(key in after))) patch[key] = null;
  return patch;
}
