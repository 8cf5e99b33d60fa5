import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { isEmptyLabelSelector, matchesLabelSelector, validateLabelSelector } from '../shared/selector.js';
import type { PodTemplateSpec } from './pod.js';
import type { SubsetTemplate, UnitedDeployment, UnitedDeploymentSpec } from './unitedDeployment.js';
import { nonNegativeProblems } from './validateCloneSetStrategies.js';
import { validateCloneSetTemplate } from './validateCloneSetTemplate.js';
import { objectMetaProblems } from './validateObjectMeta.js';
import { subsetReplicasProblems, subsetsProblems } from './validateUnitedDeploymentTopology.js';

/** The four child template fields of `spec.template`, in OpenKruise's order. */
export const SUBSET_TEMPLATE_FIELDS = ['statefulSetTemplate', 'advancedStatefulSetTemplate', 'cloneSetTemplate', 'deploymentTemplate'] as const;
/** One of {@link SUBSET_TEMPLATE_FIELDS}. */
export type SubsetTemplateField = (typeof SUBSET_TEMPLATE_FIELDS)[number];

/**
 * Returns which child template a UnitedDeployment uses: the first of {@link SUBSET_TEMPLATE_FIELDS}
 * that is set (OpenKruise's `getSubsetControls` order), or undefined when none is.
 *
 * @example subsetTemplateField({ cloneSetTemplate: {...} }) // 'cloneSetTemplate'
 */
export function subsetTemplateField(template: SubsetTemplate | undefined): SubsetTemplateField | undefined {
  return SUBSET_TEMPLATE_FIELDS.find((field) => template?.[field] !== undefined);
}

function prefixed(problems: readonly FieldProblem[], prefix: string): FieldProblem[] {
  return problems.map((p) => fieldProblem(`${prefix}.${p.path}`, p.message));
}

function templateProblems(spec: UnitedDeploymentSpec): FieldProblem[] {
  const present = SUBSET_TEMPLATE_FIELDS.filter((field) => spec.template?.[field] !== undefined);
  if (present.length === 0) return [fieldProblem('spec.template', 'Required value: should provide one of statefulSetTemplate, advancedStatefulSetTemplate, cloneSetTemplate, or deploymentTemplate')];
  if (present.length > 1) return [fieldProblem('spec.template', 'Invalid value: should provide only one of statefulSetTemplate, advancedStatefulSetTemplate, cloneSetTemplate, or deploymentTemplate')];
  const field = present[0] as SubsetTemplateField;
  const child = spec.template?.[field] as { metadata?: { labels?: Record<string, string> }; spec: { template: PodTemplateSpec; volumeClaimTemplates?: never[] } };
  const prefix = `spec.template.${field}`;
  const problems: FieldProblem[] = [];
  const selectorUsable = validateLabelSelector(spec.selector, 'spec.selector').length === 0 && !isEmptyLabelSelector(spec.selector);
  if (selectorUsable && !matchesLabelSelector(spec.selector, child.metadata?.labels)) problems.push(fieldProblem(`${prefix}.metadata.labels`, '`selector` does not match template `labels`'));
  if (selectorUsable && !matchesLabelSelector(spec.selector, child.spec.template.metadata?.labels)) problems.push(fieldProblem(`${prefix}.spec.template.metadata.labels`, '`selector` does not match template `labels`'));
  const { activeDeadlineSeconds: _ignored, restartPolicy: _restart, ...podSpec } = child.spec.template.spec;
  problems.push(...prefixed(validateCloneSetTemplate({ template: { ...child.spec.template, spec: podSpec }, ...(child.spec.volumeClaimTemplates === undefined ? {} : { volumeClaimTemplates: child.spec.volumeClaimTemplates }) }), prefix));
  return problems;
}

function scheduleStrategyProblems(spec: UnitedDeploymentSpec): FieldProblem[] {
  const strategy = spec.topology?.scheduleStrategy;
  const reserve = strategy?.type === 'Adaptive' && strategy.adaptive?.reserveUnschedulablePods === true;
  const stateful = spec.template?.statefulSetTemplate !== undefined || spec.template?.advancedStatefulSetTemplate !== undefined;
  return [
    ...(reserve && stateful ? [fieldProblem('spec.topology.scheduleStrategy', 'Invalid value: only stateless workloads (Deployment and CloneSet) are supported by reserved rescheduling')] : []),
    ...nonNegativeProblems(strategy?.adaptive?.rescheduleCriticalSeconds, 'spec.topology.scheduleStrategy.adaptive.rescheduleCriticalSeconds'),
    ...nonNegativeProblems(strategy?.adaptive?.unschedulableDuration, 'spec.topology.scheduleStrategy.adaptive.unschedulableDuration'),
  ];
}

/**
 * Returns every problem of a v1beta1 UnitedDeployment as OpenKruise's validating webhook
 * (`validateUnitedDeploymentSpec` in `pkg/webhook/uniteddeployment/validating`) finds them, each
 * with its field path; an empty array means valid. Checks: metadata; `replicas` not negative;
 * selector valid and not empty; exactly one child template, whose labels (and pod template labels)
 * the selector matches and whose pod template is valid; reserved rescheduling only for stateless
 * children; the subsets (unique DNS-label names, node selector terms, tolerations, no fixed
 * `replicas` under Adaptive, partitions of known subsets) and their replicas (see
 * {@link subsetReplicasProblems}).
 *
 * @example no child template → `[{ path: 'spec.template', message: 'Required value: should provide one of statefulSetTemplate, advancedStatefulSetTemplate, cloneSetTemplate, or deploymentTemplate' }]`
 */
export function validateUnitedDeployment(ud: UnitedDeployment): readonly FieldProblem[] {
  const spec = ud.spec;
  return [
    ...objectMetaProblems(ud.metadata),
    ...nonNegativeProblems(spec.replicas, 'spec.replicas'),
    ...validateLabelSelector(spec.selector, 'spec.selector'),
    ...(isEmptyLabelSelector(spec.selector) ? [fieldProblem('spec.selector', 'Invalid value: empty selector is invalid for statefulset')] : []),
    ...scheduleStrategyProblems(spec),
    ...templateProblems(spec),
    ...subsetReplicasProblems(spec.replicas, spec.topology?.subsets ?? []),
    ...subsetsProblems(spec),
    ...nonNegativeProblems(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
  ];
}
