import type { FieldProblem } from '../shared/fieldProblem.js';
import type { DaemonSet } from './daemonSet.js';
import { immutableSpecProblems } from './specUpdateProblems.js';
import { validateDaemonSet } from './validateDaemonSet.js';
import { withDaemonSetDefaults } from './withDaemonSetDefaults.js';

/**
 * The spec fields an Advanced DaemonSet update may change (OpenKruise's
 * `validateDaemonSetUpdateV1beta1`); any other spec change is refused: `selector` above all.
 */
export const DAEMONSET_MUTABLE_SPEC_FIELDS = ['burstReplicas', 'template', 'lifecycle', 'scaleStrategy', 'updateStrategy', 'minReadySeconds', 'revisionHistoryLimit'] as const;

const MUTABLE: ReadonlySet<string> = new Set(DAEMONSET_MUTABLE_SPEC_FIELDS);
// OpenKruise's message, its capital B and all.
const IMMUTABLE_MESSAGE =
  "Forbidden: updates to daemonset spec for fields other than 'BurstReplicas', 'template', 'lifecycle', 'scaleStrategy', 'updateStrategy', 'minReadySeconds', and 'revisionHistoryLimit' are forbidden";

/**
 * Returns every problem of updating Advanced DaemonSet `old` to `next`: one per spec field
 * outside {@link DAEMONSET_MUTABLE_SPEC_FIELDS} that changed (absent fields compared as their
 * defaults; OpenKruise reports them as one problem at `spec`, kruise-ts names each field), and
 * all problems of `next` (see `validateDaemonSet`). Both objects should be v1beta1 (convert
 * v1alpha1 first).
 *
 * @example selector `{ app: 'agent' }` → `{ app: 'agent', tier: 'x' }` →
 *   `[{ path: 'spec.selector', message: "Forbidden: updates to daemonset spec for fields other than 'BurstReplicas', ... are forbidden" }, ...]`
 */
export function validateDaemonSetUpdate(old: DaemonSet, next: DaemonSet): readonly FieldProblem[] {
  return [...immutableSpecProblems(withDaemonSetDefaults(old).spec, withDaemonSetDefaults(next).spec, MUTABLE, IMMUTABLE_MESSAGE), ...validateDaemonSet(next)];
}
