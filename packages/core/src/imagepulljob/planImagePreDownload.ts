import type { CloneSet } from '../api/cloneSet.js';
import type { DaemonSet } from '../api/daemonSet.js';
import { IMAGEPULLJOB_API_VERSION, IMAGEPULLJOB_KIND, type ImagePullJob } from '../api/imagePullJob.js';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  IMAGE_PREDOWNLOAD_CREATED_ANNOTATION,
  IMAGE_PREDOWNLOAD_IGNORED_ANNOTATION,
  IMAGE_PREDOWNLOAD_MIN_UPDATED_READY_PODS_ANNOTATION,
  IMAGE_PREDOWNLOAD_PARALLELISM_ANNOTATION,
  IMAGE_PREDOWNLOAD_TIMEOUT_SECONDS_ANNOTATION,
} from '../api/labels.js';
import type { PodTemplateSpec } from '../api/pod.js';
import { KUBERNETES_REVISION_HASH_LABEL } from '../api/sidecarSetRevision.js';
import { classifyInPlaceUpdate } from '../inplace/classifyInPlaceUpdate.js';
import { calculatePartitionReplicas, scaledValueFromIntOrPercent, type IntOrPercent } from '../shared/intOrPercent.js';
import { templateFromRevision, type ControllerRevision } from '../shared/revision.js';
import type { LabelSelector } from '../shared/selector.js';

/** Fewest replicas a CloneSet needs for its images to be pre-downloaded (OpenKruise: more than 3). */
export const MIN_REPLICAS_TO_PREDOWNLOAD = 3;
/** Default pull timeout of a pre-download job, seconds (OpenKruise's `CreateJobForWorkload`: 300). */
export const DEFAULT_PREDOWNLOAD_TIMEOUT_SECONDS = 300;

/** Why a revision's images are not pre-downloaded (recorded on it with `apps.kruise.io/image-predownload-ignored`). */
export type PreDownloadIgnoreReason = 'recreate-strategy' | 'few-replicas' | 'one-batch' | 'not-in-place';

/** What a workload pass does about pre-downloading the images of its update revision. */
export type ImagePreDownloadPlan =
  | { readonly kind: 'none'; readonly reason: 'already-created' | 'already-ignored' | 'waiting-for-updated-ready-pods' }
  /** Current and update revisions are the same: delete the ImagePullJobs the workload controls. */
  | { readonly kind: 'delete-jobs'; readonly reason: 'revisions-consistent' }
  /** Label the update revision `apps.kruise.io/image-predownload-ignored: "true"`. */
  | { readonly kind: 'ignore'; readonly reason: PreDownloadIgnoreReason; readonly revision: string }
  /** Create these jobs (an existing one of the same name is fine), then label the revision `...-created`. */
  | { readonly kind: 'create'; readonly revision: string; readonly jobs: readonly ImagePullJob[] };

/** The workload whose pods' images are pre-downloaded. */
interface PreDownloadOwner {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly selector: LabelSelector;
  readonly template: PodTemplateSpec;
  /** Settings from fields (v1beta1 CloneSet), else from the annotations. */
  readonly parallelism?: IntOrPercent | undefined;
  readonly timeoutSeconds?: number | undefined;
}

/**
 * Returns the images of containers of `update` that are new or changed against every one of
 * `olds` (OpenKruise's `diffImagesBetweenRevisions`): container name → new image.
 *
 * @example olds [{ app: 'nginx:1', log: 'fluent:1' }], update { app: 'nginx:2', log: 'fluent:1', side: 'x:1' } → { app: 'nginx:2', side: 'x:1' }
 */
export function diffRevisionImages(olds: readonly ControllerRevision[], update: ControllerRevision): Readonly<Record<string, string>> {
  const oldTemplates = olds.map((r) => templateFromRevision(r));
  const updated = templateFromRevision(update);
  if (updated === undefined || oldTemplates.some((t) => t === undefined)) return {};
  const images: Record<string, string> = {};
  for (const container of updated.spec.containers) {
    const image = container.image ?? '';
    const same = oldTemplates.map((t) => t?.spec.containers.find((c) => c.name === container.name));
    if (same.every((c) => c === undefined) || same.some((c) => c !== undefined && c.image !== image)) images[container.name] = image;
  }
  return images;
}

