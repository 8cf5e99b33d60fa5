import type { Node } from '../api/node.js';
import type { ImageSpec, ImageStatus, ImageTagSpec, ImageTagStatus, NodeImage, NodeImageStatus, TagOwnerReference } from '../api/nodeImage.js';
import { formatTime, parseTime, type EpochMs } from '../shared/podState.js';

/** Label that lets a NodeImage live without a node (OpenKruise's test hook `apps.kruise.io/fake-nodeimage`). */
export const FAKE_NODEIMAGE_LABEL = 'apps.kruise.io/fake-nodeimage';
/** How long after its node turns Ready a NodeImage is created (OpenKruise's `--nodeimage-creation-delay`, 30 s). */
export const DEFAULT_NODEIMAGE_CREATION_DELAY_MS = 30_000;
/** How long a tag may wait for the daemon to answer before it is marked Failed (OpenKruise: 10 min). */
export const NODEIMAGE_RESPONSE_TIMEOUT_MS = 10 * 60_000;
/** Shortest requeue of a NodeImage pass (OpenKruise: 3 s, plus up to 2 s of jitter there). */
export const NODEIMAGE_MIN_REQUEUE_MS = 3000;

/** What {@link planNodeImage} reads for one node name. */
export interface NodeImageSnapshot {
  readonly name: string;
  /** The node, undefined when it does not exist. */
  readonly node: Node | undefined;
  /** The NodeImage of the same name, undefined when it does not exist. */
  readonly nodeImage: NodeImage | undefined;
  /**
   * The uid of the ImagePullJob of this namespace and name: null when there is none, undefined when
   * it could not be read (the owner is kept, as OpenKruise keeps an owner it failed to get).
   */
  readonly jobUid: (namespace: string, name: string) => string | null | undefined;
  readonly now: EpochMs;
  /** Delay after the node's Ready transition before creating (default 30 s). */
  readonly creationDelayMs?: number;
}

/** A tag the pass marked Failed (for the PullImageFailed events on its owners and the NodeImage). */
export interface FailedTag {
  /** `name:tag`. */
  readonly image: string;
  readonly message: string;
  readonly owners: readonly TagOwnerReference[];
}

/** What one NodeImage pass decided. */
export type NodeImagePlan =
  | { readonly kind: 'nothing'; readonly reason: 'all-gone' | 'node-not-ready' | 'nodeimage-terminating' }
  | { readonly kind: 'wait'; readonly reason: 'node-ready-delay'; readonly afterMs: number }
  | { readonly kind: 'create'; readonly reason: 'node-ready' }
  | { readonly kind: 'delete'; readonly reason: 'node-gone' }
  /** Write labels (the node's) and spec.images (tags cleaned); the next pass does the status. */
  | { readonly kind: 'update-spec'; readonly messages: readonly string[]; readonly labels: Readonly<Record<string, string>> | undefined; readonly images: Readonly<Record<string, ImageSpec>> }
  /** Write the status (when `status` differs), then come back after `requeueAfterMs`. */
  | { readonly kind: 'status'; readonly status: NodeImageStatus | undefined; readonly failedTags: readonly FailedTag[]; readonly requeueAfterMs: number | undefined };

function readyTransition(node: Node): EpochMs | 'not-ready' {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return 'not-ready';
  return parseTime(ready.lastTransitionTime) ?? 0;
}

function sameLabels(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => b?.[k] === a?.[k]);
}

const byTag = <T extends { readonly tag: string }>(a: T, b: T): number => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0);

class Waits {
  ms: number | undefined;
  add(ms: number): void {
    this.ms = this.ms === undefined ? ms : Math.min(this.ms, ms);
  }
}

