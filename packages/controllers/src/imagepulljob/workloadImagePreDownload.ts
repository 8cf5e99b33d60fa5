import {
  daemonSetRevisions,
  IMAGE_PREDOWNLOAD_CREATED_ANNOTATION,
  IMAGE_PREDOWNLOAD_IGNORED_ANNOTATION,
  planCloneSetImagePreDownload,
  planDaemonSetImagePreDownload,
  type CloneSet,
  type ControllerRevision,
  type DaemonSet,
  type ImagePreDownloadPlan,
  type ImagePullJob,
} from '@kruise-ts/core';
import { AlreadyExistsError, KruiseResources, Resources, type EventSink, type EventSubject, type Informer, type KubeClient, type KubeObject, type ObjectStore, type SharedInformerFactory } from '@kruise-ts/k8s-adapter';
import type { Logger } from '../runtime/logger.js';
import { parseObjectKey } from '../runtime/watches.js';
import { deleteIfPresent } from './deleteIfPresent.js';

/** A workload's image pre-download step, run before its pass, and the informer it holds. */
export interface WorkloadImagePreDownload {
  /** Plans and applies the pre-download for the workload at `key`; failures are logged, never thrown (as OpenKruise logs them and goes on). */
  step(key: string, signal: AbortSignal, log: Logger): Promise<void>;
  readonly informer: Informer<ImagePullJob & KubeObject>;
}

interface Deps {
  readonly client: KubeClient;
  readonly events: EventSink;
  readonly informers: SharedInformerFactory;
  readonly namespace?: string | undefined;
}

const ownedBy = (uid: string) => (object: KubeObject) => (object.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid && ref.controller === true);

async function applyPlan(deps: Deps, jobs: ObjectStore<ImagePullJob & KubeObject>, subject: EventSubject, namespace: string, plan: ImagePreDownloadPlan, signal: AbortSignal): Promise<void> {
  const { client, events } = deps;
  const label = (revision: string, key: string) =>
    client.patch(Resources.ControllerRevision, { namespace, name: revision }, { type: 'strategic', body: { metadata: { labels: { [key]: 'true' } } } }, { signal });
  switch (plan.kind) {
    case 'none':
      return;
    case 'delete-jobs':
      for (const job of jobs.list(namespace).filter(ownedBy(subject.uid ?? ''))) await deleteIfPresent(client, KruiseResources.ImagePullJob, { namespace, name: job.metadata.name ?? '' }, job.metadata.uid ?? '', signal);
      return;
    case 'ignore':
      await label(plan.revision, IMAGE_PREDOWNLOAD_IGNORED_ANNOTATION);
      return;
    case 'create':
      for (const job of plan.jobs) {
        const name = job.metadata?.name ?? '';
        try {
          await client.create(KruiseResources.ImagePullJob, job as ImagePullJob & KubeObject, { signal });
          events.emit({ subject, type: 'Normal', reason: 'CreatedImagePullJob', message: `created ImagePullJob ${name} for image: ${job.spec.image}` });
        } catch (error) {
          if (error instanceof AlreadyExistsError) continue;
          events.emit({ subject, type: 'Normal', reason: 'FailedCreateImagePullJob', message: `failed to create ImagePullJob ${name}: ${error instanceof Error ? error.message : String(error)}` });
        }
      }
      await label(plan.revision, IMAGE_PREDOWNLOAD_CREATED_ANNOTATION);
  }
}

function preDownload<W extends KubeObject>(deps: Deps, kind: string, store: ObjectStore<W>, plan: (workload: W, revisions: readonly ControllerRevision[]) => ImagePreDownloadPlan | undefined): WorkloadImagePreDownload {
  const scoped = deps.namespace === undefined ? {} : { namespace: deps.namespace };
  const informer = deps.informers.informerFor(KruiseResources.ImagePullJob, scoped);
  const revisions = deps.informers.informerFor(Resources.ControllerRevision, scoped);
  return {
    informer,
    async step(key, signal, log) {
      const workload = store.get(parseObjectKey(key));
      if (workload === undefined || workload.metadata.deletionTimestamp !== undefined) return;
      const { name = '', namespace = '', uid = '' } = workload.metadata;
      const owned = revisions.store.list(namespace).filter(ownedBy(uid)) as unknown as ControllerRevision[];
      const decided = plan(workload, owned);
      if (decided === undefined) return;
      const subject: EventSubject = { apiVersion: 'apps.kruise.io/v1beta1', kind, name, namespace, uid };
      try {
        await applyPlan(deps, informer.store, subject, namespace, decided, signal);
      } catch (error) {
        log.warn({ err: error, plan: decided.kind }, `failed to pre-download images for ${kind}`);
      }
    },
  };
}

/**
 * Returns the CloneSet image pre-download step (PreDownloadImageForInPlaceUpdate): from the cached
 * CloneSet and its revisions named by `status.currentRevision` and `status.updateRevision`, core's
 * `planCloneSetImagePreDownload` applied: its ImagePullJobs deleted when the revisions agree, or
 * created (`CreatedImagePullJob` events) and the update revision labelled created (or ignored).
 * OpenKruise decides on the revisions the same pass computes; this reads the ones the status names,
 * so it acts one pass after a template change.
 */
export function createCloneSetImagePreDownload(deps: Deps, cloneSets: ObjectStore<CloneSet & KubeObject>): WorkloadImagePreDownload {
  return preDownload(deps, 'CloneSet', cloneSets, (cloneSet, revisions) => {
    const byName = (name: string | undefined) => revisions.find((r) => r.metadata.name === name);
    const current = byName(cloneSet.status?.currentRevision);
    const update = byName(cloneSet.status?.updateRevision);
    return current === undefined || update === undefined ? undefined : planCloneSetImagePreDownload(cloneSet, current, update);
  });
}

/**
 * Returns the Advanced DaemonSet image pre-download step (PreDownloadImageForDaemonSetUpdate): the
 * update revision of the set's template (core's `daemonSetRevisions`, once it exists) against the
 * old ones, through core's `planDaemonSetImagePreDownload`, applied as for CloneSet.
 */
export function createDaemonSetImagePreDownload(deps: Deps, daemonSets: ObjectStore<DaemonSet & KubeObject>): WorkloadImagePreDownload {
  return preDownload(deps, 'DaemonSet', daemonSets, (daemonSet, revisions) => {
    const history = daemonSetRevisions(daemonSet, revisions);
    if (history.effects.length > 0 || !revisions.some((r) => r.metadata.name === history.update.metadata.name)) return undefined;
    return planDaemonSetImagePreDownload(daemonSet, history.old, history.update, history.hash);
  });
}