// OpenKruise's `CreateJobForWorkload`: one job per changed container, named <revision>-<container>,
// on the nodes of the workload's pods not yet at the update revision.
function preDownloadJobs(owner: PreDownloadOwner, update: ControllerRevision, images: Readonly<Record<string, string>>): ImagePullJob[] {
  const revision = update.metadata.name ?? '';
  const hash = update.metadata.labels?.[KUBERNETES_REVISION_HASH_LABEL];
  const labels = { ...owner.template.metadata?.labels, ...(hash === undefined ? {} : { [KUBERNETES_REVISION_HASH_LABEL]: hash }) };
  const annotations = { ...owner.template.metadata?.annotations };
  const podSelector: LabelSelector = {
    ...owner.selector,
    matchExpressions: [...(owner.selector.matchExpressions ?? []), { key: CONTROLLER_REVISION_HASH_LABEL, operator: 'NotIn', values: [revision, ...(hash === undefined ? [] : [hash])] }],
  };
  const parallelismText = owner.annotations[IMAGE_PREDOWNLOAD_PARALLELISM_ANNOTATION];
  const parallelism = owner.parallelism ?? (parallelismText !== undefined && /^[+-]?\d+$/.test(parallelismText) ? Number(parallelismText) : 1);
  const timeoutText = owner.annotations[IMAGE_PREDOWNLOAD_TIMEOUT_SECONDS_ANNOTATION];
  const timeoutSeconds = owner.timeoutSeconds ?? (timeoutText !== undefined && /^[+-]?\d+$/.test(timeoutText) ? Number(timeoutText) : DEFAULT_PREDOWNLOAD_TIMEOUT_SECONDS);
  const pullSecrets = (owner.template.spec.imagePullSecrets ?? []).map((s) => s.name ?? '');
  return Object.entries(images).map(([container, image]) => ({
    apiVersion: IMAGEPULLJOB_API_VERSION,
    kind: IMAGEPULLJOB_KIND,
    metadata: {
      name: `${revision}-${container}`,
      namespace: owner.namespace,
      labels,
      ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      image,
      ...(pullSecrets.length === 0 ? {} : { pullSecrets }),
      podSelector,
      parallelism,
      pullPolicy: { backoffLimit: 1, timeoutSeconds },
      completionPolicy: { type: 'Always', ttlSecondsAfterFinished: 600 },
      sandboxConfig: { annotations, labels },
    },
  }));
}

function handled(update: ControllerRevision): ImagePreDownloadPlan | undefined {
  const labels = update.metadata.labels ?? {};
  if (labels[IMAGE_PREDOWNLOAD_CREATED_ANNOTATION] !== undefined) return { kind: 'none', reason: 'already-created' };
  if (labels[IMAGE_PREDOWNLOAD_IGNORED_ANNOTATION] !== undefined) return { kind: 'none', reason: 'already-ignored' };
  return undefined;
}

/**
 * Returns what a CloneSet pass does about pre-downloading its update revision's images
 * (PreDownloadImageForInPlaceUpdate, OpenKruise's `createImagePullJobsForInPlaceUpdate`): with one
 * revision, delete its ImagePullJobs; wait for `imagePreDownloadMinUpdatedReadyPods` (field or
 * annotation, int or percentage of replicas rounded up) updated-ready pods of the update revision;
 * a revision already labelled created or ignored is left; ignored when the policy is ReCreate,
 * replicas ≤ 3, everything updates in one batch (partition 0 and maxUnavailable, default 20%, ≥
 * replicas) or the change cannot be done in place; otherwise one ImagePullJob per changed
 * container (`<revision>-<container>`, pod selector = the CloneSet's minus pods at the update
 * revision, parallelism 1 or the setting, backoffLimit 1, timeout 300 s or the setting,
 * Always with TTL 600 s, controlled by the CloneSet).
 *
 * @example replicas 10, maxUnavailable 1, InPlaceIfPossible, image nginx:1 → nginx:2 → create [`web-<hash>-app` pulling nginx:2]
 */
