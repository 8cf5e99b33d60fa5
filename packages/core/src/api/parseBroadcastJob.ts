import type { FieldProblem } from '../shared/fieldProblem.js';
import { BroadcastJobSchema, type BroadcastJob } from './broadcastJob.js';
import { BROADCASTJOB_V1ALPHA1_API_VERSION } from './broadcastJobV1alpha1.js';
import { convertBroadcastJobToV1beta1 } from './convertBroadcastJob.js';
import { zodIssuesToProblems } from './parseCloneSet.js';

/** A parsed BroadcastJob, or every problem that kept it from parsing. */
export type ParsedBroadcastJob = { readonly kind: 'valid'; readonly value: BroadcastJob } | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

/**
 * Returns a BroadcastJob read from untrusted data (a manifest, a watch event) as
 * `{ kind: 'valid', value }` in the v1beta1 shape, or `{ kind: 'invalid', problems }` listing
 * every schema problem with its path. An `apps.kruise.io/v1alpha1` object is converted. Unknown
 * fields are kept. This checks the shape only; run `validateBroadcastJob` for OpenKruise's rules.
 *
 * @example parseBroadcastJob({ spec: { template, failurePolicy: { type: 'Retry' } } }) → { kind: 'invalid', problems: [
 *   { path: 'spec.failurePolicy.type', message: 'Invalid option: expected one of "Continue"|"FailFast"|"Pause"' }] }
 */
export function parseBroadcastJob(input: unknown): ParsedBroadcastJob {
  const parsed = BroadcastJobSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { kind: 'invalid', problems: zodIssuesToProblems(parsed.error.issues) };
  return { kind: 'valid', value: parsed.data.apiVersion === BROADCASTJOB_V1ALPHA1_API_VERSION ? convertBroadcastJobToV1beta1(parsed.data) : parsed.data };
}
