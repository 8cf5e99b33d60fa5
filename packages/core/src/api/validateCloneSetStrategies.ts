import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { scaledValueFromIntOrPercent, type IntOrPercent } from '../shared/intOrPercent.js';
import { isEmptyLabelSelector, validateLabelSelector } from '../shared/selector.js';
import type { CloneSetScaleStrategy, CloneSetUpdateStrategy } from './cloneSet.js';
import { DEFAULT_CLONESET_MAX_UNAVAILABLE } from './cloneSet.js';
import type { Lifecycle, LifecycleHook, UpdatePriorityStrategy, UpdateScatterStrategy } from './pub.js';
import { labelsProblems } from './validateCloneSetTemplate.js';

// The message of a count that is negative or not a usable percentage.
const NOT_A_COUNT = 'must be >= 0 or a percentage';

/**
 * Returns the value of an int-or-percentage field scaled against `replicas` (rounded up, as the
 * webhook does), with its problems: not parseable (`"5"`), or negative (`-1`, `"-10%"`).
 *
 * @example scaledCount('20%', 10, 'spec.x') → { value: 2, problems: [] }
 * @example scaledCount('5', 10, 'spec.x') → problems: ['must be >= 0 or a percentage: "5" is a string but not a percentage such as "5%"']
 */
function scaledCount(value: IntOrPercent, replicas: number, path: string): { value: number; problems: FieldProblem[] } {
  const scaled = scaledValueFromIntOrPercent(value, replicas, true);
  if (scaled.kind === 'invalid') return { value: 0, problems: [fieldProblem(path, `${NOT_A_COUNT}: ${scaled.message}`)] };
  // A negative percentage can round to 0 (ceil of -0.3), so the sign is checked before scaling.
  const negative = scaled.value < 0 || (typeof value === 'string' && value.startsWith('-'));
  return { value: scaled.value, problems: negative ? [fieldProblem(path, NOT_A_COUNT)] : [] };
}

/** Returns the problems of an update priority strategy at `path` (both lists set, weights outside 1-100, empty selectors or keys). */
export function priorityProblems(strategy: UpdatePriorityStrategy | undefined, path: string): FieldProblem[] {
  if (strategy === undefined) return [];
  const weights = strategy.weightPriority ?? [];
  const orders = strategy.orderPriority ?? [];
  const both = weights.length > 0 && orders.length > 0 ? [fieldProblem(path, 'only one of weightPriority and orderPriority can be used')] : [];
  const weightProblems = weights.flatMap((term, i) => {
    const p = `${path}.weightPriority[${String(i)}]`;
    return [
      ...(term.weight < 1 || term.weight > 100 ? [fieldProblem(`${p}.weight`, 'weight must be valid number in the range 1-100')] : []),
      ...(isEmptyLabelSelector(term.matchSelector) ? [fieldProblem(`${p}.matchSelector`, 'selector can not be empty')] : []),
      ...validateLabelSelector(term.matchSelector, `${p}.matchSelector`),
    ];
  });
  const orderProblems = orders.flatMap((term, i) =>
    term.orderedKey === '' ? [fieldProblem(`${path}.orderPriority[${String(i)}].orderedKey`, 'order key can not be empty')] : [],
  );
  return [...both, ...weightProblems, ...orderProblems];
}

/** Returns the problems of a scatter strategy at `path` (empty keys, duplicated terms). */
export function scatterProblems(strategy: UpdateScatterStrategy | undefined, path: string): FieldProblem[] {
  const seen = new Set<string>();
  return (strategy ?? []).flatMap((term, i) => {
    const p = `${path}[${String(i)}]`;
    if (term.key === '') return [fieldProblem(`${p}.key`, 'key should not be empty')];
    const id = `${term.key}:${term.value}`;
    if (seen.has(id)) return [fieldProblem(p, `duplicated key=${term.key} value=${term.value}`)];
    seen.add(id);
    return [];
  });
}

/** Returns a "must be greater than or equal to 0" problem at `path` when `value` is negative. */
export function nonNegativeProblems(value: number | undefined, path: string): FieldProblem[] {
  return value !== undefined && value < 0 ? [fieldProblem(path, 'must be greater than or equal to 0')] : [];
}

/**
 * Returns the problems of `spec.updateStrategy` for `replicas` pods, as OpenKruise's webhook
 * checks them; absent budgets count as their defaults (`maxUnavailable` 20%, `maxSurge` 0):
 * partition / maxUnavailable / maxSurge not a count or percentage or negative; both budgets below 1
 * (nothing could ever be updated); maxSurge with InPlaceOnly; priority and scatter rules; negative
 * in-place grace period or pre-download settings.
 *
 * @example replicas 10, `rollingUpdate: { maxUnavailable: 0, maxSurge: 0 }` →
 *   `[{ path: 'spec.updateStrategy.rollingUpdate.maxUnavailable', message: 'maxUnavailable and maxSurge should not both be less than 1' }]`
 */
