import type { AdvancedCronJob, ConcurrencyPolicy, CronJobTemplate } from './advancedCronJob.js';
import { withPodTemplateDefaults, type PodTemplateDefaultsOptions } from './podTemplateDefaults.js';

/** Default `spec.concurrencyPolicy` of an AdvancedCronJob. */
export const DEFAULT_ADVANCEDCRONJOB_CONCURRENCY_POLICY: ConcurrencyPolicy = 'Allow';
/** Default `spec.successfulJobsHistoryLimit` of an AdvancedCronJob. */
export const DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT = 3;
/** Default `spec.failedJobsHistoryLimit` of an AdvancedCronJob. */
export const DEFAULT_FAILED_JOBS_HISTORY_LIMIT = 1;

/** An AdvancedCronJob with OpenKruise's defaults applied (what {@link withAdvancedCronJobDefaults} returns). */
export type DefaultedAdvancedCronJob = AdvancedCronJob & {
  readonly spec: AdvancedCronJob['spec'] & {
    readonly concurrencyPolicy: ConcurrencyPolicy;
    readonly paused: boolean;
    readonly successfulJobsHistoryLimit: number;
    readonly failedJobsHistoryLimit: number;
  };
};

/** Options of {@link withAdvancedCronJobDefaults}. */
export interface AdvancedCronJobDefaultsOptions extends PodTemplateDefaultsOptions {
  /**
   * Also give the pod template of the job or BroadcastJob template OpenKruise's pod defaults
   * (`withPodTemplateDefaults`). OpenKruise's webhook does on create and when an update changes
   * `spec.template`, unless the TemplateNoDefaults gate is on. Default false.
   */
  readonly templateDefaults?: boolean;
}

function withTemplateDefaults(template: CronJobTemplate, options: PodTemplateDefaultsOptions): CronJobTemplate {
  const { jobTemplate, broadcastJobTemplate } = template;
  return {
    ...template,
    ...(jobTemplate && { jobTemplate: { ...jobTemplate, spec: { ...jobTemplate.spec, template: withPodTemplateDefaults(jobTemplate.spec.template, options) } } }),
    ...(broadcastJobTemplate && {
      broadcastJobTemplate: { ...broadcastJobTemplate, spec: { ...broadcastJobTemplate.spec, template: withPodTemplateDefaults(broadcastJobTemplate.spec.template, options) } },
    }),
  };
}

/**
 * Returns a copy of an AdvancedCronJob with the defaults OpenKruise's mutating webhook sets
 * (`SetDefaultsAdvancedCronJob` in `apis/apps/defaults/v1beta1.go`): `concurrencyPolicy` Allow,
 * `paused` false, `successfulJobsHistoryLimit` 3, `failedJobsHistoryLimit` 1 and, with
 * `templateDefaults`, the pod defaults in the job (or BroadcastJob) template. Set values are never
 * changed; applying it twice gives the same object.
 *
 * @example `{ spec: { schedule: '*\/5 * * * *', template } }` → spec gains `concurrencyPolicy: 'Allow', paused: false,
 *   successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1`
 */
export function withAdvancedCronJobDefaults(acj: AdvancedCronJob, options: AdvancedCronJobDefaultsOptions = {}): DefaultedAdvancedCronJob {
  const spec = acj.spec;
  return {
    ...acj,
    spec: {
      ...spec,
      template: options.templateDefaults === true ? withTemplateDefaults(spec.template, options) : spec.template,
      concurrencyPolicy: spec.concurrencyPolicy ?? DEFAULT_ADVANCEDCRONJOB_CONCURRENCY_POLICY,
      paused: spec.paused ?? false,
      successfulJobsHistoryLimit: spec.successfulJobsHistoryLimit ?? DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT,
      failedJobsHistoryLimit: spec.failedJobsHistoryLimit ?? DEFAULT_FAILED_JOBS_HISTORY_LIMIT,
    },
  };
}
