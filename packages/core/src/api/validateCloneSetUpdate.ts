import type { FieldProblem } from '../shared/fieldProblem.js';
import { immutableSpecProblems, inPlaceOnlyTemplateProblems } from './specUpdateProblems.js';
import type { CloneSet } from './cloneSet.js';
import { validateCloneSet } from './validateCloneSet.js';

/** The spec fields a CloneSet update may change; any other spec change is refused. */
export const CLONESET_MUTABLE_SPEC_FIELDS = [
  'replicas',
  'template',
  'lifecycle',
  'scaleStrategy',
  'updateStrategy',
  'minReadySeconds',
  'progressDeadlineSeconds',
  'volumeClaimTemplates',
  'revisionHistoryLimit',
] as const;

const MUTABLE: ReadonlySet<string> = new Set(CLONESET_MUTABLE_SPEC_FIELDS);
const IMMUTABLE_MESSAGE = `field is immutable: updates to cloneset spec for fields other than ${CLONESET_MUTABLE_SPEC_FIELDS.map((f) => `'${f}'`).join(', ')} are forbidden`;

function immutableFieldProblems(old: CloneSet, next: CloneSet): FieldProblem[] {
  return immutableSpecProblems(old.spec, next.spec, MUTABLE, IMMUTABLE_MESSAGE);
}

function inPlaceOnlyProblems(old: CloneSet, next: CloneSet): FieldProblem[] {
  return next.spec.updateStrategy?.rollingUpdate?.podUpdatePolicy === 'InPlaceOnly' ? inPlaceOnlyTemplateProblems(old.spec.template.spec, next.spec.template.spec) : [];
}

/**
 * Returns every problem of updating CloneSet `old` to `next`: all problems of `next` (see
 * `validateCloneSet`), one per spec field outside {@link CLONESET_MUTABLE_SPEC_FIELDS} that
 * changed (the selector above all), and, when `next` uses `podUpdatePolicy: InPlaceOnly`, one per
 * change of the pod spec other than a container image (OpenKruise refuses those instead of
 * recreating pods). Both objects should be v1beta1 (convert v1alpha1 first).
 *
 * @example selector `app=a` → `app=b` →
 *   `[{ path: 'spec.selector', message: "field is immutable: updates to cloneset spec for fields other than 'replicas', ... are forbidden" }, ...]`
 */
export function validateCloneSetUpdate(old: CloneSet, next: CloneSet): readonly FieldProblem[] {
  return [...immutableFieldProblems(old, next), ...inPlaceOnlyProblems(old, next), ...validateCloneSet(next)];
}
