import { ADVANCEDCRONJOB_API_VERSION, ADVANCEDCRONJOB_KIND, SCHEDULED_AT_ANNOTATION, type AdvancedCronJob, type AdvancedCronJobStatus, type ConcurrencyPolicy } from '../api/advancedCronJob.js';
import type { BroadcastJobSpec } from '../api/broadcastJobSpec.js';
import type { ImageListPullJobSpec } from '../api/imageListPullJob.js';
import { JOB_API_VERSION, JOB_KIND, type Job, type JobStatus } from '../api/job.js';
import type { Container } from '../api/pod.js';
import type { ObjectMeta, OwnerReference } from '../api/objectMeta.js';

/** Options of {@link anAdvancedCronJob}; unset fields stay unset in the spec (OpenKruise defaults apply). */
export interface AdvancedCronJobOptions {
  /** `metadata.name` (default `report`). */
  readonly name?: string | undefined;
  /** `metadata.namespace` (default `default`). */
  readonly namespace?: string | undefined;
  /** `metadata.creationTimestamp` (RFC 3339). */
  readonly creationTimestamp?: string | undefined;
  /** `spec.schedule` (default `*\/5 * * * *`). */
  readonly schedule?: string | undefined;
  readonly timeZone?: string | undefined;
  readonly startingDeadlineSeconds?: number | undefined;
  readonly concurrencyPolicy?: ConcurrencyPolicy | undefined;
  readonly paused?: boolean | undefined;
  readonly successfulJobsHistoryLimit?: number | undefined;
  readonly failedJobsHistoryLimit?: number | undefined;
  /** `jobTemplate` (default), `broadcastJobTemplate` or `imageListPullJobTemplate`. */
  readonly templateKind?: 'Job' | 'BroadcastJob' | 'ImageListPullJob' | undefined;
  /** Labels of the job template's metadata. */
  readonly jobLabels?: Readonly<Record<string, string>> | undefined;
  /** Annotations of the job template's metadata. */
  readonly jobAnnotations?: Readonly<Record<string, string>> | undefined;
  /** Containers of the pod template (default one `main` container running `busybox:1`). */
  readonly containers?: readonly Container[] | undefined;
  /** Extra BroadcastJob spec fields (with `templateKind: 'BroadcastJob'`). */
  readonly broadcastJobSpec?: Partial<BroadcastJobSpec> | undefined;
  /** Extra ImageListPullJob spec fields (with `templateKind: 'ImageListPullJob'`; default images `nginx:1.25`, `redis:7`, completionPolicy `{ type: 'Always' }`). */
  readonly imageListPullJobSpec?: Partial<ImageListPullJobSpec> | undefined;
  readonly status?: AdvancedCronJobStatus | undefined;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/**
 * Returns an `apps.kruise.io/v1beta1` AdvancedCronJob with a job template (or a BroadcastJob
 * template) running `busybox:1` with `restartPolicy: Never` (or an ImageListPullJob template
 * pulling `nginx:1.25` and `redis:7`), and only the given knobs set, so it
 * passes `validateAdvancedCronJob` unless a knob makes it invalid.
 *
 * @example anAdvancedCronJob({ schedule: '* * * * *', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 2 })
 */
export function anAdvancedCronJob(options: AdvancedCronJobOptions = {}): AdvancedCronJob {
  const name = options.name ?? 'report';
  const metadata = defined({ labels: options.jobLabels, annotations: options.jobAnnotations });
  const podTemplate = { spec: { restartPolicy: 'Never', containers: (options.containers ?? [{ name: 'main', image: 'busybox:1' }]).map((c) => ({ ...c })) } };
  const withMetadata = Object.keys(metadata).length > 0 ? { metadata } : {};
  const template =
    options.templateKind === 'BroadcastJob'
      ? { broadcastJobTemplate: { ...withMetadata, spec: { template: podTemplate, ...options.broadcastJobSpec } } }
      : options.templateKind === 'ImageListPullJob'
        ? { imageListPullJobTemplate: { ...withMetadata, spec: { images: ['nginx:1.25', 'redis:7'], completionPolicy: { type: 'Always' as const }, ...options.imageListPullJobSpec } } }
        : { jobTemplate: { ...withMetadata, spec: { template: podTemplate } } };
  return {
    apiVersion: ADVANCEDCRONJOB_API_VERSION,
    kind: ADVANCEDCRONJOB_KIND,
    metadata: { name, namespace: options.namespace ?? 'default', uid: `uid-${name}`, ...defined({ creationTimestamp: options.creationTimestamp }) },
    spec: {
      schedule: options.schedule ?? '*/5 * * * *',
      template,
      ...defined({
        timeZone: options.timeZone,
        startingDeadlineSeconds: options.startingDeadlineSeconds,
        concurrencyPolicy: options.concurrencyPolicy,
        paused: options.paused,
        successfulJobsHistoryLimit: options.successfulJobsHistoryLimit,
        failedJobsHistoryLimit: options.failedJobsHistoryLimit,
      }),
    },
    ...defined({ status: options.status }),
  };
}

/** Options of {@link aCronJobChild}. */
export interface CronJobChildOptions {
  /** The owning AdvancedCronJob (its name and uid make the controller reference). */
  readonly owner?: AdvancedCronJob;
  /** The scheduled time (RFC 3339) in the `apps.kruise.io/scheduled-at` annotation; the name is `<owner>-<unix seconds>`. */
  readonly scheduledAt: string;
  /** `Complete`, `Failed` or (default) still running. */
  readonly state?: 'running' | 'Complete' | 'Failed';
  /** `status.startTime` (RFC 3339; default the scheduled time). */
  readonly startTime?: string | null;
  /** Extra status fields. */
  readonly status?: JobStatus;
}

/**
 * Returns a `batch/v1` Job as an AdvancedCronJob's controller creates it for `scheduledAt`: named
 * `<owner>-<unix seconds>`, annotated `apps.kruise.io/scheduled-at`, controlled by the owner, in
 * the given state (a `Complete` or `Failed` condition True).
 *
 * @example aCronJobChild({ scheduledAt: '2025-01-01T00:05:00Z', state: 'Complete' }) → name `report-1735689900`
 */
export function aCronJobChild(options: CronJobChildOptions): Job & { readonly metadata: ObjectMeta } {
  const owner = options.owner ?? anAdvancedCronJob();
  const ownerName = owner.metadata?.name ?? 'report';
  const seconds = Date.parse(options.scheduledAt) / 1000;
  const ownerReference: OwnerReference = { apiVersion: ADVANCEDCRONJOB_API_VERSION, kind: ADVANCEDCRONJOB_KIND, name: ownerName, uid: owner.metadata?.uid ?? `uid-${ownerName}`, controller: true, blockOwnerDeletion: true };
  const state = options.state ?? 'running';
  const startTime = options.startTime === undefined ? options.scheduledAt : options.startTime;
  return {
    apiVersion: JOB_API_VERSION,
    kind: JOB_KIND,
    metadata: {
      name: `${ownerName}-${seconds}`,
      namespace: owner.metadata?.namespace ?? 'default',
      uid: `uid-${ownerName}-${seconds}`,
      annotations: { [SCHEDULED_AT_ANNOTATION]: options.scheduledAt },
      ownerReferences: [ownerReference],
    },
    spec: owner.spec.template.jobTemplate?.spec ?? { template: { spec: { containers: [{ name: 'main', image: 'busybox:1' }] } } },
    status: {
      ...(startTime !== null && { startTime }),
      ...(state !== 'running' && { conditions: [{ type: state, status: 'True' as const }] }),
      ...options.status,
    },
  };
}
