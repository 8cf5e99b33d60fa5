import {
  ADVANCEDCRONJOB_V1ALPHA1_API_VERSION,
  convertAdvancedCronJobToV1alpha1,
  diffJson,
  parseAdvancedCronJob,
  validateAdvancedCronJob,
  validateAdvancedCronJobUpdate,
  withAdvancedCronJobDefaults,
  type AdvancedCronJob,
  type FieldProblem,
} from '@kruise-ts/core';
import { allow, allowWithPatch, denyProblems } from '../admissionDecisions.js';
import type { AdmissionRequest, AdmissionWebhook } from '../admissionTypes.js';
import { ADVANCEDCRONJOB_MUTATING_WEBHOOK, ADVANCEDCRONJOB_VALIDATING_WEBHOOK } from '../builtinWebhookSpecs.js';
import { readAdmissionObject, type AdmissionObjectRead } from '../readAdmissionObject.js';
import { patchWithTemplateDefaults } from '../templateDefaultsPatch.js';

type Json = Record<string, unknown>;

const readAdvancedCronJob = (request: AdmissionRequest, field: 'object' | 'oldObject'): AdmissionObjectRead<AdvancedCronJob> =>
  readAdmissionObject(request, field, parseAdvancedCronJob, 'AdvancedCronJob');

/** Options of {@link advancedCronJobMutatingWebhook}. */
export interface AdvancedCronJobMutatingOptions {
  /**
   * The gates the defaulting reads, with OpenKruise's defaults when absent: `TemplateNoDefaults`
   * (off) leaves the pod template of the job template as written;
   * `DefaultHostNetworkHostPortsInPodTemplates` (off) gives a hostNetwork template's ports hostPorts.
   */
  readonly featureGates?: { readonly TemplateNoDefaults?: boolean | undefined; readonly DefaultHostNetworkHostPortsInPodTemplates?: boolean | undefined } | undefined;
}

/**
 * Returns the AdvancedCronJob defaulting webhook (OpenKruise `madvancedcronjob.kb.io`): the object
 * read in its version, `withAdvancedCronJobDefaults` applied (`concurrencyPolicy` Allow, `paused`
 * false, history limits 3 and 1), converted back to the request's version, and the difference
 * returned as a JSON patch. The pod template of the job or BroadcastJob template gets OpenKruise's
 * pod defaults on CREATE, and on UPDATE only when `spec.template` changed, unless the
 * `TemplateNoDefaults` gate is on. An object that cannot be read is denied with code 400 and each
 * problem's field.
 *
 * @example CREATE `{ spec: { schedule: '*\/5 * * * *', template: { jobTemplate } } }` → patch adding `/spec/concurrencyPolicy` Allow,
 *   `/spec/paused` false, `/spec/successfulJobsHistoryLimit` 3, `/spec/failedJobsHistoryLimit` 1 and the pod template defaults
 */
export function advancedCronJobMutatingWebhook(options: AdvancedCronJobMutatingOptions = {}): AdmissionWebhook {
  const gates = options.featureGates ?? {};
  return {
    ...ADVANCEDCRONJOB_MUTATING_WEBHOOK,
    handle(request) {
      const read = readAdvancedCronJob(request, 'object');
      if (read.kind === 'denied') return read.decision;
      let templateDefaults = gates.TemplateNoDefaults !== true;
      if (templateDefaults && request.operation === 'UPDATE') {
        const old = readAdvancedCronJob(request, 'oldObject');
        if (old.kind === 'denied') return old.decision;
        templateDefaults = diffJson(old.value.spec.template, read.value.spec.template).length > 0;
      }
      const defaulted = withAdvancedCronJobDefaults(read.value, { templateDefaults, defaultHostNetworkHostPorts: gates.DefaultHostNetworkHostPortsInPodTemplates === true });
      const result: Json = read.object.apiVersion === ADVANCEDCRONJOB_V1ALPHA1_API_VERSION ? convertAdvancedCronJobToV1alpha1(defaulted) : defaulted;
      return allowWithPatch(templateDefaults ? patchWithTemplateDefaults(read.object, result) : diffJson(read.object, result));
    },
  };
}

/**
 * Returns the AdvancedCronJob validating webhook (OpenKruise `vadvancedcronjob.kb.io`): on CREATE
 * every problem `validateAdvancedCronJob` finds (the schedule as robfig/cron parses it, one
 * template, the time zone...), on UPDATE those of `validateAdvancedCronJobUpdate` (only the
 * schedule, policies, limits, deadline, time zone and `paused` may change). Denials carry code
 * 422, each problem as `path: message` in the message and as a cause. DELETE is admitted.
 *
 * @example CREATE with `schedule: '0 0 * * 7'` → denied: `spec.schedule: Invalid value: "0 0 * * 7": end of range (7) above maximum (6): 7`
 */
export function advancedCronJobValidatingWebhook(): AdmissionWebhook {
  return {
    ...ADVANCEDCRONJOB_VALIDATING_WEBHOOK,
    handle(request) {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const next = readAdvancedCronJob(request, 'object');
      if (next.kind === 'denied') return next.decision;
      let problems: readonly FieldProblem[];
      if (request.operation === 'CREATE') {
        problems = validateAdvancedCronJob(next.value);
      } else {
        const old = readAdvancedCronJob(request, 'oldObject');
        if (old.kind === 'denied') return old.decision;
        problems = validateAdvancedCronJobUpdate(old.value, next.value);
      }
      return problems.length === 0 ? allow() : denyProblems(problems);
    },
  };
}
