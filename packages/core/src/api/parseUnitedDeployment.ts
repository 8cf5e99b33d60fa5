import type { FieldProblem } from '../shared/fieldProblem.js';
import { convertUnitedDeploymentToV1beta1 } from './convertUnitedDeployment.js';
import { zodIssuesToProblems } from './parseCloneSet.js';
import { UnitedDeploymentSchema, type UnitedDeployment } from './unitedDeployment.js';
import { UNITEDDEPLOYMENT_V1ALPHA1_API_VERSION, UnitedDeploymentV1alpha1Schema } from './unitedDeploymentV1alpha1.js';

/** A parsed UnitedDeployment, or every problem that kept it from parsing. */
export type ParsedUnitedDeployment = { readonly kind: 'valid'; readonly value: UnitedDeployment } | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

/**
 * Returns a UnitedDeployment read from untrusted data (a manifest, a watch event) as
 * `{ kind: 'valid', value }` in the v1beta1 shape, or `{ kind: 'invalid', problems }` listing
 * every schema problem with its path. An `apps.kruise.io/v1alpha1` object is read with the
 * v1alpha1 schema and converted. Unknown fields are kept. This checks the shape only; run
 * `validateUnitedDeployment` for OpenKruise's rules.
 *
 * @example parseUnitedDeployment({ spec: { replicas: 'ten' } }) → { kind: 'invalid', problems: [
 *   { path: 'spec.replicas', message: 'Invalid input: expected int, received string' }, { path: 'spec.selector', message: 'Required value' }] }
 */
export function parseUnitedDeployment(input: unknown): ParsedUnitedDeployment {
  if (typeof input === 'object' && input !== null && (input as { apiVersion?: unknown }).apiVersion === UNITEDDEPLOYMENT_V1ALPHA1_API_VERSION) {
    const alpha = UnitedDeploymentV1alpha1Schema.safeParse(input, { reportInput: true });
    return alpha.success ? { kind: 'valid', value: convertUnitedDeploymentToV1beta1(alpha.data) } : { kind: 'invalid', problems: zodIssuesToProblems(alpha.error.issues) };
  }
  const beta = UnitedDeploymentSchema.safeParse(input, { reportInput: true });
  return beta.success ? { kind: 'valid', value: beta.data } : { kind: 'invalid', problems: zodIssuesToProblems(beta.error.issues) };
}
