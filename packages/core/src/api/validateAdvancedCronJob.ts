import { isTimeZone } from '../cron/isTimeZone.js';
import { jsonEqual } from '../inplace/diffJson.js';
import { parseCronSchedule } from '../cron/parseCronSchedule.js';
import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import type { AdvancedCronJob, AdvancedCronJobSpec, ImageListPullJobTemplateSpec } from './advancedCronJob.js';
import type { ObjectMeta } from './objectMeta.js';
import { nonNegativeProblems } from './validateCloneSetStrategies.js';
import { podTemplateProblems } from './validateCloneSetTemplate.js';
import { validateImageListPullJob } from './validateImagePullJob.js';
import { alphanumericNameProblems } from './validateObjectMeta.js';

/** Longest AdvancedCronJob name OpenKruise accepts (`AdvancedCronJobNameMaxLen`). */
export const ADVANCEDCRONJOB_NAME_MAX_LENGTH = 63;

const metadataProblems = (metadata: ObjectMeta | undefined): FieldProblem[] => alphanumericNameProblems(metadata, 'AdvancedCronJob');

function scheduleProblems(spec: AdvancedCronJobSpec): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const quoted = JSON.stringify(spec.schedule);
  if (spec.schedule === '') problems.push(fieldProblem('spec.schedule', `Invalid value: ${quoted}: schedule cannot be empty, please provide valid cron schedule.`));
  const parsed = parseCronSchedule(spec.schedule, isTimeZone);
  if (parsed.kind === 'invalid') problems.push(fieldProblem('spec.schedule', `Invalid value: ${quoted}: ${parsed.message}`));
  // OpenKruise looks for "TZ" anywhere in the schedule, which also covers CRON_TZ=.
  if (spec.schedule.includes('TZ') && spec.timeZone !== undefined) {
    problems.push(fieldProblem('spec.schedule', `Invalid value: ${quoted}: cannot use both timeZone field and TZ or CRON_TZ in schedule`));
  }
  return problems;
}

function timeZoneProblems(timeZone: string | undefined): FieldProblem[] {
  if (timeZone === undefined) return [];
  const quoted = JSON.stringify(timeZone);
  if (timeZone === '') return [fieldProblem('spec.timeZone', `Invalid value: ${quoted}: timeZone must be nil or non-empty string`)];
  if (timeZone.toLowerCase() === 'local') return [fieldProblem('spec.timeZone', `Invalid value: ${quoted}: timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones`)];
  return timeZone === 'UTC' || isTimeZone(timeZone) ? [] : [fieldProblem('spec.timeZone', `Invalid value: ${quoted}: unknown time zone ${timeZone}`)];
}

const ILPJ_TEMPLATE_PATH = 'spec.template.imageListPullJobTemplate';

/**
 * The problems of an ImageListPullJob template: those of the ImageListPullJob it makes
 * (`validateImageListPullJob`, its `spec.` paths moved under the template) and a completion policy
 * other than `Always` (a cron run must finish; OpenKruise's proposal for the template).
 */
function imageListPullJobTemplateProblems(template: ImageListPullJobTemplateSpec): FieldProblem[] {
  const type = template.spec.completionPolicy.type;
  return [
    ...validateImageListPullJob({ spec: template.spec }).map((p) => ({ ...p, path: `${ILPJ_TEMPLATE_PATH}.${p.path}` })),
    ...(type !== undefined && type !== 'Always'
      ? [fieldProblem(`${ILPJ_TEMPLATE_PATH}.spec.completionPolicy.type`, `Unsupported value: ${JSON.stringify(type)}: supported values: "Always"`)]
      : []),
  ];
}

