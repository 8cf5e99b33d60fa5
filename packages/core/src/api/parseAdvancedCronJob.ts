import type { FieldProblem } from '../shared/fieldProblem.js';
import { AdvancedCronJobSchema, type AdvancedCronJob } from './advancedCronJob.js';
import { ADVANCEDCRONJOB_V1ALPHA1_API_VERSION } from './advancedCronJobV1alpha1.js';
import { convertAdvancedCronJobToV1beta1 } from './convertAdvancedCronJob.js';
import { zodIssuesToProblems } from './parseCloneSet.js';

/** A parsed AdvancedCronJob, or every problem that kept it from parsing. */
export type ParsedAdvancedCronJob = { readonly kind: 'valid'; readonly value: AdvancedCronJob } | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

/**
 * Returns an AdvancedCronJob read from untrusted data (a manifest, a watch event) as
 * `{ kind: 'valid', value }` in the v1beta1 shape, or `{ kind: 'invalid', problems }` listing
 * every schema problem with its path. An `apps.kruise.io/v1alpha1` object is converted
 * (`convertAdvancedCronJobToV1beta1`). Unknown fields are kept. This checks the shape only; run
 * `validateAdvancedCronJob` for OpenKruise's rules (the schedule, one template...).
 *
 * @example parseAdvancedCronJob({ spec: { schedule: 5, concurrencyPolicy: 'Never' } }) → { kind: 'invalid', problems: [
 *   { path: 'spec.schedule', message: 'Invalid input: expected string, received number' },
 *   { path: 'spec.concurrencyPolicy', message: 'Invalid option: expected one of "Allow"|"Forbid"|"Replace"' },
 *   { path: 'spec.template', message: 'Invalid input: expected object, received undefined' }] }
 */
export function parseAdvancedCronJob(input: unknown): ParsedAdvancedCronJob {
  const parsed = AdvancedCronJobSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { kind: 'invalid', problems: zodIssuesToProblems(parsed.error.issues) };
  return { kind: 'valid', value: parsed.data.apiVersion === ADVANCEDCRONJOB_V1ALPHA1_API_VERSION ? convertAdvancedCronJobToV1beta1(parsed.data) : parsed.data };
}
