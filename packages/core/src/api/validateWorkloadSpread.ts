import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { isPercentString, parseIntOrPercent, scaledValueFromIntOrPercent } from '../shared/intOrPercent.js';
import { validateLabelSelector } from '../shared/selector.js';
import { apiGroupOf } from './validatePodUnavailableBudget.js';
import { nodeSelectorTermProblems, preferredSchedulingTermsProblems, tolerationsProblems } from './validateSchedulingTerms.js';
import { objectMetaProblems } from './validateObjectMeta.js';
import { sameTarget } from './validatePersistentPodState.js';
import type { WorkloadSpread, WorkloadSpreadSubset, WorkloadSpreadTargetReference } from './workloadSpread.js';

/** OpenKruise's `MaxScheduledFailedDuration`: an unschedulable subset is tried again after 300 s. */
export const WORKLOADSPREAD_MAX_SCHEDULED_FAILED_SECONDS = 300;

/** The workload kinds a WorkloadSpread may target and the API groups each may come from. */
export const WORKLOADSPREAD_TARGET_KINDS: Readonly<Record<string, readonly string[]>> = {
  CloneSet: ['apps.kruise.io'],
  Deployment: ['apps'],
  ReplicaSet: ['apps'],
  Job: ['batch'],
  StatefulSet: ['apps', 'apps.kruise.io'],
};

function targetRefProblems(ref: WorkloadSpreadTargetReference | undefined): FieldProblem[] {
  const path = 'spec.targetRef';
  if (ref === undefined) return [fieldProblem(path, 'Required value: no targetRef defined in WorkloadSpread')];
  const shown = JSON.stringify(ref);
  if (ref.apiVersion === '' || ref.kind === '' || ref.name === '') return [fieldProblem(path, `Invalid value: ${shown}: empty TargetReference is not valid for WorkloadSpread.`)];
  const groups = WORKLOADSPREAD_TARGET_KINDS[ref.kind];
  if (groups === undefined) return [fieldProblem(path, `Invalid value: ${shown}: TargetReference's GroupKind is not permitted.`)];
  return groups.includes(apiGroupOf(ref.apiVersion)) ? [] : [fieldProblem(path, `Invalid value: ${shown}: TargetReference is not valid for ${ref.kind}.`)];
}

// All maxReplicas one type; StatefulSets take ints only; percentages sum to at most 100%, and to
// exactly 100% unless the last subset is unlimited. OpenKruise stops at the first such problem.
function maxReplicasProblems(ws: WorkloadSpread): FieldProblem[] {
  const subsets = ws.spec.subsets;
  let firstIsPercent: boolean | undefined;
  let percentSum = 0;
  for (const [i, subset] of subsets.entries()) {
    const value = subset.maxReplicas;
    if (value === undefined) continue;
    const at = `spec.subsets[${String(i)}].maxReplicas`;
    const shown = JSON.stringify(value);
    const percent = isPercentString(value);
    firstIsPercent ??= percent;
    if (percent !== firstIsPercent) return [fieldProblem(at, `Invalid value: ${shown}: the maxReplicas type of all subsets must be the same`)];
    if (ws.spec.targetRef?.kind === 'StatefulSet' && percent) return [fieldProblem(at, `Invalid value: ${shown}: the maxReplicas type must be Int for StatefulSet`)];
    const scaled = parseIntOrPercent(value).kind === 'invalid' ? undefined : scaledValueFromIntOrPercent(value, 100, true);
    if (scaled === undefined || scaled.kind !== 'scaled' || scaled.value < 0) return [fieldProblem(at, `Invalid value: ${shown}: maxReplicas is not valid for subset`)];
    if (percent) {
      percentSum += scaled.value;
      if (percentSum > 100) return [fieldProblem(at, `Invalid value: ${shown}: the sum of all subset's maxReplicas exceeds 100% is no permitted`)];
    }
  }
  const last = subsets.at(-1)?.maxReplicas;
  if (firstIsPercent === true && percentSum < 100 && last !== undefined) {
    return [fieldProblem('spec.subsets[0].maxReplicas', `Invalid value: ${JSON.stringify(subsets[0]?.maxReplicas ?? null)}: maxReplicas sum of all subsets must equal 100% when type is specified as percent`)];
  }
  return [];
}

function subsetProblems(subset: WorkloadSpreadSubset, i: number, seen: Set<string>): FieldProblem[] {
  const at = `spec.subsets[${String(i)}]`;
  const problems: FieldProblem[] = [];
  if (subset.name === '') problems.push(fieldProblem(`${at}.name`, 'Invalid value: "": subset name is required'));
  else if (seen.has(subset.name)) problems.push(fieldProblem(`${at}.name`, `Invalid value: ${JSON.stringify(subset.name)}: duplicated subset name ${subset.name}`));
  seen.add(subset.name);
  problems.push(
    ...nodeSelectorTermProblems(subset.requiredNodeSelectorTerm, `${at}.requiredNodeSelectorTerm`),
    ...preferredSchedulingTermsProblems(subset.preferredNodeSelectorTerms, `${at}.preferredNodeSelectorTerms`),
    ...tolerationsProblems(subset.tolerations, `${at}.tolerations`),
  );
  return problems;
}

