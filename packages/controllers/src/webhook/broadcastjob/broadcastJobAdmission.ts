import {
  BROADCASTJOB_V1ALPHA1_API_VERSION,
  convertBroadcastJobToV1alpha1,
  diffJson,
  parseBroadcastJob,
  validateBroadcastJob,
  withBroadcastJobDefaults,
  type BroadcastJob,
} from '@kruise-ts/core';
import { allow, allowWithPatch, denyProblems } from '../admissionDecisions.js';
import type { AdmissionRequest, AdmissionWebhook } from '../admissionTypes.js';
import { BROADCASTJOB_MUTATING_WEBHOOK, BROADCASTJOB_VALIDATING_WEBHOOK } from '../builtinWebhookSpecs.js';
import { readAdmissionObject, type AdmissionObjectRead } from '../readAdmissionObject.js';
import { patchWithTemplateDefaults } from '../templateDefaultsPatch.js';

type Json = Record<string, unknown>;

const readBroadcastJob = (request: AdmissionRequest, field: 'object' | 'oldObject'): AdmissionObjectRead<BroadcastJob> => readAdmissionObject(request, field, parseBroadcastJob, 'BroadcastJob');

/** Options of {@link broadcastJobMutatingWebhook}. */
export interface BroadcastJobMutatingOptions {
  /**
   * The gates the defaulting reads, with OpenKruise's defaults when absent: `TemplateNoDefaults`
   * (off) leaves the pod template as written; `DefaultHostNetworkHostPortsInPodTemplates` (off)
   * gives a hostNetwork template's ports hostPorts.
   */
  readonly featureGates?: { readonly TemplateNoDefaults?: boolean | undefined; readonly DefaultHostNetworkHostPortsInPodTemplates?: boolean | undefined } | undefined;
}

/**
 * Returns the BroadcastJob defaulting webhook (OpenKruise `mbroadcastjob.kb.io`): the object read
 * in its version, `withBroadcastJobDefaults` applied (`parallelism` 2147483647, completion
 * `Always`, failure `FailFast`, `restartPolicy` OnFailure when unset), converted back to the
 * request's version, and the difference returned as a JSON patch. The pod template gets
 * OpenKruise's pod defaults on CREATE, and on UPDATE only when `spec.template` changed, unless the
 * `TemplateNoDefaults` gate is on. An object that cannot be read is denied with code 400.
 *
 * @example CREATE `{ spec: { template } }` → patch adding `/spec/parallelism` 2147483647, `/spec/completionPolicy`
 *   `{ type: 'Always' }`, `/spec/failurePolicy` `{ type: 'FailFast' }` and the pod template defaults
 */
export function broadcastJobMutatingWebhook(options: BroadcastJobMutatingOptions = {}): AdmissionWebhook {
  const gates = options.featureGates ?? {};
  return {
    ...BROADCASTJOB_MUTATING_WEBHOOK,
    handle(request) {
      const read = readBroadcastJob(request, 'object');
      if (read.kind === 'denied') return read.decision;
      let templateDefaults = gates.TemplateNoDefaults !== true;
      if (templateDefaults && request.operation === 'UPDATE') {
        const old = readBroadcastJob(request, 'oldObject');
        if (old.kind === 'denied') return old.decision;
        templateDefaults = diffJson(old.value.spec.template, read.value.spec.template).length > 0;
      }
      const defaulted = withBroadcastJobDefaults(read.value, { templateDefaults, defaultHostNetworkHostPorts: gates.DefaultHostNetworkHostPortsInPodTemplates === true });
      const result: Json = read.object.apiVersion === BROADCASTJOB_V1ALPHA1_API_VERSION ? convertBroadcastJobToV1alpha1(defaulted) : defaulted;
      return allowWithPatch(templateDefaults ? patchWithTemplateDefaults(read.object, result) : diffJson(read.object, result));
    },
  };
}

/**
 * Returns the BroadcastJob validating webhook (OpenKruise `vbroadcastjob.kb.io`): on CREATE and
 * UPDATE every problem `validateBroadcastJob` finds (name, completion policy, restartPolicy,
 * reserved labels, pod template, parallelism). Denials carry code 422, each problem as
 * `path: message`. DELETE is admitted.
 *
 * @example CREATE with `template.spec.restartPolicy: Always` → denied:
 *   `spec.template.spec.restartPolicy: Invalid value: "Always": pod restartPolicy can only be Never or OnFailure`
 */
export function broadcastJobValidatingWebhook(): AdmissionWebhook {
  return {
    ...BROADCASTJOB_VALIDATING_WEBHOOK,
    handle(request) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const next = readBroadcastJob(request, 'object');
      if (next.kind === 'denied') return next.decision;
      const problems = validateBroadcastJob(next.value);
      return problems.length === 0 ? allow() : denyProblems(problems);
    },
  };
}
