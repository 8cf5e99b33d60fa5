import type { FieldProblem } from '../shared/fieldProblem.js';
import { convertStatefulSetToV1beta1 } from './convertStatefulSet.js';
import { zodIssuesToProblems } from './parseCloneSet.js';
import { StatefulSetSchema, type StatefulSet } from './statefulSet.js';
import { STATEFULSET_V1ALPHA1_API_VERSION, StatefulSetV1alpha1Schema } from './statefulSetV1alpha1.js';

/** A parsed Advanced StatefulSet, or every problem that kept it from parsing. */
export type ParsedStatefulSet =
  | { readonly kind: 'valid'; readonly value: StatefulSet }
  | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

function isV1alpha1(input: unknown): boolean {
  return typeof input === 'object' && input !== null && (input as { apiVersion?: unknown }).apiVersion === STATEFULSET_V1ALPHA1_API_VERSION;
}

/**
 * Returns an Advanced StatefulSet read from untrusted data (a manifest, a watch event) as
 * `{ kind: 'valid', value }` in the v1beta1 shape, or `{ kind: 'invalid', problems }` listing
 * every schema problem with its path. An `apps.kruise.io/v1alpha1` object is read with the
 * v1alpha1 schema and converted (`convertStatefulSetToV1beta1`). Unknown fields are kept. This
 * checks the shape only; run `validateStatefulSet` for OpenKruise's rules.
 *
 * @example parseStatefulSet({ spec: { replicas: 'x', podManagementPolicy: 'Sometimes' } }) → { kind: 'invalid', problems: [
 *   { path: 'spec.replicas', message: 'Invalid input: expected number, received string' },
 *   { path: 'spec.selector', message: 'Required value' }, { path: 'spec.template', message: 'Required value' },
 *   { path: 'spec.podManagementPolicy', message: 'Invalid option: expected one of "OrderedReady"|"Parallel"' }] }
 */
export function parseStatefulSet(input: unknown): ParsedStatefulSet {
  if (isV1alpha1(input)) {
    const alpha = StatefulSetV1alpha1Schema.safeParse(input, { reportInput: true });
    return alpha.success ? { kind: 'valid', value: convertStatefulSetToV1beta1(alpha.data) } : { kind: 'invalid', problems: zodIssuesToProblems(alpha.error.issues) };
  }
  const beta = StatefulSetSchema.safeParse(input, { reportInput: true });
  return beta.success ? { kind: 'valid', value: beta.data } : { kind: 'invalid', problems: zodIssuesToProblems(beta.error.issues) };
}
