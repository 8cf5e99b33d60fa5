import { describe, expect, it } from 'vitest';
import { anAdvancedCronJob } from '../testing/advancedCronJobBuilder.js';
import type { AdvancedCronJob } from './advancedCronJob.js';
import { validateAdvancedCronJob, validateAdvancedCronJobUpdate } from './validateAdvancedCronJob.js';

const paths = (acj: AdvancedCronJob) => validateAdvancedCronJob(acj).map((p) => `${p.path}: ${p.message}`);

describe('validateAdvancedCronJob', () => {
  it.each([
    ['the builder default', anAdvancedCronJob()],
    ['every minute, Forbid', anAdvancedCronJob({ schedule: '* * * * *', concurrencyPolicy: 'Forbid' })],
    ['a TZ= prefix', anAdvancedCronJob({ schedule: 'TZ=America/New_York 30 2 * * *' })],
    ['a CRON_TZ= prefix', anAdvancedCronJob({ schedule: 'CRON_TZ=Europe/Berlin @daily' })],
    ['a timeZone field', anAdvancedCronJob({ schedule: '0 9 * * MON-FRI', timeZone: 'Asia/Tokyo' })],
    ['? in day of month', anAdvancedCronJob({ schedule: '0 0 ? * SUN' })],
    ['@every', anAdvancedCronJob({ schedule: '@every 90s' })],
    ['a BroadcastJob template', anAdvancedCronJob({ templateKind: 'BroadcastJob' })],
    ['uppercase in the name (OpenKruise allows it)', anAdvancedCronJob({ name: 'Nightly-Report' })],
    ['zero history limits', anAdvancedCronJob({ successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0, startingDeadlineSeconds: 0 })],
  ])('%s is valid', (_, acj) => {
    expect(validateAdvancedCronJob(acj)).toEqual([]);
  });

  it.each<[string, AdvancedCronJob, string[]]>([
    ['an empty schedule', anAdvancedCronJob({ schedule: '' }), ['spec.schedule: Invalid value: "": schedule cannot be empty, please provide valid cron schedule.', 'spec.schedule: Invalid value: "": empty spec string']],
    ['six fields', anAdvancedCronJob({ schedule: '0 * * * * *' }), ['spec.schedule: Invalid value: "0 * * * * *": expected exactly 5 fields, found 6: [0 * * * * *]']],
    ['day of week 7', anAdvancedCronJob({ schedule: '0 0 * * 7' }), ['spec.schedule: Invalid value: "0 0 * * 7": end of range (7) above maximum (6): 7']],
    ['an unknown zone in the schedule', anAdvancedCronJob({ schedule: 'TZ=Mars/Olympus * * * * *' }), ['spec.schedule: Invalid value: "TZ=Mars/Olympus * * * * *": provided bad location Mars/Olympus: unknown time zone Mars/Olympus']],
    [
      'TZ= and timeZone together',
      anAdvancedCronJob({ schedule: 'TZ=UTC 0 * * * *', timeZone: 'Europe/Paris' }),
      ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule'],
    ],
    ['an empty timeZone', anAdvancedCronJob({ timeZone: '' }), ['spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string']],
    ['timeZone Local', anAdvancedCronJob({ timeZone: 'local' }), ['spec.timeZone: Invalid value: "local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones']],
    ['an unknown timeZone', anAdvancedCronJob({ timeZone: 'Europe/Atlantis' }), ['spec.timeZone: Invalid value: "Europe/Atlantis": unknown time zone Europe/Atlantis']],
    ['negative limits', anAdvancedCronJob({ successfulJobsHistoryLimit: -1, failedJobsHistoryLimit: -2, startingDeadlineSeconds: -3 }), [
      'spec.startingDeadlineSeconds: must be greater than or equal to 0',
      'spec.successfulJobsHistoryLimit: must be greater than or equal to 0',
      'spec.failedJobsHistoryLimit: must be greater than or equal to 0',
    ]],
    ['a 64-character name', anAdvancedCronJob({ name: 'a'.repeat(64) }), [`metadata.name: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`]],
    ['a dot in the name', anAdvancedCronJob({ name: 'a.b' }), [`metadata.name: Invalid value: "a.b": AdvancedCronJob name must consist of alphanumeric characters or '-' (e.g. 'example-com', regex used for validation is '^[a-zA-Z0-9\\-]+$')`]],
    ['no container', anAdvancedCronJob({ containers: [] }), ['spec.template.jobTemplate.spec.template.spec.containers: Required value: a pod needs at least one container']],
  ])('%s is refused', (_, acj, expected) => {
    expect(paths(acj)).toEqual(expected);
  });

  it('no template, two templates: each refused at spec.template', () => {
    const base = anAdvancedCronJob();
    const none = { ...base, spec: { ...base.spec, template: {} } };
    const both = { ...base, spec: { ...base.spec, template: { ...base.spec.template, ...anAdvancedCronJob({ templateKind: 'BroadcastJob' }).spec.template } } };
    const jobAndImages = { ...base, spec: { ...base.spec, template: { ...base.spec.template, ...anAdvancedCronJob({ templateKind: 'ImageListPullJob' }).spec.template } } };
    expect(paths(none)).toEqual(['spec.template: Forbidden: spec must have one template, either JobTemplate or BroadcastJobTemplate should be provided']);
    expect(paths(both)).toEqual(['spec.template: Forbidden: spec can have only one template, either JobTemplate or BroadcastJobTemplate should be provided']);
    expect(paths(jobAndImages)).toEqual(['spec.template: Forbidden: spec can have only one template, either JobTemplate or BroadcastJobTemplate should be provided']);
  });

  it('an imageListPullJobTemplate alone is valid', () => {
    expect(paths(anAdvancedCronJob({ templateKind: 'ImageListPullJob' }))).toEqual([]);
    expect(paths(anAdvancedCronJob({ templateKind: 'ImageListPullJob', imageListPullJobSpec: { completionPolicy: { type: 'Always', activeDeadlineSeconds: 1200 } } }))).toEqual([]);
  });

  it.each([
    ['no image', { images: [] }, ['spec.template.imageListPullJobTemplate.spec.images: Required value: image can not be empty']],
    ['a duplicate image', { images: ['nginx', 'nginx'] }, ['spec.template.imageListPullJobTemplate.spec.images[1]: Duplicate value: "nginx": images cannot have duplicate values']],
    [
      'both selector and podSelector',
      { selector: { names: ['n1'] }, podSelector: { matchLabels: { app: 'web' } } },
      ['spec.template.imageListPullJobTemplate.spec.podSelector: Invalid value: can not set both selector and podSelector'],
    ],
    ['completionPolicy Never', { completionPolicy: { type: 'Never' as const } }, ['spec.template.imageListPullJobTemplate.spec.completionPolicy.type: Unsupported value: "Never": supported values: "Always"']],
  ])('an imageListPullJobTemplate with %s is refused under the template', (_, spec, expected) => {
    expect(paths(anAdvancedCronJob({ templateKind: 'ImageListPullJob', imageListPullJobSpec: spec }))).toEqual(expected);
  });

  it('a restartPolicy outside Always, OnFailure, Never is refused at its path', () => {
    const acj = anAdvancedCronJob();
    const jobTemplate = acj.spec.template.jobTemplate!;
    const bad = { ...acj, spec: { ...acj.spec, template: { jobTemplate: { ...jobTemplate, spec: { ...jobTemplate.spec, template: { spec: { ...jobTemplate.spec.template.spec, restartPolicy: 'Sometimes' } } } } } } };
    expect(paths(bad)).toEqual(['spec.template.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']);
  });
});

describe('validateAdvancedCronJobUpdate', () => {
  it('schedule, concurrencyPolicy, limits, deadline, timeZone and paused may change', () => {
    const old = anAdvancedCronJob();
    const next = anAdvancedCronJob({ schedule: '@hourly', concurrencyPolicy: 'Replace', successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 2, startingDeadlineSeconds: 30, timeZone: 'UTC', paused: true });
    expect(validateAdvancedCronJobUpdate(old, next)).toEqual([]);
  });

  it('a changed template is refused at spec', () => {
    const problems = validateAdvancedCronJobUpdate(anAdvancedCronJob(), anAdvancedCronJob({ containers: [{ name: 'main', image: 'busybox:2' }] }));
    expect(problems.map((p) => p.path)).toEqual(['spec']);
    expect(problems[0]?.message).toMatch(/^Forbidden: updates to advancedcronjob spec for fields other than 'schedule'/);
  });
});
