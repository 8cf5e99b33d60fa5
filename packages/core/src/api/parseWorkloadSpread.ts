import type { FieldProblem } from '../shared/fieldProblem.js';
import { zodIssuesToProblems } from './parseCloneSet.js';
import { WorkloadSpreadSchema, type WorkloadSpread } from './workloadSpread.js';

/** A parsed WorkloadSpread, or every problem that kept it from parsing. */
export type ParsedWorkloadSpread = { readonly kind: 'valid'; readonly value: WorkloadSpread } | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

/**
 * Returns a WorkloadSpread read from untrusted data as `{ kind: 'valid', value }`, or
 * `{ kind: 'invalid', problems }` with every schema problem and its path. Shape only: run
 * `validateWorkloadSpread` for OpenKruise's rules.
 *
 * @example parseWorkloadSpread({ spec: { subsets: [{ name: 'a', maxReplicas: 1.5 }] } })
 *   → { kind: 'invalid', problems: [{ path: 'spec.subsets[0].maxReplicas', ... }] }
 */
export function parseWorkloadSpread(input: unknown): ParsedWorkloadSpread {
  const parsed = WorkloadSpreadSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { kind: 'invalid', problems: zodIssuesToProblems(parsed.error.issues) };
  return { kind: 'valid', value: parsed.data };
}
