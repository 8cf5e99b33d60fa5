import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import type { SidecarSet } from './sidecarSet.js';
import { validateSidecarSet, type ValidateSidecarSetOptions } from './validateSidecarSet.js';

function containerChangeProblems(old: SidecarSet, next: SidecarSet): FieldProblem[] {
  const oldTypes = new Map((old.spec.containers ?? []).map((c) => [c.name, c.upgradeStrategy?.upgradeType ?? 'ColdUpgrade']));
  return (next.spec.containers ?? []).flatMap((c, i) => {
    const path = `spec.containers[${String(i)}]`;
    const oldType = oldTypes.get(c.name);
    if (oldType === undefined) return [fieldProblem(`${path}.name`, `Invalid value: ${JSON.stringify(c.name)}: container ${c.name} is not found`)];
    const type = c.upgradeStrategy?.upgradeType ?? 'ColdUpgrade';
    return type === oldType ? [] : [fieldProblem(`${path}.upgradeStrategy.upgradeType`, `Invalid value: ${JSON.stringify(c.name)}: container ${c.name} upgradeType is immutable`)];
  });
}

/**
 * Returns every problem of updating SidecarSet `old` to `next`: all problems of `next` (see
 * `validateSidecarSet`; a canary's base may not change) and, as OpenKruise's webhook (`validateSidecarContainerConflict`), one per
 * container of `next` that `old` does not have (containers cannot be added to an existing
 * SidecarSet) or whose `upgradeStrategy.upgradeType` changed (an absent type counts as ColdUpgrade).
 * Conflicts with other SidecarSets are `validateSidecarSetConflicts`.
 *
 * @example container `envoy` ColdUpgrade → HotUpgrade →
 *   `[{ path: 'spec.containers[0].upgradeStrategy.upgradeType', message: 'Invalid value: "envoy": container envoy upgradeType is immutable' }]`
 */
export function validateSidecarSetUpdate(old: SidecarSet, next: SidecarSet, options: ValidateSidecarSetOptions = {}): readonly FieldProblem[] {
  return [...validateSidecarSet(next, { ...options, old }), ...containerChangeProblems(old, next)];
}
