import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { isEmptyLabelSelector, matchesLabelSelector, validateLabelSelector } from '../shared/selector.js';
import type { CloneSet } from './cloneSet.js';
import { DEFAULT_CLONESET_REPLICAS } from './withCloneSetDefaults.js';
import { nonNegativeProblems, validateLifecycle, validateScaleStrategy, validateUpdateStrategy } from './validateCloneSetStrategies.js';
import { validateCloneSetTemplate } from './validateCloneSetTemplate.js';
import { objectMetaProblems } from './validateObjectMeta.js';

function selectorProblems(spec: CloneSet['spec']): FieldProblem[] {
  const problems = [...validateLabelSelector(spec.selector, 'spec.selector')];
  if (isEmptyLabelSelector(spec.selector)) return [...problems, fieldProblem('spec.selector', 'empty selector is invalid for cloneset')];
  if (problems.length === 0 && !matchesLabelSelector(spec.selector, spec.template.metadata?.labels)) {
    problems.push(fieldProblem('spec.template.metadata.labels', '`selector` does not match template `labels`'));
  }
  return problems;
}

/**
 * Returns every problem of a v1beta1 CloneSet, as OpenKruise's validating webhook finds them, each
 * with its field path; an empty array means valid. Checks: metadata name; `replicas`,
 * `minReadySeconds`, `revisionHistoryLimit`, `progressDeadlineSeconds` not negative; selector
 * present, valid, not empty and matching the template labels; the template and
 * volumeClaimTemplates (see `validateCloneSetTemplate`); scale and update strategies (see
 * `validateUpdateStrategy`); lifecycle hooks. Absent fields count as their defaults, since the
 * webhook validates after defaulting. Checks that need the cluster (pods named in `podsToDelete`
 * exist and belong to this CloneSet) are left to the caller.
 *
 * @example replicas 3, `rollingUpdate.partition: -1` →
 *   `[{ path: 'spec.updateStrategy.rollingUpdate.partition', message: 'must be >= 0 or a percentage' }]`
 */
export function validateCloneSet(cs: CloneSet): readonly FieldProblem[] {
  const spec = cs.spec;
  const replicas = spec.replicas ?? DEFAULT_CLONESET_REPLICAS;
  return [
    ...objectMetaProblems(cs.metadata),
    ...nonNegativeProblems(spec.replicas, 'spec.replicas'),
    ...nonNegativeProblems(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...nonNegativeProblems(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
    ...nonNegativeProblems(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'),
    ...selectorProblems(spec),
    ...validateCloneSetTemplate(spec),
    ...validateScaleStrategy(spec.scaleStrategy, replicas),
    ...validateUpdateStrategy(spec.updateStrategy, replicas),
    ...validateLifecycle(spec.lifecycle),
  ];
}
