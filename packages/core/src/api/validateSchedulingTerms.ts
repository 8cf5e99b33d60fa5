import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import type { NodeSelectorTerm, Toleration, WeightedNodeSelectorTerm } from './podScheduling.js';

const NODE_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);

/**
 * Returns the problems of a node selector term as Kubernetes' `ValidateNodeSelectorTerm` reports
 * them, each under `path`: every requirement has a key and a known operator, `In`/`NotIn` carry
 * values, `Exists`/`DoesNotExist` none, `Gt`/`Lt` exactly one. Shared by UnitedDeployment
 * (`nodeSelectorTerm`) and WorkloadSpread (`requiredNodeSelectorTerm`) subsets.
 *
 * @example nodeSelectorTermProblems({ matchExpressions: [{ key: 'zone', operator: 'In' }] }, 'spec.subsets[0].requiredNodeSelectorTerm')
 *   → [{ path: 'spec.subsets[0].requiredNodeSelectorTerm.matchExpressions[0].values', message: "Required value: must be specified when `operator` is 'In' or 'NotIn'" }]
 */
export function nodeSelectorTermProblems(term: NodeSelectorTerm | undefined, path: string): FieldProblem[] {
  if (term === undefined) return [];
  const check = (list: NodeSelectorTerm['matchExpressions'], field: string): FieldProblem[] =>
    (list ?? []).flatMap((r, i) => {
      const at = `${path}.${field}[${String(i)}]`;
      const values = r.values ?? [];
      if (!NODE_OPERATORS.has(r.operator)) return [fieldProblem(`${at}.operator`, `Unsupported value: ${JSON.stringify(r.operator)}`)];
      if ((r.operator === 'In' || r.operator === 'NotIn') && values.length === 0) return [fieldProblem(`${at}.values`, 'Required value: must be specified when `operator` is \'In\' or \'NotIn\'')];
      if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && values.length > 0) return [fieldProblem(`${at}.values`, 'Forbidden: may not be specified when `operator` is \'Exists\' or \'DoesNotExist\'')];
      if ((r.operator === 'Gt' || r.operator === 'Lt') && values.length !== 1) return [fieldProblem(`${at}.values`, 'Required value: must be specified single value when `operator` is \'Lt\' or \'Gt\'')];
      return r.key === '' ? [fieldProblem(`${at}.key`, 'Required value')] : [];
    });
  return [...check(term.matchExpressions, 'matchExpressions'), ...check(term.matchFields, 'matchFields')];
}

/**
 * Returns the problems of a list of tolerations as Kubernetes' `ValidateTolerations` reports the
 * common ones: operator `Equal` or `Exists`, no value with `Exists`, an empty key only with
 * `Exists`.
 *
 * @example tolerationsProblems([{ key: 'a', operator: 'Exists', value: 'x' }], 'spec.subsets[0].tolerations')
 *   → [{ path: 'spec.subsets[0].tolerations[0].operator', message: "Invalid value: value must be empty when `operator` is 'Exists'" }]
 */
export function tolerationsProblems(tolerations: readonly Toleration[] | undefined, path: string): FieldProblem[] {
  return (tolerations ?? []).flatMap((t, i) => {
    const at = `${path}[${String(i)}]`;
    const operator = t.operator ?? 'Equal';
    if (operator !== 'Equal' && operator !== 'Exists') return [fieldProblem(`${at}.operator`, `Unsupported value: ${JSON.stringify(operator)}: supported values: "Equal", "Exists"`)];
    if (operator === 'Exists' && (t.value ?? '') !== '') return [fieldProblem(`${at}.operator`, 'Invalid value: value must be empty when `operator` is \'Exists\'')];
    if ((t.key ?? '') === '' && operator !== 'Exists') return [fieldProblem(`${at}.operator`, 'Invalid value: operator must be Exists when `key` is empty, which means "match all values and all keys"')];
    return [];
  });
}

/**
 * Returns the problems of preferred scheduling terms as Kubernetes' `ValidatePreferredSchedulingTerms`:
 * each weight in 1..100 and each preference a valid node selector term.
 *
 * @example preferredSchedulingTermsProblems([{ weight: 0, preference: {} }], 'p') → [{ path: 'p[0].weight', message: 'Invalid value: 0: must be in the range 1-100' }]
 */
export function preferredSchedulingTermsProblems(terms: readonly WeightedNodeSelectorTerm[] | undefined, path: string): FieldProblem[] {
  return (terms ?? []).flatMap((term, i) => {
    const at = `${path}[${String(i)}]`;
    const weight = term.weight < 1 || term.weight > 100 ? [fieldProblem(`${at}.weight`, `Invalid value: ${String(term.weight)}: must be in the range 1-100`)] : [];
    return [...weight, ...nodeSelectorTermProblems(term.preference, `${at}.preference`)];
  });
}
