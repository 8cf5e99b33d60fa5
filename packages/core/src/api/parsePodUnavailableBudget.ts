import type { FieldProblem } from '../shared/fieldProblem.js';
import { convertPodUnavailableBudgetToV1beta1 } from './convertPodUnavailableBudget.js';
import { zodIssuesToProblems } from './parseCloneSet.js';
import { PodUnavailableBudgetSchema, type PodUnavailableBudget } from './podUnavailableBudget.js';
import { PUB_V1ALPHA1_API_VERSION, PodUnavailableBudgetV1alpha1Schema } from './podUnavailableBudgetV1alpha1.js';

/** A parsed PodUnavailableBudget, or every problem that kept it from parsing. */
export type ParsedPodUnavailableBudget = { readonly kind: 'valid'; readonly value: PodUnavailableBudget } | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

/**
 * Returns a PodUnavailableBudget read from untrusted data as `{ kind: 'valid', value }` in the
 * v1beta1 shape (a `policy.kruise.io/v1alpha1` object is converted), or `{ kind: 'invalid',
 * problems }` with every schema problem and its path. Shape only: run
 * `validatePodUnavailableBudget` for OpenKruise's rules.
 *
 * @example parsePodUnavailableBudget({ spec: { protectOperations: ['KILL'] } })
 *   → { kind: 'invalid', problems: [{ path: 'spec.protectOperations[0]', message: 'Invalid option: expected one of "DELETE"|"UPDATE"|"EVICT"|"RESIZE"' }] }
 */
export function parsePodUnavailableBudget(input: unknown): ParsedPodUnavailableBudget {
  const alpha = typeof input === 'object' && input !== null && (input as { apiVersion?: unknown }).apiVersion === PUB_V1ALPHA1_API_VERSION;
  if (alpha) {
    const parsed = PodUnavailableBudgetV1alpha1Schema.safeParse(input, { reportInput: true });
    if (!parsed.success) return { kind: 'invalid', problems: zodIssuesToProblems(parsed.error.issues) };
    return { kind: 'valid', value: convertPodUnavailableBudgetToV1beta1(parsed.data) };
  }
  const parsed = PodUnavailableBudgetSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { kind: 'invalid', problems: zodIssuesToProblems(parsed.error.issues) };
  return { kind: 'valid', value: parsed.data };
}
