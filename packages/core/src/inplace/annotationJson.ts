import type { z } from 'zod';
import { canonicalJson, withoutNulls } from '../shared/revision.js';

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
  const parts = members.filter(([, value]) => value !== undefined).map(([key, value]) => `${JSON.stringify(key)}:${canonicalJson(value)}`);
  return `{${parts.join(',')}}`;
}
