import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import type { IntOrPercent } from '../shared/intOrPercent.js';
import { validateLabelSelector } from '../shared/selector.js';
import type { RollingUpdateDaemonSet } from './daemonSet.js';
import { nonNegativeProblems } from './validateCloneSetStrategies.js';
import type { DefaultedDaemonSet } from './withDaemonSetDefaults.js';

// Kubernetes' validation.IsValidPercent, message included (RegexError's double space too).
const PERCENT = /^[0-9]+%$/;
const PERCENT_MESSAGE = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
// Go's strconv.Atoi grammar.
const ATOI = /^[+-]?\d+$/;

/**
 * Returns what OpenKruise's `getIntOrPercentValue` makes of an int-or-string: a well-formed
 * percentage's number, an int as is, and any other string as Go's `IntOrString.IntValue()` reads
 * it (the integer it spells, or 0).
 *
 * @example intOrPercentValue('30%') → 30; intOrPercentValue(2) → 2; intOrPercentValue('5') → 5; intOrPercentValue('x') → 0
 */
export function intOrPercentValue(value: IntOrPercent): number {
  if (typeof value === 'number') return value;
  if (PERCENT.test(value)) return Number(value.slice(0, -1));
  return ATOI.test(value) ? Number(value) : 0;
}

/**
 * Returns the problems of an int-or-string budget or partition as Kubernetes finds them with
 * `ValidatePositiveIntOrPercent` (an int is not negative, a string is a percentage such as `"10%"`)
 * and `IsNotMoreThan100Percent`.
 *
 * @example intOrPercentProblems('150%', 'spec.updateStrategy.rollingUpdate.maxSurge') → [{ path: '...maxSurge', message: 'must not be greater than 100%' }]
 */
export function intOrPercentProblems(value: IntOrPercent, path: string): FieldProblem[] {
  if (typeof value === 'number') return nonNegativeProblems(value, path);
  if (!PERCENT.test(value)) return [fieldProblem(path, PERCENT_MESSAGE)];
  return Number(value.slice(0, -1)) > 100 ? [fieldProblem(path, 'must not be greater than 100%')] : [];
}

function typeProblems(ru: RollingUpdateDaemonSet, hasSurge: boolean, path: string): FieldProblem[] {
  const type: string = ru.rollingUpdateType ?? 'Standard';
  if (type === 'Standard') return [];
  if (type === 'InPlaceIfPossible') return hasSurge ? [fieldProblem(`${path}.maxSurge`, 'Required value: must be 0 for InPlaceIfPossible type')] : [];
  return [fieldProblem(`${path}.rollingUpdateType`, `Unsupported value: ${JSON.stringify(type)}: supported values: "Standard", "InPlaceIfPossible"`)];
}

/**
 * Returns the problems of `spec.updateStrategy.rollingUpdate` as OpenKruise's
 * `validateRollingUpdateDaemonSetV1beta1` finds them. A budget counts as set when its value (see
 * {@link intOrPercentValue}) is not 0, and is then checked by {@link intOrPercentProblems}; exactly
 * one of `maxUnavailable` and `maxSurge` must be set; `maxSurge` must be 0 with
 * `InPlaceIfPossible`; `rollingUpdateType` is Standard or InPlaceIfPossible; `partition` is a
 * non-negative int or a percentage up to 100%. Also `selector` must be a valid label selector
 * (kruise-ts' check: OpenKruise leaves it to fail in the controller).
 *
 * @example `{ maxUnavailable: 0, maxSurge: 0 }` → `[{ path: 'spec.updateStrategy.rollingUpdate.maxUnavailable', message: 'Required value: cannot be 0 when maxSurge is 0' }]`
 * @example `{ maxUnavailable: 1, maxSurge: 1 }` → `[{ path: 'spec.updateStrategy.rollingUpdate.maxSurge', message: 'may not be set when maxUnavailable is non-zero' }]`
 */
export function daemonSetRollingUpdateProblems(ru: RollingUpdateDaemonSet, path = 'spec.updateStrategy.rollingUpdate'): FieldProblem[] {
  const hasUnavailable = ru.maxUnavailable !== undefined && intOrPercentValue(ru.maxUnavailable) !== 0;
  const hasSurge = ru.maxSurge !== undefined && intOrPercentValue(ru.maxSurge) !== 0;
  const problems = [
    ...(hasUnavailable && ru.maxUnavailable !== undefined ? intOrPercentProblems(ru.maxUnavailable, `${path}.maxUnavailable`) : []),
    ...(hasSurge && ru.maxSurge !== undefined ? intOrPercentProblems(ru.maxSurge, `${path}.maxSurge`) : []),
  ];
  if (hasUnavailable && hasSurge) problems.push(fieldProblem(`${path}.maxSurge`, 'may not be set when maxUnavailable is non-zero'));
  if (!hasUnavailable && !hasSurge) problems.push(fieldProblem(`${path}.maxUnavailable`, 'Required value: cannot be 0 when maxSurge is 0'));
  return [
    ...problems,
    ...typeProblems(ru, hasSurge, path),
    ...(ru.partition === undefined ? [] : intOrPercentProblems(ru.partition, `${path}.partition`)),
    ...(ru.selector === undefined ? [] : validateLabelSelector(ru.selector, `${path}.selector`)),
  ];
}

/**
 * Returns the problems of `spec.updateStrategy` of a defaulted Advanced DaemonSet, as OpenKruise's
 * webhook checks them: the type is RollingUpdate or OnDelete (OnDelete's `rollingUpdate` is not
 * looked at), and RollingUpdate's `rollingUpdate` is present and valid (see
 * {@link daemonSetRollingUpdateProblems}).
 *
 * @example `updateStrategy: { type: 'Always' }` → `[{ path: 'spec.updateStrategy.type', message: 'Unsupported value: "Always": supported values: "RollingUpdate", "OnDelete"' }]`
 */
export function daemonSetUpdateStrategyProblems(strategy: DefaultedDaemonSet['spec']['updateStrategy']): FieldProblem[] {
  const type: string = strategy.type;
  if (type === 'OnDelete') return [];
  if (type !== 'RollingUpdate') return [fieldProblem('spec.updateStrategy.type', `Unsupported value: ${JSON.stringify(type)}: supported values: "RollingUpdate", "OnDelete"`)];
  return strategy.rollingUpdate === undefined ? [fieldProblem('spec.updateStrategy.rollingUpdate', 'Required value')] : daemonSetRollingUpdateProblems(strategy.rollingUpdate);
}
