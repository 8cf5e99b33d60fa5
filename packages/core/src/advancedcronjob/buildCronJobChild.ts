import { ADVANCEDCRONJOB_API_VERSION, ADVANCEDCRONJOB_KIND, SCHEDULED_AT_ANNOTATION, type AdvancedCronJob, type TemplateKind } from '../api/advancedCronJob.js';
import { BROADCASTJOB_API_VERSION, BROADCASTJOB_KIND } from '../api/broadcastJobSpec.js';
import { IMAGELISTPULLJOB_API_VERSION, IMAGELISTPULLJOB_KIND } from '../api/imageListPullJob.js';
import { JOB_API_VERSION, JOB_KIND } from '../api/job.js';
import type { ObjectMeta, OwnerReference } from '../api/objectMeta.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import type { OwnedObject } from '../workload/workloadEffect.js';

/**
 * Returns the kind of the jobs an AdvancedCronJob creates, as OpenKruise's `FindTemplateKind`:
 * `Job` with a `jobTemplate`, else `ImageListPullJob` with an `imageListPullJobTemplate`, else
 * `BroadcastJob`.
 *
 * @example templateKindOf(anAdvancedCronJob()) // 'Job'
 * @example templateKindOf(anAdvancedCronJob({ templateKind: 'ImageListPullJob' })) // 'ImageListPullJob'
 */
export function templateKindOf(acj: AdvancedCronJob): TemplateKind {
  const { jobTemplate, imageListPullJobTemplate } = acj.spec.template;
  if (jobTemplate !== undefined) return 'Job';
  return imageListPullJobTemplate === undefined ? 'BroadcastJob' : 'ImageListPullJob';
}

const CHILD_TYPES: Readonly<Record<TemplateKind, { readonly apiVersion: string; readonly kind: string }>> = {
  Job: { apiVersion: JOB_API_VERSION, kind: JOB_KIND },
  BroadcastJob: { apiVersion: BROADCASTJOB_API_VERSION, kind: BROADCASTJOB_KIND },
  ImageListPullJob: { apiVersion: IMAGELISTPULLJOB_API_VERSION, kind: IMAGELISTPULLJOB_KIND },
};

/**
 * The apiVersion and kind of the children of a template kind.
 *
 * @example childTypeOf('ImageListPullJob') // { apiVersion: 'apps.kruise.io/v1beta1', kind: 'ImageListPullJob' }
 */
export function childTypeOf(kind: TemplateKind): { readonly apiVersion: string; readonly kind: string } {
  return CHILD_TYPES[kind];
}

function templateOf(acj: AdvancedCronJob, kind: TemplateKind): { readonly metadata?: ObjectMeta | undefined; readonly spec: unknown } | undefined {
  const { jobTemplate, broadcastJobTemplate, imageListPullJobTemplate } = acj.spec.template;
  if (kind === 'Job') return jobTemplate;
  return kind === 'ImageListPullJob' ? imageListPullJobTemplate : broadcastJobTemplate;
}

/**
 * Returns the name of the job an AdvancedCronJob creates for a scheduled time: `<name>-<unix
 * seconds>` (OpenKruise's; deterministic, so one time never gets two jobs).
 *
 * @example cronJobChildName('report', Date.parse('2026-03-08T07:00:00Z')) // 'report-1772953200'
 */
export function cronJobChildName(name: string, scheduledMs: EpochMs): string {
  return `${name}-${Math.floor(scheduledMs / 1000)}`;
}

/**
 * Returns the Job (BroadcastJob, ImageListPullJob) an AdvancedCronJob creates for `scheduledMs`, as
 * OpenKruise's `constructJobForCronJob` (and its BroadcastJob and ImageListPullJob twins): named `<name>-<unix seconds>` in the cron job's namespace, the
 * template's labels and annotations plus `apps.kruise.io/scheduled-at: <RFC 3339 time>`, the
 * template's spec, and a controller reference to the cron job. Nothing else of the template's
 * metadata is copied.
 *
 * @example buildCronJobChild(anAdvancedCronJob({ name: 'report' }), Date.parse('2025-01-01T00:05:00Z'))
 *   → { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'report-1735689900', annotations: { 'apps.kruise.io/scheduled-at': '2025-01-01T00:05:00Z' }, ... }, spec }
 */
export function buildCronJobChild(acj: AdvancedCronJob, scheduledMs: EpochMs): OwnedObject {
  const kind = templateKindOf(acj);
  const template = templateOf(acj, kind);
  const name = acj.metadata?.name ?? '';
  const owner: OwnerReference = { apiVersion: ADVANCEDCRONJOB_API_VERSION, kind: ADVANCEDCRONJOB_KIND, name, uid: acj.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
  return {
    ...childTypeOf(kind),
    metadata: {
      name: cronJobChildName(name, scheduledMs),
      ...(acj.metadata?.namespace !== undefined && { namespace: acj.metadata.namespace }),
      labels: { ...template?.metadata?.labels },
      annotations: { ...template?.metadata?.annotations, [SCHEDULED_AT_ANNOTATION]: formatTime(scheduledMs) },
      ownerReferences: [owner],
    },
    spec: template?.spec,
  };
}
