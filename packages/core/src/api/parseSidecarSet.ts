import { type FieldProblem } from '../shared/fieldProblem.js';
import { convertSidecarSetToV1beta1 } from './convertSidecarSet.js';
import { zodIssuesToProblems } from './parseCloneSet.js';
import { SidecarSetSchema, type SidecarSet } from './sidecarSet.js';
import { SIDECARSET_V1ALPHA1_API_VERSION, SidecarSetV1alpha1Schema } from './sidecarSetV1alpha1.js';

/** A parsed SidecarSet, or every problem that kept it from parsing. */
export type ParsedSidecarSet =
  | { readonly kind: 'valid'; readonly value: SidecarSet }
  | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

/**
 * Returns a SidecarSet read from untrusted data (a manifest, an admission request) as
 * `{ kind: 'valid', value }` in the v1beta1 shape, or `{ kind: 'invalid', problems }` listing
 * every schema problem with its path. An `apps.kruise.io/v1alpha1` object is read with the v1alpha1
 * schema and converted (`convertSidecarSetToV1beta1`). Unknown fields are kept. This checks the
 * shape only; run `validateSidecarSet` for OpenKruise's rules.
 *
 * @example parseSidecarSet({ spec: { containers: [{ name: 'log', podInjectPolicy: 'Sideways' }] } }) →
 *   { kind: 'invalid', problems: [{ path: 'spec.containers[0].podInjectPolicy', message: 'Invalid option: expected one of "BeforeAppContainer"|"AfterAppContainer"' }] }
 */
export function parseSidecarSet(input: unknown): ParsedSidecarSet {
  const alpha = typeof input === 'object' && input !== null && (input as { apiVersion?: unknown }).apiVersion === SIDECARSET_V1ALPHA1_API_VERSION;
  if (alpha) {
    const result = SidecarSetV1alpha1Schema.safeParse(input, { reportInput: true });
    return result.success ? { kind: 'valid', value: convertSidecarSetToV1beta1(result.data) } : { kind: 'invalid', problems: zodIssuesToProblems(result.error.issues) };
  }
  const result = SidecarSetSchema.safeParse(input, { reportInput: true });
  return result.success ? { kind: 'valid', value: result.data } : { kind: 'invalid', problems: zodIssuesToProblems(result.error.issues) };
}
