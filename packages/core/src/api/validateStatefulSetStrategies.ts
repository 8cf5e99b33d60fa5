import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { scaledValueFromIntOrPercent, type IntOrPercent } from '../shared/intOrPercent.js';
import { INPLACE_UPDATE_READY_CONDITION } from './labels.js';
import { MAX_STATEFULSET_MIN_READY_SECONDS, type ReserveOrdinal, type StatefulSetSpec } from './statefulSet.js';
import { nonNegativeProblems, priorityProblems } from './validateCloneSetStrategies.js';
import type { DefaultedStatefulSet } from './withStatefulSetDefaults.js';

type DefaultedSpec = DefaultedStatefulSet['spec'];

const PERCENT = /^[0-9]+%$/;
const RANGE = /^\d+-\d+$/;

/**
 * Returns the problems of a `maxUnavailable` (of `rollingUpdate` or `scaleStrategy`) as
 * OpenKruise's `validateMaxUnavailableField` finds them: not a non-negative int or a `"N%"`
 * string; less than 1 once scaled against 1 replica rounding up (`0`, `"0%"`); anything but `1`
 * without `podManagementPolicy: Parallel`.
 *
 * @example maxUnavailableProblems(2, 'OrderedReady', 'spec.updateStrategy.rollingUpdate.maxUnavailable') →
 *   `[{ path: 'spec.updateStrategy.rollingUpdate.maxUnavailable', message: 'can only work with Parallel PodManagementPolicyType' }]`
 */
export function maxUnavailableProblems(value: IntOrPercent, policy: string, path: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof value === 'string' && !PERCENT.test(value)) {
    problems.push(fieldProblem(path, `${JSON.stringify(value)} must be an integer or a percentage such as "10%"`));
  } else if (typeof value === 'number' && value < 0) {
    problems.push(fieldProblem(path, 'must be greater than or equal to 0'));
  } else {
    const scaled = scaledValueFromIntOrPercent(value, 1, true);
    if (scaled.kind === 'scaled' && scaled.value < 1) problems.push(fieldProblem(path, 'should not be less than 1'));
  }
  if (policy !== 'Parallel' && value !== 1) problems.push(fieldProblem(path, 'can only work with Parallel PodManagementPolicyType'));
  return problems;
}

/**
 * Returns the problem of one `spec.reserveOrdinals` entry, if any: a negative ordinal, or a string
 * that is not a range `"a-b"` of non-negative integers with `a <= b` (a lone number written as a
 * string, `"7"`, is refused as OpenKruise refuses it).
 *
 * @example reserveOrdinalProblems(['3-5', '5-3', -1]) → problems at `spec.reserveOrdinals[1]` and `spec.reserveOrdinals[2]`
 */
export function reserveOrdinalProblems(ordinals: readonly ReserveOrdinal[] | undefined): FieldProblem[] {
  return (ordinals ?? []).flatMap((entry, i) => {
    const path = `spec.reserveOrdinals[${String(i)}]`;
    if (typeof entry === 'number') return entry < 0 ? [fieldProblem(path, `reserve ordinal ${String(entry)} is negative`)] : [];
    if (!RANGE.test(entry)) return [fieldProblem(path, `${JSON.stringify(entry)} is not a valid range such as "3-5" (an ordinal is written as a number)`)];
    const [start = 0, end = 0] = entry.split('-').map(Number);
    return start > end ? [fieldProblem(path, `${JSON.stringify(entry)} is not a valid range: its start is above its end`)] : [];
  });
}

function podUpdatePolicyProblems(spec: DefaultedSpec, policy: string): FieldProblem[] {
  if (policy === 'ReCreate') return [];
  if (policy !== 'InPlaceIfPossible' && policy !== 'InPlaceOnly') {
    return [fieldProblem('spec.updateStrategy.rollingUpdate.podUpdatePolicy', `Unsupported value: ${JSON.stringify(policy)}: supported values: "ReCreate", "InPlaceIfPossible", "InPlaceOnly"`)];
  }
  const gated = (spec.template.spec.readinessGates ?? []).some((gate) => gate.conditionType === INPLACE_UPDATE_READY_CONDITION);
  return gated ? [] : [fieldProblem('spec.template.spec.readinessGates', `must contain ${INPLACE_UPDATE_READY_CONDITION} when podUpdatePolicy is ${policy}`)];
}

