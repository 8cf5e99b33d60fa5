import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { canonicalJson } from '../shared/revision.js';
import { isEmptyLabelSelector, validateLabelSelector } from '../shared/selector.js';
import { PUB_OPERATIONS, type PodUnavailableBudget, type PubTargetReference } from './podUnavailableBudget.js';
import { isLabelSelectorOverlapping } from './sidecarSetConflicts.js';
import { intOrPercentProblems } from './validateDaemonSetStrategies.js';
import { objectMetaProblems } from './validateObjectMeta.js';

const GROUP_VERSION = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[a-z0-9]+$/;

/** Returns the API group of an apiVersion (`apps/v1` → `apps`, `v1` → ``). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function targetProblems(pub: PodUnavailableBudget): FieldProblem[] {
  const { selector, targetRef } = pub.spec;
  if (selector === undefined && targetRef === undefined) return [fieldProblem('spec.selector, targetRef', 'Required value: no selector or targetRef defined in PodUnavailableBudget')];
  if (selector !== undefined && targetRef !== undefined) return [fieldProblem('spec.selector, targetRef', 'Required value: selector and targetRef are mutually exclusive')];
  if (targetRef !== undefined) {
    const problems: FieldProblem[] = [];
    if (!targetRef.apiVersion || !targetRef.name || !targetRef.kind) problems.push(fieldProblem('spec.targetRef', 'Invalid value: empty targetRef is not valid for PodUnavailableBudget'));
    if (targetRef.apiVersion && !GROUP_VERSION.test(targetRef.apiVersion)) problems.push(fieldProblem('spec.targetRef', `Invalid value: unexpected GroupVersion string: ${targetRef.apiVersion}`));
    return problems;
  }
  const problems = [...validateLabelSelector(selector ?? {}, 'spec.selector')];
  if (selector !== undefined && isEmptyLabelSelector(selector)) problems.push(fieldProblem('spec.selector', 'Invalid value: empty selector is not valid for PodUnavailableBudget.'));
  return problems;
}

function budgetProblems(pub: PodUnavailableBudget): FieldProblem[] {
  const { maxUnavailable, minAvailable } = pub.spec;
  if (maxUnavailable === undefined && minAvailable === undefined) return [fieldProblem('spec.maxUnavailable, minAvailable', 'Required value: no maxUnavailable or minAvailable defined in PodUnavailableBudget')];
  if (maxUnavailable !== undefined && minAvailable !== undefined) return [fieldProblem('spec.maxUnavailable, minAvailable', 'Required value: maxUnavailable and minAvailable are mutually exclusive')];
  return maxUnavailable !== undefined ? intOrPercentProblems(maxUnavailable, 'spec.maxUnavailable') : intOrPercentProblems(minAvailable ?? 0, 'spec.minAvailable');
}

function optionProblems(pub: PodUnavailableBudget): FieldProblem[] {
  const problems: FieldProblem[] = [];
  (pub.spec.protectOperations ?? []).forEach((op: string, i) => {
    if (!(PUB_OPERATIONS as readonly string[]).includes(op)) problems.push(fieldProblem(`spec.protectOperations[${i}]`, `Unsupported value: ${JSON.stringify(op)}: supported values: "DELETE", "UPDATE", "EVICT", "RESIZE"`));
  });
  const total = pub.spec.protectTotalReplicas;
  if (total !== undefined && total < 1) problems.push(fieldProblem('spec.protectTotalReplicas', 'Invalid value: should be greater than or equal to 1'));
  const ignored = pub.spec.ignoredPodSelector;
  if (ignored !== undefined) {
    problems.push(...validateLabelSelector(ignored, 'spec.ignoredPodSelector'));
    if (isEmptyLabelSelector(ignored)) problems.push(fieldProblem('spec.ignoredPodSelector', 'Invalid value: empty ignoredPodSelector is not valid for PodUnavailableBudget'));
  }
  return problems;
}

/**
 * Returns every problem of a v1beta1 PodUnavailableBudget as OpenKruise's validating webhook
 * (`validatePodUnavailableBudgetSpecV1beta1`) finds them, each with its field path: exactly one of
 * selector (valid, not empty) and targetRef (apiVersion, kind and name set); exactly one of
 * maxUnavailable and minAvailable (a non-negative int or a percentage up to 100%); known
 * protectOperations; protectTotalReplicas ≥ 1 (the CRD's minimum); a non-empty ignoredPodSelector.
 *
 * @example spec { selector: { matchLabels: { app: 'web' } }, maxUnavailable: '120%' }
 *   → [{ path: 'spec.maxUnavailable', message: 'must not be greater than 100%' }]
 */
export function validatePodUnavailableBudget(pub: PodUnavailableBudget): readonly FieldProblem[] {
  return [...objectMetaProblems(pub.metadata), ...targetProblems(pub), ...budgetProblems(pub), ...optionProblems(pub)];
}

/**
 * Returns the problems of an update: OpenKruise refuses any change of selector or targetRef.
 *
 * @example selector app=a → app=b → [{ path: 'spec.selector, targetRef', message: 'Required value: selector and targetRef cannot be modified' }]
 */
export function validatePodUnavailableBudgetUpdate(pub: PodUnavailableBudget, old: PodUnavailableBudget): readonly FieldProblem[] {
  const same = canonicalJson(pub.spec.selector ?? null) === canonicalJson(old.spec.selector ?? null) && canonicalJson(pub.spec.targetRef ?? null) === canonicalJson(old.spec.targetRef ?? null);
  return same ? [] : [fieldProblem('spec.selector, targetRef', 'Required value: selector and targetRef cannot be modified')];
}

function sameTarget(a: PubTargetReference, b: PubTargetReference): boolean {
  return apiGroupOf(a.apiVersion ?? '') === apiGroupOf(b.apiVersion ?? '') && a.kind === b.kind && a.name === b.name;
}

/**
 * Returns the conflict with another budget of the namespace, as OpenKruise's `validatePubConflict`:
 * the same target workload (group, kind, name), or selectors that may select the same pods.
 *
 * @example two budgets on CloneSet web (v1alpha1 and v1beta1 references)
 *   → [{ path: 'spec.targetReference', message: 'Invalid value: pub.spec.targetReference is in conflict with other PodUnavailableBudget web-pub' }]
 */
export function podUnavailableBudgetConflicts(pub: PodUnavailableBudget, others: readonly PodUnavailableBudget[]): readonly FieldProblem[] {
  for (const other of others) {
    const name = other.metadata?.name;
    if (name === pub.metadata?.name) continue;
    if (pub.spec.targetRef !== undefined && other.spec.targetRef !== undefined) {
      if (sameTarget(pub.spec.targetRef, other.spec.targetRef)) return [fieldProblem('spec.targetReference', `Invalid value: pub.spec.targetReference is in conflict with other PodUnavailableBudget ${name ?? ''}`)];
    } else if (pub.spec.selector !== undefined && other.spec.selector !== undefined && isLabelSelectorOverlapping(pub.spec.selector, other.spec.selector)) {
      return [fieldProblem('spec.selector', `Invalid value: pub.spec.selector is in conflict with other PodUnavailableBudget ${name ?? ''}`)];
    }
  }
  return [];
}
