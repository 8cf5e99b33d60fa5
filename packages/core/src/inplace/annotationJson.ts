import type { z } from 'zod';
import { withoutNulls } from '../shared/revision.js';

/** The outcome of reading a JSON annotation: its parsed value, or why it could not be read. */
export type AnnotationJsonResult<T> = { readonly kind: 'parsed'; readonly value: T } | { readonly kind: 'invalid'; readonly message: string };

/**
 * Returns the value of a JSON annotation checked against `schema`, after dropping `null` members
 * at every depth (Go writes unset maps, pointers and times as `null`; for these annotations
 * `null` and absent mean the same).
 *
 * @example parseAnnotationJson('{"revision":"web-1","lastContainerStatuses":null}', schema) // { kind: 'parsed', value: { revision: 'web-1' } }
 */
export function parseAnnotationJson<S extends z.ZodType>(text: string, schema: S): AnnotationJsonResult<z.infer<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', message: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = schema.safeParse(withoutNulls(raw));
  if (parsed.success) return { kind: 'parsed', value: parsed.data };
  return { kind: 'invalid', message: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ') };
}

/**
 * Returns JSON text with the top-level members in the order given (as a Go struct writes them)
 * and every nested object's keys sorted (as Go writes maps). Members that are `undefined` are left
 * out, so the same value always gives the same text.
 *
 * @example stringifyInOrder([['revision', 'web-1'], ['next', { b: 1, a: 2 }], ['skip', undefined]]) // '{"revision":"web-1","next":{"a":2,"b":1}}'
 */
export function stringifyInOrder(members: ReadonlyArray<readonly [string, unknown]>): string {
  return `{${jsonMembers(members)}}`;
}

/**
 * Returns the members of a JSON object as {@link stringifyInOrder} writes them, without the
 * braces: `"key":value` joined by commas, `undefined` members left out.
 *
 * @example jsonMembers([['a', 1], ['b', undefined], ['c', { y: 2, x: 1 }]]) // '"a":1,"c":{"x":1,"y":2}'
 */
export function jsonMembers(members: ReadonlyArray<readonly [string, unknown]>): string {
  let text = '';
  for (const [key, value] of members) {
    if (value === undefined) continue;
    text += `${text === '' ? '' : ','}${JSON.stringify(key)}:${sortedJson(value)}`;
  }
  return text;
}

/**
 * Returns the JSON text of a JSON value with object keys sorted at every depth: the same text as
 * `canonicalJson` (`shared/revision`), written in one walk instead of through sorted copies.
 * As there, keys sort by UTF-16 code units except that array-index keys (`"0"`, `"12"`) come
 * first in numeric order, as a JavaScript object enumerates them; `undefined` members are left
 * out and `undefined` array items written `null` (functions and symbols too, as `JSON.stringify`
 * treats them).
 *
 * @example sortedJson({ b: [1, { d: true, c: null }], a: 'x' }) // '{"a":"x","b":[1,{"c":null,"d":true}]}'
 * @example sortedJson({ b: 1, 10: 2, 9: 3 }) // '{"9":3,"10":2,"b":1}'
 */
export function sortedJson(value: unknown): string {
  if (!isWritten(value)) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item: unknown) => sortedJson(item)).join(',')}]`;
  const object = value as Readonly<Record<string, unknown>>;
  let text = '';
  for (const key of sortedKeys(object)) {
    const member = object[key];
    if (!isWritten(member)) continue;
    text += `${text === '' ? '' : ','}${JSON.stringify(key)}:${sortedJson(member)}`;
  }
  return `{${text}}`;
}

/** Whether JSON has a text for `value` (not `undefined`, a function or a symbol). */
function isWritten(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** The own keys of `object` in the order `canonicalJson` writes them: array indices numerically, then the rest sorted. */
function sortedKeys(object: Readonly<Record<string, unknown>>): string[] {
  const keys = Object.keys(object);
  if (keys.length < 2) return keys;
  keys.sort(byCodeUnits);
  const indices = keys.filter(isArrayIndex);
  if (indices.length === 0) return keys;
  return [...indices.sort((a, b) => Number(a) - Number(b)), ...keys.filter((key) => !isArrayIndex(key))];
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const MAX_ARRAY_INDEX = 2 ** 32 - 2;

/** Whether a JavaScript object enumerates `key` before its other keys: `"0"`, `"7"`, `"4294967294"`, not `"07"` or `"-1"`. */
function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57) || (first === 48 && key.length > 1) || !/^\d+$/.test(key)) return false;
  return Number(key) <= MAX_ARRAY_INDEX;
}