export function validateUpdateStrategy(strategy: CloneSetUpdateStrategy | undefined, replicas: number): FieldProblem[] {
  const path = 'spec.updateStrategy.rollingUpdate';
  const ru = strategy?.rollingUpdate ?? {};
  const partition = scaledCount(ru.partition ?? 0, replicas, `${path}.partition`);
  const maxUnavailable = scaledCount(ru.maxUnavailable ?? DEFAULT_CLONESET_MAX_UNAVAILABLE, replicas, `${path}.maxUnavailable`);
  const maxSurge = scaledCount(ru.maxSurge ?? 0, replicas, `${path}.maxSurge`);
  const inPlace = ru.inPlaceUpdateStrategy;
  return [
    ...partition.problems,
    ...maxUnavailable.problems,
    ...maxSurge.problems,
    ...(ru.podUpdatePolicy === 'InPlaceOnly' && maxSurge.value > 0
      ? [fieldProblem(`${path}.maxSurge`, 'can not use maxSurge with podUpdatePolicy InPlaceOnly')]
      : []),
    ...(replicas > 0 && maxUnavailable.value < 1 && maxSurge.value < 1
      ? [fieldProblem(`${path}.maxUnavailable`, 'maxUnavailable and maxSurge should not both be less than 1')]
      : []),
    ...priorityProblems(ru.priorityStrategy, `${path}.priorityStrategy`),
    ...scatterProblems(ru.scatterStrategy, `${path}.scatterStrategy`),
    ...nonNegativeProblems(inPlace?.gracePeriodSeconds, `${path}.inPlaceUpdateStrategy.gracePeriodSeconds`),
    ...nonNegativeProblems(inPlace?.imagePreDownloadTimeoutSeconds, `${path}.inPlaceUpdateStrategy.imagePreDownloadTimeoutSeconds`),
    ...nonNegativeProblems(inPlace?.imagePreDownloadMinUpdatedReadyPods, `${path}.inPlaceUpdateStrategy.imagePreDownloadMinUpdatedReadyPods`),
    ...(inPlace?.imagePreDownloadParallelism === undefined
      ? []
      : scaledCount(inPlace.imagePreDownloadParallelism, replicas, `${path}.inPlaceUpdateStrategy.imagePreDownloadParallelism`).problems),
  ];
}

/**
 * Returns the problems of `spec.scaleStrategy`: duplicate names in `podsToDelete` (OpenKruise also
 * looks the pods up; that needs the cluster and is the caller's part) and a `maxUnavailable` that is
 * not a count or percentage.
 *
 * @example `podsToDelete: ['a', 'a']` → `[{ path: 'spec.scaleStrategy.podsToDelete', message: 'duplicated items [a]' }]`
 */
export function validateScaleStrategy(strategy: CloneSetScaleStrategy | undefined, replicas: number): FieldProblem[] {
  const names = strategy?.podsToDelete ?? [];
  const duplicates = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
  return [
    ...(duplicates.length > 0 ? [fieldProblem('spec.scaleStrategy.podsToDelete', `duplicated items [${duplicates.join(' ')}]`)] : []),
    ...(strategy?.maxUnavailable === undefined
      ? []
      : scaledCount(strategy.maxUnavailable, replicas, 'spec.scaleStrategy.maxUnavailable').problems),
  ];
}

const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

function hookProblems(hook: LifecycleHook | undefined, path: string): FieldProblem[] {
  if (hook === undefined) return [];
  return [
    ...labelsProblems(hook.labelsHandler, `${path}.labelsHandler`),
    ...(hook.finalizersHandler ?? []).flatMap((finalizer, i) =>
      QUALIFIED_NAME.test(finalizer)
        ? []
        : [fieldProblem(`${path}.finalizersHandler[${String(i)}]`, `${JSON.stringify(finalizer)} must be a qualified name such as "example.com/my-hook"`)],
    ),
  ];
}

/**
 * Returns the problems of `spec.lifecycle`: hook labels that are not valid labels and hook
 * finalizers that are not qualified names (the apiserver would refuse to put them on a pod).
 *
 * @example `preDelete: { finalizersHandler: ['bad name'] }` → one problem at `spec.lifecycle.preDelete.finalizersHandler[0]`
 */
export function validateLifecycle(lifecycle: Lifecycle | undefined): FieldProblem[] {
  return [
    ...hookProblems(lifecycle?.preDelete, 'spec.lifecycle.preDelete'),
    ...hookProblems(lifecycle?.inPlaceUpdate, 'spec.lifecycle.inPlaceUpdate'),
    ...hookProblems(lifecycle?.preNormal, 'spec.lifecycle.preNormal'),
  ];
}
