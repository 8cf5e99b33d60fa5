import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { jsonEqual } from '../inplace/diffJson.js';
import type { PersistentPodState, TargetReference } from './persistentPodState.js';
import { objectMetaProblems } from './validateObjectMeta.js';

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/**
 * Returns whether a target is a workload PersistentPodState follows: a `StatefulSet` of `apps`
 * (`apps/v1`) or `apps.kruise.io` (Advanced StatefulSet). OpenKruise also takes the kinds of its
 * `PPS_Watch_Custom_Workload_WhiteList` configuration, which kruise-ts does not read.
 */
export function isPersistentPodStateTarget(ref: Pick<TargetReference, 'apiVersion' | 'kind'>): boolean {
  const group = groupOf(ref.apiVersion);
  return ref.kind === 'StatefulSet' && (group === 'apps' || group === 'apps.kruise.io');
}

/** Returns whether two targets name the same workload (same group, kind and name; versions may differ). */
export function sameTarget(a: TargetReference, b: TargetReference): boolean {
  return groupOf(a.apiVersion) === groupOf(b.apiVersion) && a.kind === b.kind && a.name === b.name;
}

/**
 * Returns every problem of a PersistentPodState as OpenKruise's validating webhook finds them,
 * with field paths: a targetRef with apiVersion, kind and name, naming an `apps` or
 * `apps.kruise.io` StatefulSet; at least one of requiredPersistentTopology and
 * preferredPersistentTopology; on update (`old`) the targetRef unchanged (like OpenKruise, the
 * retention policy is not checked: anything but `WhenDeleted` acts as `WhenScaled`); and no other PersistentPodState of the namespace
 * (`others`) following the same workload.
 *
 * @example a second PersistentPodState `b` for StatefulSet `web` next to `a` →
 *   `[{ path: 'spec.targetReference', message: 'Invalid value: targetReference is in conflict with other PersistentPodState a' }]`
 */
export function validatePersistentPodState(pps: PersistentPodState, options: { readonly old?: PersistentPodState | undefined; readonly others?: readonly PersistentPodState[] | undefined } = {}): readonly FieldProblem[] {
  const { spec } = pps;
  const ref = spec.targetRef;
  const problems: FieldProblem[] = [...objectMetaProblems(pps.metadata)];
  if (ref.apiVersion === '' || ref.kind === '' || ref.name === '') problems.push(fieldProblem('spec.targetRef', 'Invalid value: empty TargetReference is not valid for PersistentPodState.'));
  else if (!isPersistentPodStateTarget(ref)) problems.push(fieldProblem('spec.targetRef', 'Invalid value: TargetReference.Kind must be StatefulSet or in PPS_Watch_Custom_Workload_WhiteList'));
  if (spec.requiredPersistentTopology === undefined && (spec.preferredPersistentTopology ?? []).length === 0) {
    problems.push(fieldProblem('spec', 'Invalid value: TopologyConstraint and TopologyPreference cannot be empty at the same time'));
  }
  if (options.old !== undefined && !jsonEqual(options.old.spec.targetRef, ref)) problems.push(fieldProblem('spec.targetRef', 'Required value: targetRef cannot be modified'));
  const conflict = (options.others ?? []).find((other) => other.metadata?.name !== pps.metadata?.name && sameTarget(other.spec.targetRef, ref));
  if (conflict !== undefined) problems.push(fieldProblem('spec.targetReference', `Invalid value: targetReference is in conflict with other PersistentPodState ${conflict.metadata?.name ?? ''}`));
  return problems;
}