// OpenKruise's doUpdateNodeImage: labels follow the node; tags without createdAt, without a living
// owner (ImagePullJobs are checked by uid; other owners stay) or past their TTL since the daemon
// finished them are dropped; images left without tags go.
function cleanSpec(snapshot: NodeImageSnapshot, nodeImage: NodeImage, waits: Waits): { messages: string[]; images: Record<string, ImageSpec> } {
  const messages: string[] = [];
  const images: Record<string, ImageSpec> = {};
  for (const [name, image] of Object.entries(nodeImage.spec?.images ?? {})) {
    const tags: ImageTagSpec[] = [];
    for (const tag of image.tags) {
      const full = `${name}:${tag.tag}`;
      if (tag.createdAt == null) {
        messages.push(`image ${full} has no createAt field`);
        continue;
      }
      const owners = tag.ownerReferences ?? [];
      const alive = owners.filter((ref) => {
        if (ref.kind !== 'ImagePullJob' || !(ref.apiVersion ?? '').startsWith('apps.kruise.io/')) return true;
        const uid = snapshot.jobUid(ref.namespace ?? '', ref.name ?? '');
        return uid === undefined || uid === ref.uid;
      });
      if (alive.length !== owners.length) {
        messages.push(`image ${full} owners changed from ${String(owners.length)} to ${String(alive.length)}`);
        if (alive.length === 0) continue;
      }
      const ttl = tag.pullPolicy?.ttlSecondsAfterFinished;
      const done = parseTime(nodeImage.status?.imageStatuses?.[name]?.tags.find((t) => t.tag === tag.tag && (t.version ?? 0) === (tag.version ?? 0))?.completionTime);
      if (ttl !== undefined && done !== undefined) {
        const left = ttl * 1000 - (snapshot.now - done);
        if (left <= 0) {
          messages.push(`image ${full} has exceeded TTL (${String(ttl)})s since it completed`);
          continue;
        }
        waits.add(left);
      }
      tags.push(alive.length === owners.length ? tag : { ...tag, ownerReferences: alive });
    }
    if (tags.length > 0) images[name] = { ...image, tags: tags.sort(byTag) };
    else messages.push(`no longer has ${name} image spec`);
  }
  return { messages, images };
}

// OpenKruise's updateNodeImageStatus: a tag the daemon has not answered (no status of its version)
// within 10 min of createdAt, or unfinished past activeDeadlineSeconds + 10 min, is marked Failed;
// counts over the tags still in the spec.
function computeStatus(snapshot: NodeImageSnapshot, nodeImage: NodeImage, waits: Waits): { status: NodeImageStatus | undefined; failedTags: FailedTag[] } {
  const { now } = snapshot;
  const at = formatTime(now);
  const statuses: Record<string, ImageStatus> = { ...nodeImage.status?.imageStatuses };
  const specFull = new Set<string>();
  const failedTags: FailedTag[] = [];
  for (const [name, image] of Object.entries(nodeImage.spec?.images ?? {})) {
    const tagStatuses: ImageTagStatus[] = [...(statuses[name]?.tags ?? [])];
    for (const tag of image.tags) {
      const full = `${name}:${tag.tag}`;
      specFull.add(full);
      const created = parseTime(tag.createdAt);
      if (created === undefined) continue;
      const index = tagStatuses.findIndex((t) => t.tag === tag.tag);
      let current = tagStatuses[index];
      let failedMessage: string | undefined;
      if (current === undefined || (current.version ?? 0) !== (tag.version ?? 0)) {
        const left = NODEIMAGE_RESPONSE_TIMEOUT_MS - (now - created);
        if (left > 0) {
          waits.add(left);
          continue;
        }
        failedMessage = 'node has not responded for a long time';
        current = { ...current, tag: tag.tag, phase: 'Failed', completionTime: at, version: tag.version ?? 0, message: failedMessage };
      }
      const deadline = tag.pullPolicy?.activeDeadlineSeconds;
      if (current.completionTime == null && deadline !== undefined) {
        const left = deadline * 1000 + NODEIMAGE_RESPONSE_TIMEOUT_MS - (now - created);
        if (left > 0) {
          waits.add(left);
        } else {
          failedMessage = 'pulling exceeds the activeDeadlineSeconds';
          current = { ...current, phase: 'Failed', completionTime: at, version: tag.version ?? 0, message: failedMessage };
        }
      }
      if (failedMessage === undefined) continue;
      if (index < 0) tagStatuses.push(current);
      else tagStatuses[index] = current;
      failedTags.push({ image: full, message: failedMessage, owners: tag.ownerReferences ?? [] });
    }
    if (tagStatuses.length > 0) statuses[name] = { ...statuses[name], tags: tagStatuses.sort(byTag) };
  }
  if (failedTags.length === 0 && JSON.stringify(statuses) === JSON.stringify(nodeImage.status?.imageStatuses ?? {})) return { status: nodeImage.status, failedTags };
  const counts = { succeeded: 0, failed: 0, pulling: 0 };
  const kept: Record<string, ImageStatus> = {};
  for (const [name, imageStatus] of Object.entries(statuses)) {
    if (nodeImage.spec?.images?.[name] === undefined) continue;
    const tags = imageStatus.tags.filter((t) => specFull.has(`${name}:${t.tag}`));
    for (const t of tags) if (t.phase === 'Succeeded') counts.succeeded++;
    else if (t.phase === 'Failed') counts.failed++;
    else if (t.phase === 'Pulling') counts.pulling++;
    if (tags.length > 0) kept[name] = { ...imageStatus, tags };
  }
  return { status: { ...nodeImage.status, imageStatuses: kept, desired: specFull.size, ...counts }, failedTags };
}

