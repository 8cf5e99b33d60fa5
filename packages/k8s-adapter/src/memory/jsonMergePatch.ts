import { removeKey, deepClone, isJsonObject, type JsonValue } from './jsonValue.js';

/**
 * Returns `target` with a JSON merge patch (RFC 7386) applied: objects merge recursively, `null`
 * removes a member, anything else (arrays included) replaces. Neither argument is modified.
 *
 * @example applyMergePatch({ a: 'b', c: { d: 'e' } }, { a: 'z', c: { d: null } }) → { a: 'z', c: {} }
 */
export function applyMergePatch(target: unknown, patch: unknown): JsonValue {
  if (!isJsonObject(patch)) return deepClone(patch as JsonValue);
  const result = isJsonObject(target) ? deepClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) removeKey(result, key);
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}
