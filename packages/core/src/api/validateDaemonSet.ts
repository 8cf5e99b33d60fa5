import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { isEmptyLabelSelector, matchesLabelSelector, validateLabelSelector } from '../shared/selector.js';
import type { DaemonSet } from './daemonSet.js';
import { nonNegativeProblems, validateLifecycle } from './validateCloneSetStrategies.js';
import { validateCloneSetTemplate } from './validateCloneSetTemplate.js';
import { daemonSetUpdateStrategyProblems, intOrPercentValue } from './validateDaemonSetStrategies.js';
import { objectMetaProblems } from './validateObjectMeta.js';
import { withDaemonSetDefaults, type DefaultedDaemonSet } from './withDaemonSetDefaults.js';

type DefaultedSpec = DefaultedDaemonSet['spec'];

function selectorProblems(spec: DefaultedSpec): FieldProblem[] {
  const problems = [...validateLabelSelector(spec.selector, 'spec.selector')];
  // OpenKruise matches only a selector it could build; an empty one matches everything.
  if (problems.length === 0 && !isEmptyLabelSelector(spec.selector) && !matchesLabelSelector(spec.selector, spec.template.metadata?.labels)) {
    problems.push(fieldProblem('spec.template.metadata.labels', '`selector` does not match template `labels`'));
  }
  if (isEmptyLabelSelector(spec.selector)) problems.push(fieldProblem('spec.selector', 'empty selector is invalid for daemonset'));
  return problems;
}

// The subset of Kubernetes' pod template validation CloneSet's webhook check uses too, with
// DaemonSet's own activeDeadlineSeconds message.
function templateProblems(spec: DefaultedSpec): FieldProblem[] {
  const { activeDeadlineSeconds, ...podSpec } = spec.template.spec;
  return [
    ...validateCloneSetTemplate({ template: { ...spec.template, spec: podSpec } }),
    ...(activeDeadlineSeconds === undefined ? [] : [fieldProblem('spec.template.spec.activeDeadlineSeconds', 'Forbidden: activeDeadlineSeconds in DaemonSet is not Supported')]),
  ];
}

/**
 * Returns every problem of a v1beta1 Advanced DaemonSet, as OpenKruise's validating webhook
 * (`validateDaemonSetSpecV1beta1` in `pkg/webhook/daemonset/validating/daemonset_validation.go`)
 * finds them, each with its field path; an empty array means valid. Absent fields count as their
 * defaults (`withDaemonSetDefaults`), since the webhook validates after defaulting. Checks:
 * metadata name and labels; selector valid, not empty and matching the template labels; the pod
 * template (labels, containers, volumes and mounts as for CloneSet, `restartPolicy` Always, no
 * `activeDeadlineSeconds`); `minReadySeconds` and `revisionHistoryLimit` not negative; the update
 * strategy (see `daemonSetUpdateStrategyProblems`: exactly one of maxUnavailable and maxSurge
 * non-zero, no surge in place, partition); no `lifecycle.inPlaceUpdate` hook. Two checks
 * OpenKruise leaves out, as for the other workloads: lifecycle hooks whose labels and finalizers
 * could be put on a pod, and a valid `rollingUpdate.selector`.
 *
 * @example `rollingUpdate: { maxUnavailable: 0, maxSurge: 0 }` →
 *   `[{ path: 'spec.updateStrategy.rollingUpdate.maxUnavailable', message: 'Required value: cannot be 0 when maxSurge is 0' }]`
 */
export function validateDaemonSet(ds: DaemonSet): readonly FieldProblem[] {
  const spec = withDaemonSetDefaults(ds).spec;
  return [
    ...objectMetaProblems(ds.metadata),
    ...selectorProblems(spec),
    ...templateProblems(spec),
    ...nonNegativeProblems(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...daemonSetUpdateStrategyProblems(spec.updateStrategy),
    ...nonNegativeProblems(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
    ...(spec.lifecycle?.inPlaceUpdate === undefined ? [] : [fieldProblem('spec.lifecycle.inPlaceUpdate', 'Forbidden: inPlaceUpdate hook has not supported yet')]),
    ...validateLifecycle(spec.lifecycle),
  ];
}

/** The warning of {@link daemonSetWarnings} for a surge with host ports. */
export const DAEMONSET_HOST_PORT_SURGE_WARNING =
  'spec.updateStrategy.rollingUpdate.maxSurge is set with a HostPort container, which can cause port conflicts when old and new pods run simultaneously during rolling updates. See https://github.com/kubernetes/kubernetes/issues/106417';

/**
 * Returns the admission warnings of an Advanced DaemonSet (OpenKruise's `GetDaemonSetWarnings`):
 * a `maxSurge` above 0 while a container or init container of the template has a `hostPort`, since
 * the old and the surge pod of a node then fight for the port. Empty when there is nothing to say.
 *
 * @example maxSurge 1, a container port `{ containerPort: 80, hostPort: 80 }` → [DAEMONSET_HOST_PORT_SURGE_WARNING]
 */
export function daemonSetWarnings(ds: DaemonSet): readonly string[] {
  const maxSurge = ds.spec.updateStrategy?.rollingUpdate?.maxSurge;
  const podSpec = ds.spec.template.spec;
  const hostPort = [...podSpec.containers, ...(podSpec.initContainers ?? [])].some((c) => (c.ports ?? []).some((p) => (p.hostPort ?? 0) > 0));
  return maxSurge !== undefined && intOrPercentValue(maxSurge) > 0 && hostPort ? [DAEMONSET_HOST_PORT_SURGE_WARNING] : [];
}