function rollingUpdateProblems(spec: DefaultedSpec): FieldProblem[] {
  const path = 'spec.updateStrategy.rollingUpdate';
  const ru = spec.updateStrategy.rollingUpdate ?? {};
  const minReadySeconds = ru.minReadySeconds ?? 0;
  return [
    ...nonNegativeProblems(ru.partition, `${path}.partition`),
    ...nonNegativeProblems(minReadySeconds, `${path}.minReadySeconds`),
    ...(minReadySeconds > MAX_STATEFULSET_MIN_READY_SECONDS ? [fieldProblem(`${path}.minReadySeconds`, `must be no more than ${String(MAX_STATEFULSET_MIN_READY_SECONDS)} seconds`)] : []),
    ...maxUnavailableProblems(ru.maxUnavailable ?? 1, spec.podManagementPolicy, `${path}.maxUnavailable`),
    ...podUpdatePolicyProblems(spec, ru.podUpdatePolicy ?? 'ReCreate'),
    ...(ru.unorderedUpdate !== undefined && spec.podManagementPolicy !== 'Parallel'
      ? [fieldProblem(`${path}.unorderedUpdate`, 'unorderedUpdate can only work with Parallel PodManagementPolicyType')]
      : []),
    ...priorityProblems(ru.unorderedUpdate?.priorityStrategy, `${path}.unorderedUpdate.priorityStrategy`),
  ];
}

/**
 * Returns the problems of `spec.updateStrategy` of a defaulted Advanced StatefulSet, as
 * OpenKruise's webhook checks them: the type is RollingUpdate or OnDelete, and OnDelete has no
 * `rollingUpdate`; for RollingUpdate, `partition` >= 0, `minReadySeconds` in 0–300,
 * `maxUnavailable` (see {@link maxUnavailableProblems}), `podUpdatePolicy` one of the three with
 * the `InPlaceUpdateReady` readiness gate in the template for the in-place ones, and
 * `unorderedUpdate` only with Parallel and with a valid priority strategy.
 *
 * @example OrderedReady, `rollingUpdate: { unorderedUpdate: {} }` →
 *   `[{ path: 'spec.updateStrategy.rollingUpdate.unorderedUpdate', message: 'unorderedUpdate can only work with Parallel PodManagementPolicyType' }]`
 */
export function updateStrategyProblems(spec: DefaultedSpec): FieldProblem[] {
  const type: string = spec.updateStrategy.type;
  if (type === 'RollingUpdate') return rollingUpdateProblems(spec);
  if (type === 'OnDelete') {
    return spec.updateStrategy.rollingUpdate === undefined ? [] : [fieldProblem('spec.updateStrategy.rollingUpdate', "only allowed for updateStrategy 'RollingUpdate'")];
  }
  return [fieldProblem('spec.updateStrategy.type', `Unsupported value: ${JSON.stringify(type)}: supported values: "RollingUpdate", "OnDelete"`)];
}

/**
 * Returns the problems of the enumerations of a spec that the schema already restricts, for
 * objects built without parsing: `podManagementPolicy`, and the two values of
 * `persistentVolumeClaimRetentionPolicy` (Retain or Delete; an absent one counts as Retain, the
 * default of the StatefulSetAutoDeletePVC gate).
 *
 * @example `podManagementPolicy: 'Sometimes'` → `[{ path: 'spec.podManagementPolicy', message: "must be 'OrderedReady' or 'Parallel'" }]`
 */
export function enumerationProblems(spec: Pick<StatefulSetSpec, 'podManagementPolicy' | 'persistentVolumeClaimRetentionPolicy'>): FieldProblem[] {
  const policy: string = spec.podManagementPolicy ?? 'OrderedReady';
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  const retentionProblems = (['whenDeleted', 'whenScaled'] as const).flatMap((key) => {
    const value: string = retention?.[key] ?? 'Retain';
    return value === 'Retain' || value === 'Delete'
      ? []
      : [fieldProblem(`spec.persistentVolumeClaimRetentionPolicy.${key}`, `Unsupported value: ${JSON.stringify(value)}: supported values: "Retain", "Delete"`)];
  });
  return [
    ...(policy === 'OrderedReady' || policy === 'Parallel' ? [] : [fieldProblem('spec.podManagementPolicy', "must be 'OrderedReady' or 'Parallel'")]),
    ...retentionProblems,
  ];
}

