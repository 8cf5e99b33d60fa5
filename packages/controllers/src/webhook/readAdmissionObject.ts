import type { FieldProblem } from '@kruise-ts/core';
import { denyProblems } from './admissionDecisions.js';
import type { AdmissionDecision, AdmissionRequest } from './admissionTypes.js';

type Json = Record<string, unknown>;

/** What a kind's `parse*` function returns (core's `parseCloneSet`, `parseSidecarSet`). */
export type ParsedObject<T> = { readonly kind: 'valid'; readonly value: T } | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

/** An admission request's object read by its kind's parser, or the denial to answer with. */
export type AdmissionObjectRead<T> =
  | {
      readonly kind: 'read';
      /** What the parser made of it (v1beta1 for the kinds served in two versions). */
      readonly value: T;
      /** The object as sent, with the request's apiVersion when it had none. */
      readonly object: Json;
    }
  | { readonly kind: 'denied'; readonly decision: AdmissionDecision };

/**
 * Returns `request.object` (or `oldObject`) read by `parse`: the object gets the apiVersion the
 * request names when it omits it; something that is not an object, or does not parse, becomes a
 * code-400 denial naming each field (`cannot read the <what>: spec.replicas: ...`).
 *
 * @example readAdmissionObject(request, 'object', parseCloneSet, 'CloneSet') → { kind: 'read', value: cloneSet, object }
 */
export function readAdmissionObject<T>(request: AdmissionRequest, field: 'object' | 'oldObject', parse: (object: Json) => ParsedObject<T>, what: string): AdmissionObjectRead<T> {
  const value = request[field];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'denied', decision: denyProblems([{ path: '', message: `request.${field} must be a ${what} object` }], { undecodable: true }) };
  }
  const raw = value as Json;
  const object = typeof raw.apiVersion === 'string' ? raw : { ...raw, apiVersion: `${request.kind.group}/${request.kind.version}` };
  const parsed = parse(object);
  if (parsed.kind === 'invalid') return { kind: 'denied', decision: denyProblems(parsed.problems, { undecodable: true, prefix: `cannot read ${field === 'object' ? 'the' : 'the stored'} ${what}` }) };
  return { kind: 'read', value: parsed.value, object };
}
