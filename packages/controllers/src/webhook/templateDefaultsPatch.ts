import { diffJson, type JsonPatchOperation } from '@kruise-ts/core';
import { diffJsonStrict } from './cloneset/diffJsonStrict.js';

type Json = Record<string, unknown>;

const UNDER_TEMPLATE = /^\/spec\/template(\/|$)/;
const templateOf = (object: Json): unknown => (typeof object.spec === 'object' && object.spec !== null ? (object.spec as Json).template : undefined);

/**
 * Returns the JSON patch from `object` to `result` for a kind whose `spec.template` got defaults:
 * outside the template the ordinary difference, inside it a strict one, because there an empty
 * `{}` (`securityContext: {}`) is a default the stored object must have.
 *
 * @example object without `spec.template.spec.securityContext`, result with `{}` → `[{ op: 'add', path: '/spec/template/spec/securityContext', value: {} }, ...]`
 */
export function patchWithTemplateDefaults(object: Json, result: Json): JsonPatchOperation[] {
  const outside = diffJson(object, result).filter((op) => !UNDER_TEMPLATE.test(op.path));
  return [...outside, ...diffJsonStrict(templateOf(object), templateOf(result), '/spec/template')];
}
