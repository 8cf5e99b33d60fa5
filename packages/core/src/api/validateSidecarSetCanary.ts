import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { canaryBaseOf, SIDECARSET_BASE_ANNOTATION, SIDECARSET_CANARY_ANNOTATION, type SidecarSet } from './sidecarSet.js';

/** What {@link validateSidecarSetCanary} reads besides the SidecarSet. */
export interface ValidateSidecarSetCanaryOptions {
  /** Every SidecarSet of the cluster (to find the base); when absent the base is not looked up. */
  readonly sidecarSets?: readonly SidecarSet[] | undefined;
  /** The SidecarSet before an UPDATE. */
  readonly old?: SidecarSet | undefined;
}

/**
 * Returns the problems of a canary SidecarSet (`apps.kruise.io/sidecarset-canary: "true"`), as
 * OpenKruise's webhook, at `metadata`: its base (`apps.kruise.io/sidecarset-base`) may not be
 * itself, may not change on update, must exist (among `sidecarSets`) and may not be a canary
 * itself; and a canary is injected only (its `updateStrategy.type` may not be RollingUpdate, the
 * default). A SidecarSet that is not a canary has none.
 *
 * @example canary `log-canary` with base `log` and no updateStrategy.type →
 *   `[{ path: 'metadata', message: 'Invalid value: …: RollingUpdate is not supported for canary sidecarSet' }]`
 */
export function validateSidecarSetCanary(ss: SidecarSet, options: ValidateSidecarSetCanaryOptions = {}): FieldProblem[] {
  const annotations = ss.metadata?.annotations ?? {};
  if (annotations[SIDECARSET_CANARY_ANNOTATION] !== 'true') return [];
  const invalid = (detail: string) => fieldProblem('metadata', `Invalid value: ${JSON.stringify(annotations)}: ${detail}`);
  const base = canaryBaseOf(ss) ?? '';
  const name = ss.metadata?.name ?? '';
  if (base === name) return [invalid('base sidecarSet cannot be itself')];
  const problems: FieldProblem[] = [];
  if (options.old !== undefined && (options.old.metadata?.annotations?.[SIDECARSET_BASE_ANNOTATION] ?? '') !== (annotations[SIDECARSET_BASE_ANNOTATION] ?? '')) {
    problems.push(invalid(`annotations[${SIDECARSET_BASE_ANNOTATION}] is immutable`));
  } else if (options.sidecarSets !== undefined) {
    const found = options.sidecarSets.find((other) => other.metadata?.name === base);
    if (found === undefined) problems.push(invalid(`fetch base sidecarSet[${base}] failed: ${base === '' ? 'resource name may not be empty' : `sidecarsets.apps.kruise.io "${base}" not found`}`));
    else if (found.metadata?.annotations?.[SIDECARSET_CANARY_ANNOTATION] === 'true') problems.push(invalid('base sidecarSet cannot be canary'));
  }
  if ((ss.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') problems.push(invalid('RollingUpdate is not supported for canary sidecarSet'));
  return problems;
}

/**
 * Returns whether one of two SidecarSets is a canary of the other: such a pair selects the same
 * pods with the same containers by design (a pod gets one of them), so it is not a conflict.
 *
 * @example isCanaryPair(log-canary (base log), log) → true
 */
export function isCanaryPair(a: SidecarSet, b: SidecarSet): boolean {
  return (canaryBaseOf(a) !== undefined && canaryBaseOf(a) === b.metadata?.name) || (canaryBaseOf(b) !== undefined && canaryBaseOf(b) === a.metadata?.name);
}
