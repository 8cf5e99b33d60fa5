import { parseAdvancedCronJob, templateKindOf, type AdvancedCronJob, type BroadcastJob, type CronJobChild, type ImageListPullJob, type Job, type TemplateKind } from '@kruise-ts/core';
import { OWNER_INDEX, type KubeObject, type ObjectStore } from '@kruise-ts/k8s-adapter';
import { parseObjectKey } from '../runtime/watches.js';
import type { WorkloadObservation } from '../workload/reconcileWorkload.js';

/** The caches an AdvancedCronJob reconcile reads (informer stores; never the network). */
export interface AdvancedCronJobCaches {
  readonly cronJobs: ObjectStore<AdvancedCronJob & KubeObject>;
  readonly jobs: ObjectStore<Job & KubeObject>;
  /** BroadcastJobs (the children of a `broadcastJobTemplate`). */
  readonly broadcastJobs: ObjectStore<BroadcastJob & KubeObject>;
  /** ImageListPullJobs (the children of an `imageListPullJobTemplate`). */
  readonly imageListPullJobs: ObjectStore<ImageListPullJob & KubeObject>;
}

function storeOf(caches: AdvancedCronJobCaches, kind: TemplateKind): ObjectStore<KubeObject> {
  if (kind === 'Job') return caches.jobs;
  return kind === 'BroadcastJob' ? caches.broadcastJobs : caches.imageListPullJobs;
}

/** What an AdvancedCronJob pass reads. */
export interface ObservedAdvancedCronJob {
  readonly acj: AdvancedCronJob;
  /** The Jobs (BroadcastJobs, ImageListPullJobs) it controls. */
  readonly children: readonly CronJobChild[];
}

/**
 * Returns what the caches hold for the AdvancedCronJob `namespacedName`: the cron job (a v1alpha1
 * object read through conversion) and the children of its template's kind it controls (by the
 * owner index: the uid of their controller reference): Jobs for a `jobTemplate`, BroadcastJobs for
 * a `broadcastJobTemplate`, ImageListPullJobs for an `imageListPullJobTemplate` (OpenKruise's
 * `reconcileJob` / `reconcileBroadcastJob` / `reconcileImageListPullJob` list one kind).
 */
export function observeAdvancedCronJob(caches: AdvancedCronJobCaches, namespacedName: string): WorkloadObservation<ObservedAdvancedCronJob> {
  const object = caches.cronJobs.get(parseObjectKey(namespacedName));
  if (object === undefined) return { kind: 'gone' };
  if (object.metadata.deletionTimestamp !== undefined) return { kind: 'deleting' };
  const parsed = parseAdvancedCronJob(object);
  if (parsed.kind === 'invalid') return { kind: 'invalid', object, problems: parsed.problems };
  const acj = parsed.value;
  const store = storeOf(caches, templateKindOf(acj));
  const uid = object.metadata.uid ?? '';
  const children = store.byIndex(OWNER_INDEX, uid) as readonly CronJobChild[];
  return { kind: 'observed', object, observed: { acj, children }, podUids: [] };
}
