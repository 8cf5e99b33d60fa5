import { removeKey, deepClone, deepEqual, isJsonObject, type JsonValue } from './jsonValue.js';

/** One RFC 6902 operation, every op included (`move` and `copy` too). */
export type JsonPatchDocumentOperation =
  | { readonly op: 'add' | 'replace' | 'test'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'move' | 'copy'; readonly from: string; readonly path: string };

type JsonPatchOperation = JsonPatchDocumentOperation;

/** A JSON patch operation that cannot be applied: a missing path, a bad index, a failed `test`. */
export class JsonPatchError extends Error {
  readonly _tag = 'JsonPatchError' as const;
  /** Index of the failing operation in the patch. */
  readonly operationIndex: number;
  constructor(operationIndex: number, message: string) {
    super(`operation ${String(operationIndex)}: ${message}`);
    this.name = 'JsonPatchError';
    this.operationIndex = operationIndex;
  }
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function arrayIndex(token: string, length: number, forInsert: boolean): number {
  if (forInsert && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new Error(`invalid array index ${JSON.stringify(token)}`);
  const index = Number(token);
  if (index > length || (!forInsert && index === length)) throw new Error(`array index ${token} out of bounds`);
  return index;
}

/** Returns the container holding the last token of `tokens` (throws when a parent is missing). */
function parentOf(document: JsonValue, tokens: readonly string[]): JsonValue {
  let current = document;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) current = current[arrayIndex(token, current.length, false)] ?? null;
    else if (isJsonObject(current) && Object.hasOwn(current, token)) current = current[token] ?? null;
    else throw new Error(`path segment ${JSON.stringify(token)} not found`);
  }
  return current;
}

function read(document: JsonValue, pointer: string): JsonValue {
  const tokens = parsePointer(pointer);
  const last = tokens.at(-1);
  if (last === undefined) return document;
  const parent = parentOf(document, tokens);
  if (Array.isArray(parent)) return parent[arrayIndex(last, parent.length, false)] ?? null;
  if (isJsonObject(parent) && Object.hasOwn(parent, last)) return parent[last] ?? null;
  throw new Error(`path ${JSON.stringify(pointer)} not found`);
}

/** Returns the document with `value` added (RFC 6902 `add`); replaces the root for pointer "". */
function add(document: JsonValue, pointer: string, value: JsonValue): JsonValue {
  const tokens = parsePointer(pointer);
  const last = tokens.at(-1);
  if (last === undefined) return value;
  const parent = parentOf(document, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true), 0, value);
  else if (isJsonObject(parent)) parent[last] = value;
  else throw new Error(`cannot add to a ${parent === null ? 'null' : typeof parent} at ${JSON.stringify(pointer)}`);
  return document;
}

function remove(document: JsonValue, pointer: string): JsonValue {
  const tokens = parsePointer(pointer);
  const last = tokens.at(-1);
  if (last === undefined) throw new Error('cannot remove the root');
  const parent = parentOf(document, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, false), 1);
  else if (isJsonObject(parent) && Object.hasOwn(parent, last)) removeKey(parent, last);
  else throw new Error(`path ${JSON.stringify(pointer)} not found`);
  return document;
}

function applyOne(document: JsonValue, operation: JsonPatchOperation): JsonValue {
  switch (operation.op) {
    case 'add':
      return add(document, operation.path, deepClone(operation.value as JsonValue));
    case 'remove':
      return remove(document, operation.path);
    case 'replace':
      read(document, operation.path);
      return add(remove(document, operation.path), operation.path, deepClone(operation.value as JsonValue));
    case 'move': {
      if (operation.path.startsWith(`${operation.from}/`)) throw new Error('cannot move a value into one of its children');
      const value = read(document, operation.from);
      return add(remove(document, operation.from), operation.path, value);
    }
    case 'copy':
      return add(document, operation.path, deepClone(read(document, operation.from)));
    case 'test':
      if (!deepEqual(read(document, operation.path), operation.value)) throw new Error(`test failed at ${JSON.stringify(operation.path)}`);
      return document;
  }
}

/**
 * Returns `document` with a JSON patch (RFC 6902) applied, all operations or none: `add`,
 * `remove`, `replace`, `move`, `copy` and `test`. Throws a {@link JsonPatchError} naming the
 * first operation that cannot be applied. `document` is not modified.
 *
 * @example applyJsonPatch({ a: [1, 2] }, [{ op: 'add', path: '/a/-', value: 3 }]) → { a: [1, 2, 3] }
 */
export function applyJsonPatch(document: unknown, operations: readonly JsonPatchOperation[]): JsonValue {
  let result = deepClone(document as JsonValue);
  operations.forEach((operation, index) => {
    try {
      result = applyOne(result, operation);
    } catch (error) {
      throw new JsonPatchError(index, error instanceof Error ? error.message : String(error));
    }
  });
  return result;
}