export function planCloneSetImagePreDownload(cloneSet: CloneSet, current: ControllerRevision, update: ControllerRevision): ImagePreDownloadPlan {
  const revision = update.metadata.name ?? '';
  if ((current.metadata.name ?? '') === revision) return { kind: 'delete-jobs', reason: 'revisions-consistent' };
  const replicas = cloneSet.spec.replicas ?? 1;
  const annotations = cloneSet.metadata?.annotations ?? {};
  const rolling = cloneSet.spec.updateStrategy?.rollingUpdate;
  const settings = rolling?.inPlaceUpdateStrategy;
  const minText = annotations[IMAGE_PREDOWNLOAD_MIN_UPDATED_READY_PODS_ANNOTATION];
  const minSetting: IntOrPercent | undefined = settings?.imagePreDownloadMinUpdatedReadyPods ?? (minText === undefined ? undefined : /^[+-]?\d+$/.test(minText) ? Number(minText) : minText);
  const min = minSetting === undefined ? 0 : scaledValueFromIntOrPercent(minSetting, replicas, true);
  const minCount = typeof min === 'number' ? min : min.kind === 'scaled' ? min.value : 0;
  const updatedReady = cloneSet.status?.updateRevision === revision ? (cloneSet.status.updatedReadyReplicas ?? 0) : 0;
  if (minCount > updatedReady) return { kind: 'none', reason: 'waiting-for-updated-ready-pods' };
  const done = handled(update);
  if (done !== undefined) return done;
  if (rolling?.podUpdatePolicy === 'ReCreate') return { kind: 'ignore', reason: 'recreate-strategy', revision };
  if (replicas <= MIN_REPLICAS_TO_PREDOWNLOAD) return { kind: 'ignore', reason: 'few-replicas', revision };
  const partition = calculatePartitionReplicas(rolling?.partition, replicas);
  const maxUnavailable = scaledValueFromIntOrPercent(rolling?.maxUnavailable ?? '20%', replicas, false);
  if (partition.kind === 'scaled' && partition.value === 0 && maxUnavailable.kind === 'scaled' && maxUnavailable.value >= replicas) return { kind: 'ignore', reason: 'one-batch', revision };
  if (classifyInPlaceUpdate(current, update, { ignoreVolumeClaimTemplatesHashDiff: rolling?.podUpdatePolicy === 'InPlaceOnly' }).kind !== 'in-place') return { kind: 'ignore', reason: 'not-in-place', revision };
  const owner: PreDownloadOwner = {
    apiVersion: cloneSet.apiVersion ?? 'apps.kruise.io/v1beta1',
    kind: 'CloneSet',
    name: cloneSet.metadata?.name ?? '',
    namespace: cloneSet.metadata?.namespace ?? '',
    uid: cloneSet.metadata?.uid ?? '',
    annotations,
    selector: cloneSet.spec.selector,
    template: cloneSet.spec.template,
    parallelism: settings?.imagePreDownloadParallelism,
    timeoutSeconds: settings?.imagePreDownloadTimeoutSeconds,
  };
  return { kind: 'create', revision, jobs: preDownloadJobs(owner, update, diffRevisionImages([current], update)) };
}

/**
 * Returns what an Advanced DaemonSet pass does about pre-downloading its update revision's images
 * (PreDownloadImageForDaemonSetUpdate, OpenKruise's DaemonSet `createImagePullJobsForInPlaceUpdate`):
 * when every desired pod is updated and `status.updateRevision` is the update revision's hash, delete its
 * ImagePullJobs; a revision labelled created or ignored is left; ignored when everything updates
 * in one batch (partition 0 and maxUnavailable, default 1, ≥ desiredNumberScheduled); otherwise one
 * job per container changed against the old revisions, as for CloneSet. (OpenKruise reads
 * `image-predownload-min-updated-ready-pods` here but does not act on it yet; neither does this.)
 *
 * @example 5 desired nodes, maxUnavailable 1, image changed → create [`<ds>-<hash>-<container>`]
 */
export function planDaemonSetImagePreDownload(daemonSet: DaemonSet, olds: readonly ControllerRevision[], update: ControllerRevision, updateHash: string): ImagePreDownloadPlan {
  const status = daemonSet.status;
  const desired = status?.desiredNumberScheduled ?? 0;
  if ((status?.updatedNumberScheduled ?? 0) === desired && status?.updateRevision === updateHash) return { kind: 'delete-jobs', reason: 'revisions-consistent' };
  const done = handled(update);
  if (done !== undefined) return done;
  const revision = update.metadata.name ?? '';
  const rolling = daemonSet.spec.updateStrategy?.rollingUpdate;
  const scaledPartition = scaledValueFromIntOrPercent(rolling?.partition ?? 0, desired, true);
  const partition = scaledPartition.kind === 'scaled' ? scaledPartition.value : Number.NaN;
  const maxUnavailable = scaledValueFromIntOrPercent(rolling?.maxUnavailable ?? 1, desired, false);
  if (partition === 0 && maxUnavailable.kind === 'scaled' && maxUnavailable.value >= desired) return { kind: 'ignore', reason: 'one-batch', revision };
  const owner: PreDownloadOwner = {
    apiVersion: daemonSet.apiVersion ?? 'apps.kruise.io/v1beta1',
    kind: 'DaemonSet',
    name: daemonSet.metadata?.name ?? '',
    namespace: daemonSet.metadata?.namespace ?? '',
    uid: daemonSet.metadata?.uid ?? '',
    annotations: daemonSet.metadata?.annotations ?? {},
    selector: daemonSet.spec.selector,
    template: daemonSet.spec.template,
  };
  return { kind: 'create', revision, jobs: preDownloadJobs(owner, update, diffRevisionImages(olds, update)) };
}
