import type { z } from 'zod';
import { fieldProblem, formatFieldPath, type FieldProblem } from '../shared/fieldProblem.js';
import { CloneSetSchema, type CloneSet } from './cloneSet.js';
import { CLONESET_V1ALPHA1_API_VERSION, CloneSetV1alpha1Schema } from './cloneSetV1alpha1.js';
import { convertCloneSetToV1beta1 } from './convertCloneSet.js';

/** A parsed CloneSet, or every problem that kept it from parsing. */
export type ParsedCloneSet =
  | { readonly kind: 'valid'; readonly value: CloneSet }
  | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

/**
 * Returns the problems of a zod error as {@link FieldProblem}s: the issue path in dotted form and
 * zod's message, except a missing field, which reads `Required value` as in Kubernetes.
 *
 * @example a CloneSet without `spec.template` → `[{ path: 'spec.template', message: 'Required value' }]`
 */
export function zodIssuesToProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.map((issue) =>
    fieldProblem(formatFieldPath(issue.path), issue.code === 'invalid_type' && issue.input === undefined ? 'Required value' : issue.message),
  );
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown): { kind: 'valid'; value: T } | { kind: 'invalid'; problems: FieldProblem[] } {
  const result = schema.safeParse(input, { reportInput: true });
  return result.success ? { kind: 'valid', value: result.data } : { kind: 'invalid', problems: zodIssuesToProblems(result.error.issues) };
}

function isV1alpha1(input: unknown): boolean {
  return typeof input === 'object' && input !== null && (input as { apiVersion?: unknown }).apiVersion === CLONESET_V1ALPHA1_API_VERSION;
}

/**
 * Returns a CloneSet read from untrusted data (a manifest, a watch event) as
 * `{ kind: 'valid', value }` in the v1beta1 shape, or `{ kind: 'invalid', problems }` listing
 * every schema problem with its path. An `apps.kruise.io/v1alpha1` object is read with the
 * v1alpha1 schema and converted (`convertCloneSetToV1beta1`). Unknown fields are kept. This checks
 * the shape only; run `validateCloneSet` for OpenKruise's rules.
 *
 * @example parseCloneSet({ spec: { replicas: 'x' } }) → { kind: 'invalid', problems: [
 *   { path: 'spec.replicas', message: 'Invalid input: expected number, received string' },
 *   { path: 'spec.selector', message: 'Required value' }, { path: 'spec.template', message: 'Required value' }] }
 */
export function parseCloneSet(input: unknown): ParsedCloneSet {
  if (!isV1alpha1(input)) return parseWith(CloneSetSchema, input);
  const parsed = parseWith(CloneSetV1alpha1Schema, input);
  return parsed.kind === 'valid' ? { kind: 'valid', value: convertCloneSetToV1beta1(parsed.value) } : parsed;
}