/**
 * Returns one NodeImage pass for a node name as OpenKruise's nodeimage controller runs it: a
 * NodeImage whose node is gone is deleted (unless labelled `apps.kruise.io/fake-nodeimage`); a
 * missing NodeImage is created once its node has been Ready for the creation delay (30 s); then the
 * spec is cleaned (labels copied from the node; tags without createdAt, whose ImagePullJob owners
 * are all gone, or past ttlSecondsAfterFinished since completion, dropped) and, when it did not
 * change, the status is checked: tags the daemon has not answered within 10 min, or unfinished past
 * activeDeadlineSeconds + 10 min, become Failed; counts cover the spec's tags. The requeue is the
 * nearest TTL or timeout, at least 3 s.
 *
 * @example node gone, NodeImage present → { kind: 'delete', reason: 'node-gone' }
 * @example tag finished at 10:00 with TTL 600, now 10:11 → update-spec without it
 */
export function planNodeImage(snapshot: NodeImageSnapshot): NodeImagePlan {
  const { node, nodeImage, now } = snapshot;
  if (node === undefined || node.metadata.deletionTimestamp != null) {
    if (nodeImage === undefined || nodeImage.metadata?.deletionTimestamp != null) return { kind: 'nothing', reason: 'all-gone' };
    if (nodeImage.metadata?.labels?.[FAKE_NODEIMAGE_LABEL] === undefined) return { kind: 'delete', reason: 'node-gone' };
  }
  if (nodeImage === undefined) {
    if (node === undefined) return { kind: 'nothing', reason: 'all-gone' };
    const ready = readyTransition(node);
    if (ready === 'not-ready') return { kind: 'nothing', reason: 'node-not-ready' };
    const delay = (snapshot.creationDelayMs ?? DEFAULT_NODEIMAGE_CREATION_DELAY_MS) - (now - ready);
    return delay > 0 ? { kind: 'wait', reason: 'node-ready-delay', afterMs: delay } : { kind: 'create', reason: 'node-ready' };
  }
  if (nodeImage.metadata?.deletionTimestamp != null) return { kind: 'nothing', reason: 'nodeimage-terminating' };
  const waits = new Waits();
  const { messages, images } = cleanSpec(snapshot, nodeImage, waits);
  const labelsChanged = node !== undefined && !sameLabels(nodeImage.metadata?.labels, node.metadata.labels);
  if (labelsChanged || messages.length > 0) {
    return { kind: 'update-spec', messages: labelsChanged ? ['node labels changed', ...messages] : messages, labels: labelsChanged ? node.metadata.labels : nodeImage.metadata?.labels, images };
  }
  const { status, failedTags } = computeStatus(snapshot, nodeImage, waits);
  return { kind: 'status', status, failedTags, requeueAfterMs: waits.ms === undefined ? undefined : Math.max(NODEIMAGE_MIN_REQUEUE_MS, waits.ms) };
}
