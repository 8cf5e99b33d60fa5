/** A JSON value as the apiserver stores it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Returns whether `value` is a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns a deep copy of a JSON-compatible value (`undefined` members are dropped, as JSON does). */
export function deepClone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Returns whether two JSON values are structurally equal (object key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Returns the value at a dotted path (`spec.replicas`, leading dot allowed), or undefined. */
export function getPath(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const part of path.replace(/^\./, '').split('.')) {
    if (!isJsonObject(current)) return undefined;
    current = current[part];
  }
  return current;
}

/** Sets the value at a dotted path, creating intermediate objects (mutates `object`). */
export function setPath(object: JsonObject, path: string, value: JsonValue): void {
  const parts = path.replace(/^\./, '').split('.');
  let current = object;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (isJsonObject(next)) current = next;
    else {
      const created: JsonObject = {};
      current[part] = created;
      current = created;
    }
  }
  current[parts.at(-1) ?? ''] = value;
}

/** Returns a JSON value as text: strings as they are, numbers and booleans printed, null and undefined as `''`, the rest as JSON. */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

/** Removes the member `key` of `object` (mutates it). */
export function removeKey(object: JsonObject, key: string): void {
  Reflect.deleteProperty(object, key);
}
