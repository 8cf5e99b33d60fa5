import { canonicalJson } from '@kruise-ts/core';

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// Own members only, even for a key such as `__proto__` (JSON.parse makes those), which plain
// reads would take from the prototype and plain assignment would swallow.
const member = (object: Record<string, unknown>, key: string): unknown => (Object.hasOwn(object, key) ? object[key] : undefined);
const setMember = (object: Record<string, unknown>, key: string, value: unknown): void => {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
};

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
    const old = member(before, key);
    if (canonicalJson(old) === canonicalJson(value)) continue;
    setMember(patch, key, isPlainObject(old) && isPlainObject(value) ? mergePatchOf(old, value) : value);
  }
  for (const key of Object.keys(before)) if (member(before, key) !== undefined && member(after, key) === undefined) setMember(patch, key, null);
  return patch;
}
