import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { canonicalJson } from '../shared/revision.js';
import type { UnitedDeployment } from './unitedDeployment.js';
import { validateUnitedDeployment } from './validateUnitedDeployment.js';

const same = (a: unknown, b: unknown): boolean => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/**
 * Returns the problems of an update of a UnitedDeployment: those of the new object
 * ({@link validateUnitedDeployment}) and the fields OpenKruise forbids changing
 * (`validateUnitedDeploymentTopology`): a subset that stays keeps its `nodeSelectorTerm` and its
 * `tolerations`, and the selector stays (as the child workloads' selectors cannot change).
 *
 * @example subset `a` moving from zone-a to zone-b → `[{ path: 'spec.topology.subsets[0].nodeSelectorTerm', message: 'Forbidden: may not be changed in an update' }]`
 */
export function validateUnitedDeploymentUpdate(old: UnitedDeployment, next: UnitedDeployment): readonly FieldProblem[] {
  const before = new Map((old.spec.topology?.subsets ?? []).map((s) => [s.name, s]));
  const changed = (next.spec.topology?.subsets ?? []).flatMap((subset, i) => {
    const prior = before.get(subset.name);
    if (prior === undefined) return [];
    const at = `spec.topology.subsets[${String(i)}]`;
    return [
      ...(same(prior.nodeSelectorTerm, subset.nodeSelectorTerm) ? [] : [fieldProblem(`${at}.nodeSelectorTerm`, 'Forbidden: may not be changed in an update')]),
      ...(same(prior.tolerations, subset.tolerations) ? [] : [fieldProblem(`${at}.tolerations`, 'Forbidden: may not be changed in an update')]),
    ];
  });
  const selector = same(old.spec.selector, next.spec.selector) ? [] : [fieldProblem('spec.selector', 'Forbidden: updates to selector are forbidden')];
  return [...validateUnitedDeployment(next), ...selector, ...changed];
}
