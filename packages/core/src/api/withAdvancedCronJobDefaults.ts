import type { AdvancedCronJob, ConcurrencyPolicy, CronJobTemplate, ImageListPullJobTemplateSpec } from './advancedCronJob.js';
import { withPodTemplateDefaults, type PodTemplateDefaultsOptions } from './podTemplateDefaults.js';
import { DEFAULT_IMAGE_PULL_BACKOFF_LIMIT, DEFAULT_IMAGE_PULL_TIMEOUT_SECONDS } from './withImagePullJobDefaults.js';

/** Default `spec.concurrencyPolicy` of an AdvancedCronJob. */
export const DEFAULT_ADVANCEDCRONJOB_CONCURRENCY_POLICY: ConcurrencyPolicy = 'Allow';
/** Default `spec.concurrencyPolicy` of an AdvancedCronJob with an `imageListPullJobTemplate` (OpenKruise: running pulls concurrently is useless). */
export const DEFAULT_IMAGELISTPULLJOB_CONCURRENCY_POLICY: ConcurrencyPolicy = 'Replace';
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
 * The ImageListPullJob template's defaults, as OpenKruise sets them: only when
 * `completionPolicy.type` is unset, it becomes `Always` and `pullPolicy` gets timeoutSeconds 600 and
 * backoffLimit 3, `imagePullPolicy` IfNotPresent (a template with a type set is left as it is).
 */
function withImageListPullJobTemplateDefaults(template: ImageListPullJobTemplateSpec): ImageListPullJobTemplateSpec {
  const spec = template.spec;
  if (spec.completionPolicy.type !== undefined) return template;
  return {
    ...template,
    spec: {
      ...spec,
      completionPolicy: { ...spec.completionPolicy, type: 'Always' },
      pullPolicy: { ...spec.pullPolicy, timeoutSeconds: spec.pullPolicy?.timeoutSeconds ?? DEFAULT_IMAGE_PULL_TIMEOUT_SECONDS, backoffLimit: spec.pullPolicy?.backoffLimit ?? DEFAULT_IMAGE_PULL_BACKOFF_LIMIT },
      imagePullPolicy: spec.imagePullPolicy ?? 'IfNotPresent',
    },
  };
}

/**
 * Returns a copy of an AdvancedCronJob with the defaults OpenKruise's mutating webhook sets
 * (`SetDefaultsAdvancedCronJob` in `apis/apps/defaults/v1beta1.go`): `concurrencyPolicy` Allow
 * (Replace with an `imageListPullJobTemplate`), `paused` false, `successfulJobsHistoryLimit` 3,
 * `failedJobsHistoryLimit` 1; an ImageListPullJob template with no completion policy type gets
 * `Always`, pullPolicy `{ timeoutSeconds: 600, backoffLimit: 3 }` and imagePullPolicy IfNotPresent;
 * with `templateDefaults`, the pod defaults in the job (or BroadcastJob) template. Set values are
 * never changed; applying it twice gives the same object.
 *
 * @example `{ spec: { schedule: '*\/5 * * * *', template } }` → spec gains `concurrencyPolicy: 'Allow', paused: false,
 *   successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1`
 */
export function withAdvancedCronJobDefaults(acj: AdvancedCronJob, options: AdvancedCronJobDefaultsOptions = {}): DefaultedAdvancedCronJob {
  const spec = acj.spec;
  const podDefaulted = options.templateDefaults === true ? withTemplateDefaults(spec.template, options) : spec.template;
  const imageList = podDefaulted.imageListPullJobTemplate;
  const template = imageList === undefined ? podDefaulted : { ...podDefaulted, imageListPullJobTemplate: withImageListPullJobTemplateDefaults(imageList) };
  return {
    ...acj,
    spec: {
      ...spec,
      template,
      concurrencyPolicy: spec.concurrencyPolicy ?? (imageList === undefined ? DEFAULT_ADVANCEDCRONJOB_CONCURRENCY_POLICY : DEFAULT_IMAGELISTPULLJOB_CONCURRENCY_POLICY),
      paused: spec.paused ?? false,
      successfulJobsHistoryLimit: spec.successfulJobsHistoryLimit ?? DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT,
      failedJobsHistoryLimit: spec.failedJobsHistoryLimit ?? DEFAULT_FAILED_JOBS_HISTORY_LIMIT,
    },
  };
}
