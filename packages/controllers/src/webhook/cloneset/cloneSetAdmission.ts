import {
  CLONESET_V1ALPHA1_API_VERSION,
  convertCloneSetToV1alpha1,
  diffJson,
  parseCloneSet,
  validateCloneSet,
  validateCloneSetUpdate,
  withCloneSetDefaults,
  type CloneSet,
  type FieldProblem,
} from '@kruise-ts/core';
import { allow, allowWithPatch, denyProblems } from '../admissionDecisions.js';
import type { AdmissionRequest, AdmissionWebhook } from '../admissionTypes.js';
import { readAdmissionObject, type AdmissionObjectRead } from '../readAdmissionObject.js';
import { CLONESET_MUTATING_WEBHOOK, CLONESET_VALIDATING_WEBHOOK } from '../builtinWebhookSpecs.js';
import { podsToDeleteProblems, type LookupPod } from './podsToDeleteProblems.js';

type Json = Record<string, unknown>;

const isV1alpha1 = (object: Json): boolean => object.apiVersion === CLONESET_V1ALPHA1_API_VERSION;

// v1beta1 field paths (what validation reports) → where the field sits in a v1alpha1 object.
const V1ALPHA1_PATHS: readonly [RegExp, string][] = [
  [/^spec\.updateStrategy\.rollingUpdate\.podUpdatePolicy/, 'spec.updateStrategy.type'],
  [/^spec\.updateStrategy\.rollingUpdate(?=\.|$)/, 'spec.updateStrategy'],
  [/^spec\.scaleStrategy\.enablePVCReuse/, 'spec.scaleStrategy.disablePVCReuse'],
  [/^spec\.scaleStrategy\.excludePreparingDelete/, 'metadata.labels[apps.kruise.io/cloneset-scaling-exclude-preparing-delete]'],
];

/**
 * Returns the problems with their paths as the user wrote the object: validation speaks v1beta1,
 * so for a v1alpha1 CloneSet `spec.updateStrategy.rollingUpdate.partition` becomes
 * `spec.updateStrategy.partition`.
 */
export function inVersionOf(object: Json, problems: readonly FieldProblem[]): FieldProblem[] {
  if (!isV1alpha1(object)) return [...problems];
  return problems.map((p) => ({ ...p, path: V1ALPHA1_PATHS.reduce((path, [from, to]) => path.replace(from, to), p.path) }));
}

const readCloneSet = (request: AdmissionRequest, field: 'object' | 'oldObject'): AdmissionObjectRead<CloneSet> => readAdmissionObject(request, field, parseCloneSet, 'CloneSet');

/**
 * Returns the CloneSet defaulting webhook (OpenKruise `mcloneset.kb.io`): the object read in its
 * version (v1alpha1 or v1beta1), `withCloneSetDefaults` applied in v1beta1, converted back to the
 * request's version, and the difference returned as a JSON patch. An object that cannot be read
 * is denied with code 400 and each problem's field.
 *
 * @example CREATE `{ spec: { selector, template } }` (v1beta1) → patch adding `/spec/replicas` 1,
 *   `/spec/revisionHistoryLimit` 10 and `/spec/updateStrategy` `{ type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '20%', maxSurge: 0, podUpdatePolicy: 'ReCreate' } }`
 */
export function cloneSetMutatingWebhook(): AdmissionWebhook {
  return {
    ...CLONESET_MUTATING_WEBHOOK,
    handle(request) {
      const read = readCloneSet(request, 'object');
      if (read.kind === 'denied') return read.decision;
      const defaulted = withCloneSetDefaults(read.value);
      const result = isV1alpha1(read.object) ? convertCloneSetToV1alpha1(defaulted) : defaulted;
      return allowWithPatch(diffJson(read.object, result));
    },
  };
}

/** Options of {@link cloneSetValidatingWebhook}. */
export interface CloneSetValidatingOptions {
  /** Reads a pod (for `scaleStrategy.podsToDelete`); omitted = those names are not checked against the cluster. */
  readonly lookupPod?: LookupPod | undefined;
}

/**
 * Returns the CloneSet validating webhook (OpenKruise `vcloneset.kb.io`): on CREATE every problem
 * `validateCloneSet` finds, on UPDATE those of `validateCloneSetUpdate` (selector and other
 * fields immutable, InPlaceOnly refusing changes that cannot be done in place); names newly added
 * to `scaleStrategy.podsToDelete` must not be terminating pods or pods of another owner. Denials
 * carry code 422, each problem as `path: message` in the message and as a cause, with the paths
 * of the request's version. DELETE is admitted.
 *
 * @example UPDATE changing `spec.selector` → denied:
 *   `spec.selector: field is immutable: updates to cloneset spec for fields other than 'replicas', ... are forbidden`
 */
export function cloneSetValidatingWebhook(options: CloneSetValidatingOptions = {}): AdmissionWebhook {
  return {
    ...CLONESET_VALIDATING_WEBHOOK,
    async handle(request, context) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const next = readCloneSet(request, 'object');
      if (next.kind === 'denied') return next.decision;
      let problems: readonly FieldProblem[];
      let previous: readonly string[] = [];
      if (request.operation === 'UPDATE') {
        const old = readCloneSet(request, 'oldObject');
        if (old.kind === 'denied') return old.decision;
        problems = validateCloneSetUpdate(old.value, next.value);
        previous = old.value.spec.scaleStrategy?.podsToDelete ?? [];
      } else {
        problems = validateCloneSet(next.value);
      }
      if (options.lookupPod !== undefined && problems.length === 0) {
        problems = await podsToDeleteProblems(next.value, previous, options.lookupPod, context.signal);
      }
      return problems.length === 0 ? allow() : denyProblems(inVersionOf(next.object, problems));
    },
  };
}
