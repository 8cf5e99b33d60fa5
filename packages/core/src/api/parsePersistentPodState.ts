import type { FieldProblem } from '../shared/fieldProblem.js';
import { zodIssuesToProblems } from './parseCloneSet.js';
import { PERSISTENTPODSTATE_API_VERSION, PERSISTENTPODSTATE_V1ALPHA1_API_VERSION, PersistentPodStateSchema, type PersistentPodState } from './persistentPodState.js';

/**
 * Returns the PersistentPodState in `version` (`apps.kruise.io/v1beta1` or `v1alpha1`): the same
 * fields, only the apiVersion changes (OpenKruise's conversion copies every field). The input is not modified.
 *
 * @example convertPersistentPodState({ apiVersion: 'apps.kruise.io/v1alpha1', spec }, 'apps.kruise.io/v1beta1') → { apiVersion: 'apps.kruise.io/v1beta1', spec }
 */
export function convertPersistentPodState(pps: PersistentPodState, apiVersion: typeof PERSISTENTPODSTATE_API_VERSION | typeof PERSISTENTPODSTATE_V1ALPHA1_API_VERSION): PersistentPodState {
  return pps.apiVersion === undefined ? { ...pps } : { ...pps, apiVersion };
}

/** A parsed PersistentPodState, or every problem that kept it from parsing. */
export type ParsedPersistentPodState = { readonly kind: 'valid'; readonly value: PersistentPodState } | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

/**
 * Returns a PersistentPodState read from untrusted data as `{ kind: 'valid', value }` in the
 * v1beta1 shape, or `{ kind: 'invalid', problems }` with every schema problem and its path.
 *
 * @example parsePersistentPodState({ spec: {} }) → { kind: 'invalid', problems: [{ path: 'spec.targetRef', message: 'Invalid input: expected object, received undefined' }] }
 */
export function parsePersistentPodState(input: unknown): ParsedPersistentPodState {
  const parsed = PersistentPodStateSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { kind: 'invalid', problems: zodIssuesToProblems(parsed.error.issues) };
  return { kind: 'valid', value: parsed.data.apiVersion === PERSISTENTPODSTATE_V1ALPHA1_API_VERSION ? convertPersistentPodState(parsed.data, PERSISTENTPODSTATE_API_VERSION) : parsed.data };
}
