import type { FieldProblem } from '@kruise-ts/core';
import type { JsonPatchOperation } from '@kruise-ts/k8s-adapter';
import type { AdmissionDecision } from './admissionTypes.js';

/** Returns a decision admitting the request unchanged. */
export function allow(warnings?: readonly string[]): AdmissionDecision {
  return warnings === undefined || warnings.length === 0 ? { kind: 'allow' } : { kind: 'allow', warnings };
}

/** Returns a decision admitting the request with `patch` applied to its object (mutating webhooks). */
export function allowWithPatch(patch: readonly JsonPatchOperation[]): AdmissionDecision {
  return patch.length === 0 ? { kind: 'allow' } : { kind: 'allow', patch };
}

/** Returns a decision refusing the request with `message` (code 403 unless told). */
export function deny(message: string, options: { code?: number; reason?: string } = {}): AdmissionDecision {
  return { kind: 'deny', message, code: options.code ?? 403, reason: options.reason ?? 'Forbidden' };
}

/**
 * Returns the problems as one readable line: each `path: message`, joined by `; `.
 *
 * @example problemsMessage([{ path: 'spec.replicas', message: 'must be >= 0' }, { path: 'spec.selector', message: 'Required value' }])
 *   → 'spec.replicas: must be >= 0; spec.selector: Required value'
 */
export function problemsMessage(problems: readonly FieldProblem[]): string {
  return problems.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`)).join('; ');
}

/**
 * Returns a denial listing `problems` in the message and as `status.details.causes`, with code 422
 * and reason `Invalid` (an invalid object), or 400 / `BadRequest` for an object that cannot be read.
 *
 * @example denyProblems([{ path: 'spec.replicas', message: 'must be >= 0' }]) →
 *   { kind: 'deny', code: 422, reason: 'Invalid', message: 'spec.replicas: must be >= 0', causes: [{ field: 'spec.replicas', message: 'must be >= 0', reason: 'FieldValueInvalid' }] }
 */
export function denyProblems(problems: readonly FieldProblem[], options: { undecodable?: boolean; prefix?: string } = {}): AdmissionDecision {
  const text = problemsMessage(problems);
  return {
    kind: 'deny',
    code: options.undecodable === true ? 400 : 422,
    reason: options.undecodable === true ? 'BadRequest' : 'Invalid',
    message: options.prefix === undefined ? text : `${options.prefix}: ${text}`,
    causes: problems.map((p) => ({ field: p.path, message: p.message, reason: 'FieldValueInvalid' })),
  };
}
