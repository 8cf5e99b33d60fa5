export { deepClone, deepEqual, isJsonObject, removeKey, type JsonObject, type JsonValue } from '@kruise-ts/core';
import { isJsonObject, type JsonObject, type JsonValue } from '@kruise-ts/core';

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

