import {
  DAEMONSET_V1ALPHA1_API_VERSION,
  convertDaemonSetToV1alpha1,
  daemonSetWarnings,
  diffJson,
  parseDaemonSet,
  validateDaemonSet,
  validateDaemonSetUpdate,
  withDaemonSetDefaults,
  withDaemonSetSurgingDefaults,
  type DaemonSet,
  type FieldProblem,
} from '@kruise-ts/core';
import { allow, allowWithPatch, denyProblems } from '../admissionDecisions.js';
import type { AdmissionRequest, AdmissionWebhook } from '../admissionTypes.js';
import { DAEMONSET_MUTATING_WEBHOOK, DAEMONSET_VALIDATING_WEBHOOK } from '../builtinWebhookSpecs.js';
import { readAdmissionObject, type AdmissionObjectRead } from '../readAdmissionObject.js';

type Json = Record<string, unknown>;

// A v1alpha1 `Surging` set is read with the budgets OpenKruise's v1alpha1 defaulting gives it, so
// that the Standard it becomes keeps surging.
const parseWithSurgingDefaults = (object: Json) => parseDaemonSet(object, { beforeConversion: withDaemonSetSurgingDefaults });

const readDaemonSet = (request: AdmissionRequest, field: 'object' | 'oldObject'): AdmissionObjectRead<DaemonSet> => readAdmissionObject(request, field, parseWithSurgingDefaults, 'DaemonSet');

/**
 * Returns the Advanced DaemonSet defaulting webhook (OpenKruise `mdaemonset.kb.io`), on CREATE and
 * UPDATE alike: the object read in its version (v1alpha1 or v1beta1; a v1alpha1 `rollingUpdateType:
 * Surging` becomes Standard with `maxSurge: 1, maxUnavailable: 0` where unset, as OpenKruise's
 * v1alpha1 defaulting does), `withDaemonSetDefaults` applied in v1beta1, converted back to the
 * request's version, and the difference returned as a JSON patch. As OpenKruise's, it leaves the
 * pod template and the status alone. An object that cannot be read is denied with code 400 and
 * each problem's field.
 *
 * @example CREATE `{ spec: { selector, template } }` (v1beta1) → patch adding `/spec/burstReplicas` 250,
 *   `/spec/revisionHistoryLimit` 10 and `/spec/updateStrategy`
 *   `{ type: 'RollingUpdate', rollingUpdate: { rollingUpdateType: 'Standard', maxUnavailable: 1, maxSurge: 0 } }`
 */
export function daemonSetMutatingWebhook(): AdmissionWebhook {
  return {
    ...DAEMONSET_MUTATING_WEBHOOK,
    handle(request) {
      const read = readDaemonSet(request, 'object');
      if (read.kind === 'denied') return read.decision;
      const defaulted = withDaemonSetDefaults(read.value);
      const result: Json = read.object.apiVersion === DAEMONSET_V1ALPHA1_API_VERSION ? convertDaemonSetToV1alpha1(defaulted) : defaulted;
      return allowWithPatch(diffJson(read.object, result));
    },
  };
}

/**
 * Returns the Advanced DaemonSet validating webhook (OpenKruise `vdaemonset.kb.io`): on CREATE
 * every problem `validateDaemonSet` finds, on UPDATE those of `validateDaemonSetUpdate` (only
 * `burstReplicas`, `template`, `lifecycle`, `scaleStrategy`, `updateStrategy`, `minReadySeconds` and
 * `revisionHistoryLimit` may change). A v1alpha1 object is validated in its v1beta1 form (the paths
 * are the same). Denials carry code 422, each problem as `path: message` in the message and as a
 * cause. Admitted objects carry `daemonSetWarnings` (a surge with host ports) as admission
 * warnings. DELETE is admitted.
 *
 * @example CREATE with `rollingUpdate: { maxUnavailable: 0, maxSurge: 0 }` → denied:
 *   `spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0`
 */
export function daemonSetValidatingWebhook(): AdmissionWebhook {
  return {
    ...DAEMONSET_VALIDATING_WEBHOOK,
    handle(request) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const next = readDaemonSet(request, 'object');
      if (next.kind === 'denied') return next.decision;
      let problems: readonly FieldProblem[];
      if (request.operation === 'CREATE') {
        problems = validateDaemonSet(next.value);
      } else {
        const old = readDaemonSet(request, 'oldObject');
        if (old.kind === 'denied') return old.decision;
        problems = validateDaemonSetUpdate(old.value, next.value);
      }
      return problems.length === 0 ? allow(daemonSetWarnings(next.value)) : denyProblems(problems);
    },
  };
}