function scheduleStrategyProblems(ws: WorkloadSpread): FieldProblem[] {
  const strategy = ws.spec.scheduleStrategy;
  const type = strategy?.type ?? '';
  const problems: FieldProblem[] = [];
  if (type !== '' && type !== 'Fixed' && type !== 'Adaptive') problems.push(fieldProblem('spec.scheduleStrategy.type', `Invalid value: ${JSON.stringify(type)}: ScheduleStrategy's type is not valid`));
  const adaptive = strategy?.adaptive;
  if (adaptive === undefined) return problems;
  const seconds = adaptive.rescheduleCriticalSeconds;
  if (type !== 'Adaptive') problems.push(fieldProblem('spec.scheduleStrategy.type', `Invalid value: ${String(seconds ?? null)}: the scheduleStrategy's type must be adaptive when using adaptive scheduleStrategy`));
  const subsets = ws.spec.subsets;
  const last = subsets.at(-1)?.maxReplicas;
  if (subsets.length > 1 && last !== undefined) {
    problems.push(fieldProblem('spec.scheduleStrategy.adaptive', `Invalid value: ${String(seconds ?? null)}: the last subset must be not specified when using adaptive scheduleStrategy`));
  }
  // A pod must not bounce between unschedulable subsets longer than one unschedulable period.
  const allowed = subsets.length > 1 ? Math.trunc((WORKLOADSPREAD_MAX_SCHEDULED_FAILED_SECONDS - 5) / (subsets.length - 1)) : 2147483647;
  if (seconds !== undefined && (seconds < 0 || seconds > allowed)) {
    problems.push(fieldProblem('spec.scheduleStrategy.adaptive.rescheduleCriticalSeconds', `Invalid value: ${String(seconds)}: rescheduleCriticalSeconds < 0 or rescheduleCriticalSeconds > ${String(allowed)} is not permitted`));
  }
  return problems;
}

/**
 * Returns every problem of a WorkloadSpread as OpenKruise's validating webhook
 * (`validateWorkloadSpreadSpec`) finds them, each with its field path: a complete targetRef of
 * CloneSet (apps.kruise.io), Deployment/ReplicaSet (apps), Job (batch) or StatefulSet (apps or
 * apps.kruise.io); at least one subset, names set and unique, valid node selector terms,
 * preferred terms (weight 1–100) and tolerations; maxReplicas all ints or all percentages
 * (ints for a StatefulSet), percentages summing to 100% (or less with an unlimited last subset);
 * a valid `targetFilter.selector` (the selector OpenKruise converts when it filters pods);
 * scheduleStrategy `Fixed`/`Adaptive`, `adaptive` only with `Adaptive`, an unlimited last subset and
 * rescheduleCriticalSeconds in 0..⌊295 / (subsets − 1)⌋.
 *
 * @example 3 subsets, Adaptive, rescheduleCriticalSeconds 200 → [{ path: 'spec.scheduleStrategy.adaptive.rescheduleCriticalSeconds',
 *   message: 'Invalid value: 200: rescheduleCriticalSeconds < 0 or rescheduleCriticalSeconds > 147 is not permitted' }]
 */
export function validateWorkloadSpread(ws: WorkloadSpread): FieldProblem[] {
  const subsets = ws.spec.subsets;
  const seen = new Set<string>();
  const subsetsFound = subsets.length === 0 ? [fieldProblem('spec.subsets', 'Required value: subsets number must >= 1 in WorkloadSpread')] : [...subsets.flatMap((s, i) => subsetProblems(s, i, seen)), ...maxReplicasProblems(ws)];
  const selector = ws.spec.targetFilter?.selector;
  const filterProblems = selector === undefined ? [] : validateLabelSelector(selector, 'spec.targetFilter.selector');
  return [...objectMetaProblems(ws.metadata), ...targetRefProblems(ws.spec.targetRef), ...filterProblems, ...subsetsFound, ...scheduleStrategyProblems(ws)];
}

/**
 * Returns the problems of an update: the targetRef's group, kind and name may not change
 * (OpenKruise's `validateWorkloadSpreadTargetRefUpdate`).
 *
 * @example CloneSet web → CloneSet api → [{ path: 'spec.targetRef', message: 'Invalid value: ...: change TargetReference is not permitted for WorkloadSpread' }]
 */
export function validateWorkloadSpreadUpdate(next: WorkloadSpread, old: WorkloadSpread): FieldProblem[] {
  const a = next.spec.targetRef;
  const b = old.spec.targetRef;
  if (a === undefined || b === undefined) return [];
  return sameTarget(a, b) ? [] : [fieldProblem('spec.targetRef', `Invalid value: ${JSON.stringify(a)}: change TargetReference is not permitted for WorkloadSpread`)];
}

/**
 * Returns the problem of a WorkloadSpread whose workload another WorkloadSpread of the namespace
 * already spreads (one WorkloadSpread per workload; OpenKruise's `validateWorkloadSpreadConflict`).
 *
 * @example ws-b targets CloneSet web, ws-a already does → [{ path: 'spec.targetRef', message: 'Invalid value: ...: ws.spec.targetRef is in conflict with other WorkloadSpread ws-a' }]
 */
export function workloadSpreadConflicts(ws: WorkloadSpread, others: readonly WorkloadSpread[]): FieldProblem[] {
  const ref = ws.spec.targetRef;
  if (ref === undefined) return [];
  const other = others.find((o) => o.metadata?.name !== ws.metadata?.name && o.spec.targetRef !== undefined && sameTarget(ref, o.spec.targetRef));
  return other === undefined ? [] : [fieldProblem('spec.targetRef', `Invalid value: ${JSON.stringify(ref)}: ws.spec.targetRef is in conflict with other WorkloadSpread ${other.metadata?.name ?? ''}`)];
}
