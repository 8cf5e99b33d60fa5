import type { FieldProblem } from '../shared/fieldProblem.js';
import { immutableSpecProblems, inPlaceOnlyTemplateProblems } from './specUpdateProblems.js';
import type { StatefulSet } from './statefulSet.js';
import { validateStatefulSet } from './validateStatefulSet.js';
import { withStatefulSetDefaults } from './withStatefulSetDefaults.js';

/**
 * The spec fields an Advanced StatefulSet update may change (OpenKruise's
 * `ValidateStatefulSetUpdate`); any other spec change is refused: `selector`, `serviceName` and
 * `podManagementPolicy` above all.
 */
export const STATEFULSET_MUTABLE_SPEC_FIELDS = [
  'replicas',
  'ordinals',
  'template',
  'reserveOrdinals',
  'lifecycle',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'volumeClaimTemplates',
  'volumeClaimUpdateStrategy',
  'updateStrategy',
  'scaleStrategy',
] as const;

const MUTABLE: ReadonlySet<string> = new Set(STATEFULSET_MUTABLE_SPEC_FIELDS);
const IMMUTABLE_MESSAGE = `Forbidden: updates to statefulset spec for fields other than ${STATEFULSET_MUTABLE_SPEC_FIELDS.map((f) => `'${f}'`).join(', ')} are forbidden`;

function immutableFieldProblems(old: StatefulSet, next: StatefulSet): FieldProblem[] {
  return immutableSpecProblems(withStatefulSetDefaults(old).spec, withStatefulSetDefaults(next).spec, MUTABLE, IMMUTABLE_MESSAGE);
}

function inPlaceOnlyProblems(old: StatefulSet, next: StatefulSet): FieldProblem[] {
  return next.spec.updateStrategy?.rollingUpdate?.podUpdatePolicy === 'InPlaceOnly' ? inPlaceOnlyTemplateProblems(old.spec.template.spec, next.spec.template.spec) : [];
}

/**
 * Returns every problem of updating Advanced StatefulSet `old` to `next`: one per spec field
 * outside {@link STATEFULSET_MUTABLE_SPEC_FIELDS} that changed (absent fields compared as their
 * defaults), when `next` uses `podUpdatePolicy: InPlaceOnly` one per change of the pod spec other
 * than a container image (OpenKruise refuses those instead of recreating pods), and all problems
 * of `next` (see `validateStatefulSet`). Both objects should be v1beta1 (convert v1alpha1 first).
 * Not checked: with the StatefulSetAutoResizePVCGate gate and `volumeClaimUpdateStrategy:
 * OnPodRollingUpdate`, OpenKruise also refuses claim template changes other than a storage size
 * increase the StorageClass allows (that needs the cluster).
 *
 * @example serviceName `web` → `db` →
 *   `[{ path: 'spec.serviceName', message: "Forbidden: updates to statefulset spec for fields other than 'replicas', ... are forbidden" }]`
 */
export function validateStatefulSetUpdate(old: StatefulSet, next: StatefulSet): readonly FieldProblem[] {
  return [...immutableFieldProblems(old, next), ...inPlaceOnlyProblems(old, next), ...validateStatefulSet(next)];
}
