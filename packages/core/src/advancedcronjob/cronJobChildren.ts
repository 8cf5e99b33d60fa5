import { SCHEDULED_AT_ANNOTATION, type ObjectReference, type TemplateKind } from '../api/advancedCronJob.js';
import type { ObjectMeta } from '../api/objectMeta.js';
import { parseTime, type EpochMs } from '../shared/podState.js';

/**
 * A Job, BroadcastJob or ImageListPullJob an AdvancedCronJob created, as far as the controller
 * reads it: its metadata (name, uid, the `apps.kruise.io/scheduled-at` annotation), and its status
 * conditions, start time and (ImageListPullJob) completion time and counts. Jobs and BroadcastJobs
 * say they finished with a `Complete` or `Failed` condition True; an ImageListPullJob with a
 * completion time.
 */
export interface CronJobChild {
  readonly apiVersion?: string | undefined;
  readonly kind?: string | undefined;
  readonly metadata: ObjectMeta;
  readonly status?:
    | {
        readonly conditions?: readonly { readonly type: string; readonly status: string }[] | undefined;
        readonly startTime?: string | null | undefined;
        readonly completionTime?: string | null | undefined;
        readonly desired?: number | undefined;
        readonly succeeded?: number | undefined;
        readonly [field: string]: unknown;
      }
    | undefined;
}

/** Whether a child still runs, or how it finished. */
export type CronJobChildState = 'active' | 'succeeded' | 'failed';

/**
 * Returns whether a child is still running or how it finished. A Job or BroadcastJob: the first
 * condition that is `Complete` or `Failed` with status True decides (OpenKruise's `isJobFinished`);
 * none: active. An ImageListPullJob (`kind` ImageListPullJob; OpenKruise's
 * `isImageListPullJobFinished`): active until it has a `completionTime`, then succeeded when every
 * ImagePullJob succeeded (`succeeded` = `desired`, unset counting 0), else failed.
 *
 * @example cronJobChildState({ metadata: {}, status: { conditions: [{ type: 'Failed', status: 'True' }] } }) // 'failed'
 * @example cronJobChildState({ metadata: {}, status: { completionTime: '2026-01-01T00:03:00Z', desired: 3, succeeded: 2 } }, 'ImageListPullJob') // 'failed'
 */
export function cronJobChildState(child: CronJobChild, kind: TemplateKind = 'Job'): CronJobChildState {
  if (kind === 'ImageListPullJob') {
    const status = child.status;
    if (status?.completionTime === undefined || status.completionTime === null) return 'active';
    return (status.succeeded ?? 0) === (status.desired ?? 0) ? 'succeeded' : 'failed';
  }
  const finished = (child.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (finished === undefined) return 'active';
  return finished.type === 'Complete' ? 'succeeded' : 'failed';
}

/**
 * Returns the scheduled time a child was created for (its `apps.kruise.io/scheduled-at`
 * annotation), undefined when it has none or it does not parse (OpenKruise skips such a child).
 *
 * @example scheduledTimeOf({ metadata: { annotations: { 'apps.kruise.io/scheduled-at': '2025-01-01T00:05:00Z' } } }) // 1735689900000
 */
export function scheduledTimeOf(child: CronJobChild): EpochMs | undefined {
  const text = child.metadata.annotations?.[SCHEDULED_AT_ANNOTATION];
  return text === undefined || text === '' ? undefined : parseTime(text);
}

/**
 * Returns the reference `status.active` holds for a running child (Kubernetes' `GetReference`:
 * kind, namespace, name, uid, apiVersion, resourceVersion).
 *
 * @example childReference({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'r-1', namespace: 'ns', uid: 'u', resourceVersion: '7' } })
 *   → { kind: 'Job', namespace: 'ns', name: 'r-1', uid: 'u', apiVersion: 'batch/v1', resourceVersion: '7' }
 */
export function childReference(child: CronJobChild, fallback: { readonly apiVersion: string; readonly kind: string }): ObjectReference {
  const { name, namespace, uid, resourceVersion } = child.metadata;
  const reference = { kind: child.kind ?? fallback.kind, namespace, name, uid, apiVersion: child.apiVersion ?? fallback.apiVersion, resourceVersion };
  return Object.fromEntries(Object.entries(reference).filter(([, v]) => v !== undefined));
}

/**
 * Returns the finished children to delete so that at most `limit` stay (none when `limit` is
 * undefined, as OpenKruise's controller reads an unset limit): the oldest first by
 * `status.startTime`, children without one counting as oldest; equal times in name order.
 *
 * @example four succeeded children started 1, 2, 3, 4 minutes in, limit 3 → [the one started at 1]
 */
export function childrenBeyondHistoryLimit<C extends CronJobChild>(finished: readonly C[], limit: number | undefined): C[] {
  if (limit === undefined || finished.length <= limit) return [];
  const start = (c: C): number => parseTime(c.status?.startTime ?? undefined) ?? Number.NEGATIVE_INFINITY;
  const sorted = [...finished].sort((a, b) => start(a) - start(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return sorted.slice(0, finished.length - Math.max(0, limit));
}
