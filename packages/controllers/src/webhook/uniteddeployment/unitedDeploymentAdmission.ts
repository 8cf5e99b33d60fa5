import {
  UNITEDDEPLOYMENT_V1ALPHA1_API_VERSION,
  convertUnitedDeploymentToV1alpha1,
  diffJson,
  parseUnitedDeployment,
  validateUnitedDeployment,
  validateUnitedDeploymentUpdate,
  withUnitedDeploymentDefaults,
  type FieldProblem,
  type UnitedDeployment,
} from '@kruise-ts/core';
import { allow, allowWithPatch, denyProblems } from '../admissionDecisions.js';
import type { AdmissionRequest, AdmissionWebhook } from '../admissionTypes.js';
import { UNITEDDEPLOYMENT_MUTATING_WEBHOOK, UNITEDDEPLOYMENT_VALIDATING_WEBHOOK } from '../builtinWebhookSpecs.js';
import { readAdmissionObject, type AdmissionObjectRead } from '../readAdmissionObject.js';

type Json = Record<string, unknown>;

const readUnitedDeployment = (request: AdmissionRequest, field: 'object' | 'oldObject'): AdmissionObjectRead<UnitedDeployment> =>
  readAdmissionObject(request, field, parseUnitedDeployment, 'UnitedDeployment');

/**
 * Returns the UnitedDeployment defaulting webhook (OpenKruise `muniteddeployment.kb.io`), on
 * CREATE and UPDATE alike: the object read in its version, `withUnitedDeploymentDefaults` applied
 * in v1beta1, converted back to the request's version, and the difference returned as a JSON
 * patch. An object that cannot be read is denied with code 400 and each problem's field.
 *
 * @example CREATE `{ spec: { selector, template, topology } }` → patch adding `/spec/revisionHistoryLimit` 10
 *   and `/spec/updateStrategy` `{ type: 'Manual', manualUpdate: {} }`
 */
export function unitedDeploymentMutatingWebhook(): AdmissionWebhook {
  return {
    ...UNITEDDEPLOYMENT_MUTATING_WEBHOOK,
    handle(request) {
      const read = readUnitedDeployment(request, 'object');
      if (read.kind === 'denied') return read.decision;
      const defaulted = withUnitedDeploymentDefaults(read.value);
      const result: Json = read.object.apiVersion === UNITEDDEPLOYMENT_V1ALPHA1_API_VERSION ? convertUnitedDeploymentToV1alpha1(defaulted) : defaulted;
      return allowWithPatch(diffJson(read.object, result));
    },
  };
}

/**
 * Returns the UnitedDeployment validating webhook (OpenKruise `vuniteddeployment.kb.io`): on
 * CREATE every problem `validateUnitedDeployment` finds, on UPDATE those of
 * `validateUnitedDeploymentUpdate` (a subset's node selector term and tolerations stay). Denials
 * carry code 422, each problem as `path: message`. DELETE is admitted.
 *
 * @example CREATE with subsets a: 6, b: 6 and replicas 10 →
 *   denied: `spec.topology.subsets: Invalid value: 12: sum of indicated subset replicas 12 should not be greater than UnitedDeployment replicas 10`
 */
export function unitedDeploymentValidatingWebhook(): AdmissionWebhook {
  return {
    ...UNITEDDEPLOYMENT_VALIDATING_WEBHOOK,
    handle(request) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const next = readUnitedDeployment(request, 'object');
      if (next.kind === 'denied') return next.decision;
      let problems: readonly FieldProblem[];
      if (request.operation === 'CREATE') {
        problems = validateUnitedDeployment(next.value);
      } else {
        const old = readUnitedDeployment(request, 'oldObject');
        if (old.kind === 'denied') return old.decision;
        problems = validateUnitedDeploymentUpdate(old.value, next.value);
      }
      return problems.length === 0 ? allow() : denyProblems(problems);
    },
  };
}
