import type { FieldProblem } from '../shared/fieldProblem.js';
import { convertDaemonSetToV1beta1 } from './convertDaemonSet.js';
import { DaemonSetSchema, type DaemonSet } from './daemonSet.js';
import { DAEMONSET_V1ALPHA1_API_VERSION, DaemonSetV1alpha1Schema, type DaemonSetV1alpha1 } from './daemonSetV1alpha1.js';
import { zodIssuesToProblems } from './parseCloneSet.js';

/** A parsed Advanced DaemonSet, or every problem that kept it from parsing. */
export type ParsedDaemonSet = { readonly kind: 'valid'; readonly value: DaemonSet } | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

/** Options of {@link parseDaemonSet}. */
export interface ParseDaemonSetOptions {
  /**
   * Applied to a v1alpha1 object before it is converted, e.g. `withDaemonSetSurgingDefaults` so
   * that a deprecated `rollingUpdateType: Surging` keeps its budgets (the defaulting webhook does).
   */
  readonly beforeConversion?: ((ds: DaemonSetV1alpha1) => DaemonSetV1alpha1) | undefined;
}

function isV1alpha1(input: unknown): boolean {
  return typeof input === 'object' && input !== null && (input as { apiVersion?: unknown }).apiVersion === DAEMONSET_V1ALPHA1_API_VERSION;
}

/**
 * Returns an Advanced DaemonSet read from untrusted data (a manifest, a watch event) as
 * `{ kind: 'valid', value }` in the v1beta1 shape, or `{ kind: 'invalid', problems }` listing
 * every schema problem with its path. An `apps.kruise.io/v1alpha1` object is read with the
 * v1alpha1 schema and converted (`convertDaemonSetToV1beta1`). Unknown fields are kept. This
 * checks the shape only; run `validateDaemonSet` for OpenKruise's rules.
 *
 * @example parseDaemonSet({ spec: { burstReplicas: true, updateStrategy: { rollingUpdate: { rollingUpdateType: 'Surging' } } } }) → { kind: 'invalid', problems: [
 *   { path: 'spec.selector', message: 'Required value' }, { path: 'spec.template', message: 'Required value' },
 *   { path: 'spec.updateStrategy.rollingUpdate.rollingUpdateType', message: 'Invalid option: expected one of "Standard"|"InPlaceIfPossible"' },
 *   { path: 'spec.burstReplicas', message: 'Invalid input' }] }
 */
export function parseDaemonSet(input: unknown, options: ParseDaemonSetOptions = {}): ParsedDaemonSet {
  if (isV1alpha1(input)) {
    const alpha = DaemonSetV1alpha1Schema.safeParse(input, { reportInput: true });
    if (!alpha.success) return { kind: 'invalid', problems: zodIssuesToProblems(alpha.error.issues) };
    return { kind: 'valid', value: convertDaemonSetToV1beta1(options.beforeConversion?.(alpha.data) ?? alpha.data) };
  }
  const beta = DaemonSetSchema.safeParse(input, { reportInput: true });
  return beta.success ? { kind: 'valid', value: beta.data } : { kind: 'invalid', problems: zodIssuesToProblems(beta.error.issues) };
}