// The count messages are OpenKruise's wording, which names only the first two templates.
function templateProblems(spec: AdvancedCronJobSpec): FieldProblem[] {
  const { jobTemplate, broadcastJobTemplate, imageListPullJobTemplate } = spec.template;
  const count = [jobTemplate, broadcastJobTemplate, imageListPullJobTemplate].filter((t) => t !== undefined).length;
  return [
    ...(jobTemplate ? podTemplateProblems(jobTemplate.spec.template, 'spec.template.jobTemplate.spec.template') : []),
    ...(broadcastJobTemplate ? podTemplateProblems(broadcastJobTemplate.spec.template, 'spec.template.broadcastJobTemplate.spec.template') : []),
    ...(imageListPullJobTemplate ? imageListPullJobTemplateProblems(imageListPullJobTemplate) : []),
    ...(count === 0 ? [fieldProblem('spec.template', 'Forbidden: spec must have one template, either JobTemplate or BroadcastJobTemplate should be provided')] : []),
    ...(count > 1 ? [fieldProblem('spec.template', 'Forbidden: spec can have only one template, either JobTemplate or BroadcastJobTemplate should be provided')] : []),
  ];
}

/**
 * Returns every problem of an AdvancedCronJob as OpenKruise's validating webhook
 * (`pkg/webhook/advancedcronjob/validating`) finds them, each with its field path; an empty array
 * means valid. Checks: the name (letters, digits and '-', at most 63) and labels; the schedule
 * parses as robfig/cron's `ParseStandard` parses it (`parseCronSchedule`), and a `TZ`/`CRON_TZ`
 * prefix is not combined with `timeZone`; exactly one template, its pod template valid (see
 * `podTemplateProblems`; paths point into the template, where OpenKruise reports `spec.template`);
 * `startingDeadlineSeconds` and the history limits not negative; `timeZone`, when set, a real IANA
 * zone other than `Local`. An `imageListPullJobTemplate` is checked as the ImageListPullJob it
 * makes (`validateImageListPullJob`: images, selectors) with `completionPolicy.type` `Always`.
 *
 * @example `{ schedule: 'TZ=UTC 0 * * * *', timeZone: 'Europe/Paris' }` →
 *   `[{ path: 'spec.schedule', message: 'Invalid value: "TZ=UTC 0 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule' }]`
 */
export function validateAdvancedCronJob(acj: AdvancedCronJob): readonly FieldProblem[] {
  const spec = acj.spec;
  return [
    ...metadataProblems(acj.metadata),
    ...scheduleProblems(spec),
    ...templateProblems(spec),
    ...nonNegativeProblems(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'),
    ...nonNegativeProblems(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'),
    ...nonNegativeProblems(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'),
    ...timeZoneProblems(spec.timeZone),
  ];
}

// The spec fields an update may change (OpenKruise's validateAdvancedCronJobUpdate).
const MUTABLE_FIELDS = ['schedule', 'concurrencyPolicy', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'startingDeadlineSeconds', 'paused', 'timeZone'] as const;

function withoutMutable(spec: AdvancedCronJobSpec): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).filter(([key]) => !(MUTABLE_FIELDS as readonly string[]).includes(key)));
}

/**
 * Returns the problems of an update from `old` to `next`: those of `validateAdvancedCronJob(next)`
 * and, as OpenKruise, a change of anything in `spec` but `schedule`, `concurrencyPolicy`,
 * `successfulJobsHistoryLimit`, `failedJobsHistoryLimit`, `startingDeadlineSeconds`, `timeZone`
 * and `paused` (the template is immutable).
 *
 * @example a changed `template.jobTemplate.spec.template.spec.containers[0].image` →
 *   `[{ path: 'spec', message: "Forbidden: updates to advancedcronjob spec for fields other than 'schedule', ..." }]`
 */
export function validateAdvancedCronJobUpdate(old: AdvancedCronJob, next: AdvancedCronJob): readonly FieldProblem[] {
  const immutableChanged = !jsonEqual(withoutMutable(old.spec), withoutMutable(next.spec));
  return [
    ...validateAdvancedCronJob(next),
    ...(immutableChanged
      ? [
          fieldProblem(
            'spec',
            "Forbidden: updates to advancedcronjob spec for fields other than 'schedule', 'concurrencyPolicy', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'startingDeadlineSeconds', 'timeZone' and 'paused' are forbidden",
          ),
        ]
      : []),
  ];
}
