import type { FieldProblem } from '../shared/fieldProblem.js';
import { convertResourceDistributionToV1beta1 } from './convertResourceDistribution.js';
import { zodIssuesToProblems } from './parseCloneSet.js';
import { ResourceDistributionSchema, type ResourceDistribution } from './resourceDistribution.js';
import { RESOURCEDISTRIBUTION_V1ALPHA1_API_VERSION } from './resourceDistributionV1alpha1.js';

/** A parsed ResourceDistribution, or every problem that kept it from parsing. */
export type ParsedResourceDistribution = { readonly kind: 'valid'; readonly value: ResourceDistribution } | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

/**
 * Returns a ResourceDistribution read from untrusted data (a manifest, a watch event) as
 * `{ kind: 'valid', value }` in the v1beta1 shape, or `{ kind: 'invalid', problems }` listing
 * every schema problem with its path. A v1alpha1 object is converted. Unknown fields are kept.
 * This checks the shape only; run `validateResourceDistribution` for OpenKruise's rules.
 *
 * @example parseResourceDistribution({ spec: { targets: { allNamespaces: 'yes' } } }) → { kind: 'invalid', problems: [
 *   { path: 'spec.resource', message: 'Invalid input: expected object, received undefined' },
 *   { path: 'spec.targets.allNamespaces', message: 'Invalid input: expected boolean, received string' }] }
 */
export function parseResourceDistribution(input: unknown): ParsedResourceDistribution {
  const parsed = ResourceDistributionSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { kind: 'invalid', problems: zodIssuesToProblems(parsed.error.issues) };
  return { kind: 'valid', value: parsed.data.apiVersion === RESOURCEDISTRIBUTION_V1ALPHA1_API_VERSION ? convertResourceDistributionToV1beta1(parsed.data) : parsed.data };
}
