import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { isEmptyLabelSelector, matchesLabelSelector, validateLabelSelector } from '../shared/selector.js';
import type { StatefulSet } from './statefulSet.js';
import { nonNegativeProblems, validateLifecycle } from './validateCloneSetStrategies.js';
import { labelsProblems } from './validateCloneSetTemplate.js';
import { objectMetaProblems } from './validateObjectMeta.js';
import { enumerationProblems, maxUnavailableProblems, reserveOrdinalProblems, updateStrategyProblems } from './validateStatefulSetStrategies.js';
import { withStatefulSetDefaults, type DefaultedStatefulSet } from './withStatefulSetDefaults.js';

// Kubernetes' ValidatePodTemplateSpecForStatefulSet: the selector and the template labels, not the
// pod spec (pods that cannot be created fail at creation, as upstream StatefulSets do).
function selectorAndTemplateProblems(spec: DefaultedStatefulSet['spec']): FieldProblem[] {
  const selector = validateLabelSelector(spec.selector, 'spec.selector');
  const empty = isEmptyLabelSelector(spec.selector) ? [fieldProblem('spec.selector', 'empty selector is invalid for statefulset')] : [];
  const labels = spec.template.metadata?.labels;
  const mismatch =
    selector.length === 0 && empty.length === 0 && !matchesLabelSelector(spec.selector, labels)
      ? [fieldProblem('spec.template.metadata.labels', '`selector` does not match template `labels`')]
      : [];
  const podSpec = spec.template.spec;
  return [
    ...selector,
    ...empty,
    ...mismatch,
    ...labelsProblems(labels, 'spec.template.metadata.labels'),
    ...(podSpec.restartPolicy !== undefined && podSpec.restartPolicy !== '' && podSpec.restartPolicy !== 'Always'
      ? [fieldProblem('spec.template.spec.restartPolicy', `Unsupported value: ${JSON.stringify(podSpec.restartPolicy)}: supported values: "Always"`)]
      : []),
    ...(podSpec.activeDeadlineSeconds === undefined ? [] : [fieldProblem('spec.template.spec.activeDeadlineSeconds', 'Forbidden: activeDeadlineSeconds in StatefulSet is not Supported')]),
  ];
}

/**
 * Returns every problem of a v1beta1 Advanced StatefulSet, as OpenKruise's validating webhook
 * (`pkg/webhook/statefulset/validating/statefulset_validation.go`) finds them, each with its field
 * path; an empty array means valid. Absent fields count as their defaults
 * (`withStatefulSetDefaults`), since the webhook validates after defaulting. Checks: metadata
 * name and labels; `podManagementPolicy` OrderedReady or Parallel; `reserveOrdinals` (ints >= 0,
 * ranges `"a-b"` with a <= b); `scaleStrategy.maxUnavailable` and the update strategy (see
 * `updateStrategyProblems`); `persistentVolumeClaimRetentionPolicy` values; `replicas` >= 0;
 * selector valid, not empty and matching the template labels; template `restartPolicy` Always and
 * no `activeDeadlineSeconds`. Two checks OpenKruise leaves out and Kubernetes' StatefulSet or the
 * pods would refuse later: `ordinals.start` >= 0 (Kubernetes' rule) and lifecycle hooks whose
 * labels and finalizers could be put on a pod (as for CloneSet).
 *
 * @example OrderedReady, `rollingUpdate.maxUnavailable: 2` →
 *   `[{ path: 'spec.updateStrategy.rollingUpdate.maxUnavailable', message: 'can only work with Parallel PodManagementPolicyType' }]`
 */
export function validateStatefulSet(sts: StatefulSet): readonly FieldProblem[] {
  const spec = withStatefulSetDefaults(sts).spec;
  const scaleMaxUnavailable = spec.scaleStrategy?.maxUnavailable;
  return [
    ...objectMetaProblems(sts.metadata),
    ...enumerationProblems(spec),
    ...reserveOrdinalProblems(spec.reserveOrdinals),
    ...(scaleMaxUnavailable === undefined ? [] : maxUnavailableProblems(scaleMaxUnavailable, spec.podManagementPolicy, 'spec.scaleStrategy.maxUnavailable')),
    ...updateStrategyProblems(spec),
    ...nonNegativeProblems(spec.replicas, 'spec.replicas'),
    ...selectorAndTemplateProblems(spec),
    ...nonNegativeProblems(spec.ordinals?.start, 'spec.ordinals.start'),
    ...validateLifecycle(spec.lifecycle),
  ];
}
