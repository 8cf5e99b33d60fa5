import type { ImagePullJob } from '../api/imagePullJob.js';
import type { NodeImage } from '../api/nodeImage.js';
import type { Pod } from '../api/pod.js';
import { isPodActive } from '../shared/podState.js';
import { parseImageReference } from '../shared/imageReference.js';
import { matchesLabelSelector } from '../shared/selector.js';

/**
 * Returns the NodeImages an ImagePullJob pulls on, in OpenKruise's order
 * (`GetNodeImagesForJob`): with a `podSelector`, the NodeImages of the nodes of the active,
 * scheduled pods it matches in the job's namespace (pod order, each node once, nodes without a
 * NodeImage skipped); without a selector, every NodeImage; with `selector.names`, those NodeImages
 * in the names' order (missing ones skipped); else the NodeImages whose labels (the node's) match.
 *
 * @example selector { names: ['n2', 'n9', 'n1'] } over NodeImages n1, n2, n3 → [n2, n1]
 */
export function imagePullJobTargets(job: ImagePullJob, nodeImages: readonly NodeImage[], pods: readonly Pod[]): NodeImage[] {
  const byName = new Map(nodeImages.map((ni) => [ni.metadata?.name ?? '', ni]));
  const pick = (names: readonly string[]): NodeImage[] => names.map((name) => byName.get(name)).filter((ni): ni is NodeImage => ni !== undefined);
  const { podSelector, selector } = job.spec;
  if (podSelector !== undefined) {
    const names = new Set<string>();
    for (const pod of pods) {
      const node = pod.spec.nodeName ?? '';
      if (pod.metadata.namespace !== job.metadata?.namespace || node === '' || !isPodActive(pod) || !matchesLabelSelector(podSelector, pod.metadata.labels ?? {})) continue;
      names.add(node);
    }
    return pick([...names]);
  }
  if (selector === undefined) return [...nodeImages];
  if (selector.names !== undefined) return pick(selector.names);
  return nodeImages.filter((ni) => matchesLabelSelector(selector, ni.metadata?.labels ?? {}));
}

/**
 * Returns whether a NodeImage falls under an active job's selection (OpenKruise's
 * `GetActiveJobsForNodeImage`, used to wake jobs when a NodeImage changes): a job without selector,
 * one naming the node, one whose non-empty label selector matches, or a pod-selector job with a
 * matching pod on the node.
 *
 * @example a job with selector { matchLabels: { pool: 'a' } } and a NodeImage labelled pool=a → true
 */
export function nodeImageConcernsJob(job: ImagePullJob, nodeImage: NodeImage, podsOnNode: readonly Pod[]): boolean {
  const { podSelector, selector } = job.spec;
  const name = nodeImage.metadata?.name ?? '';
  if (podSelector !== undefined) return podsOnNode.some((pod) => pod.metadata.namespace === job.metadata?.namespace && matchesLabelSelector(podSelector, pod.metadata.labels ?? {}));
  if (selector === undefined) return true;
  if (selector.names !== undefined) return selector.names.includes(name);
  const empty = Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  return !empty && matchesLabelSelector(selector, nodeImage.metadata?.labels ?? {});
}

function changedImageNames(current: NodeImage, previous: NodeImage): Set<string> {
  const changed = new Set<string>();
  const compare = (a: Readonly<Record<string, unknown>> | undefined, b: Readonly<Record<string, unknown>> | undefined): void => {
    for (const name of new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])) if (JSON.stringify(a?.[name]) !== JSON.stringify(b?.[name])) changed.add(name);
  };
  compare(current.spec?.images, previous.spec?.images);
  compare(current.status?.imageStatuses, previous.status?.imageStatuses);
  return changed;
}

/**
 * Returns the active jobs a NodeImage event wakes (OpenKruise's `nodeImageEventHandler`): on a
 * creation or deletion (no `previous`) or while it is being deleted, every job whose selection
 * takes it in; on an update, the jobs that start or stop taking it in (its labels changed) and
 * those that take it in and pull an image whose spec or status entry changed. So a daemon's
 * status write about one image wakes only the jobs of that image, not every job on the node.
 *
 * @example jobs pulling nginx and redis, the daemon updates nginx's status on n1 → [the nginx job]
 */
export function imagePullJobsToWake<J extends ImagePullJob>(jobs: readonly J[], nodeImage: NodeImage, previous: NodeImage | undefined, podsOnNode: readonly Pod[]): J[] {
  if (previous === undefined || nodeImage.metadata?.deletionTimestamp != null) return jobs.filter((job) => nodeImageConcernsJob(job, nodeImage, podsOnNode));
  const changed = changedImageNames(nodeImage, previous);
  return jobs.filter((job) => {
    const now = nodeImageConcernsJob(job, nodeImage, podsOnNode);
    // Only a label selector can see the previous labels differently (OpenKruise's oldMatched).
    const before = job.spec.podSelector === undefined && job.spec.selector !== undefined && job.spec.selector.names === undefined ? nodeImageConcernsJob(job, previous, podsOnNode) : now;
    if (now !== before) return true;
    if (!now) return false;
    const ref = parseImageReference(job.spec.image);
    return ref.kind === 'valid' && changed.has(ref.name);
  });
}
