import type { CloneSet, ControllerRevision, Pod } from '@kruise-ts/core';
import { CONTROLLER_NAMES, FEATURE_GATE_DEFAULTS, createLogger, createManager } from '@kruise-ts/controllers';
import { SCALABLE_KINDS, kruiseStorageResources } from '@kruise-ts/controllers/testing';
import { KruiseResources, Resources, createMemoryCluster, type KubeObject, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { recordRollout, type RecordedRollout } from './recordRollout.js';
import { rolloutStatus } from './rolloutStatus.js';

/** One `--set image=<container>=<image>`. */
export interface ImageChange {
  readonly container: string;
  readonly image: string;
}

/** What {@link previewRollout} runs. */
export interface PreviewInput {
  /** The CloneSet as read from the cluster (or a manifest): its spec is the rollout's starting point. */
  readonly cloneSet: CloneSet;
  /** Its pods, with their status (phase, Ready condition, container statuses, node). */
  readonly pods: readonly Pod[];
  /** Its ControllerRevisions (optional: the controller recreates the current one). */
  readonly revisions?: readonly ControllerRevision[];
  readonly images: readonly ImageChange[];
  /** A pod's time from start to Ready when its own cannot be read (and for the pods the rollout creates), in ms. */
  readonly readyAfterMs: number;
  /** Use each pod's observed time to Ready (default true); false assumes `readyAfterMs` for every pod. */
  readonly observed?: boolean;
  /** Give up after this much predicted time (default 6 h). */
  readonly maxDurationMs?: number;
}

/** The predicted rollout. */
export interface RolloutPreview extends RecordedRollout {
  readonly kind: 'CloneSet';
  readonly namespace: string;
  readonly name: string;
  readonly images: readonly ImageChange[];
  /** How long each pod takes to become Ready after a start or an in-place restart, as assumed. */
  readonly readyAfterMs: Readonly<Record<string, number>>;
  /**
   * `done` when the controller finished the rollout; `stuck` when no pod changed for 10 minutes (or
   * 10 times the longest time to Ready) of predicted time (e.g. paused); `timed-out` past maxDurationMs.
   */
  readonly end: 'done' | 'stuck' | 'timed-out';
  /** From the change to the rollout being done, in ms. */
  readonly totalMs: number;
}

const ms = (time: string | null | undefined): number | undefined => (time === undefined || time === null ? undefined : Date.parse(time));

const IN_PLACE_STATE = 'apps.kruise.io/inplace-update-state';

// When the pod last started: its last in-place update (OpenKruise's state annotation), else its creation.
function startedAt(pod: Pod): number | undefined {
  const state = pod.metadata.annotations?.[IN_PLACE_STATE];
  if (state !== undefined) {
    try {
      const parsed = JSON.parse(state) as { updateTimestamp?: string };
      const at = ms(parsed.updateTimestamp);
      if (at !== undefined && !Number.isNaN(at)) return at;
    } catch {
      // Not OpenKruise's JSON: use the creation time.
    }
  }
  return ms(pod.metadata.creationTimestamp);
}

/**
 * Returns the time a pod took to become Ready, from its status: the Ready condition's
 * lastTransitionTime minus its creation (or, updated in place before, the update's
 * `updateTimestamp` in `apps.kruise.io/inplace-update-state`); undefined when it is not Ready,
 * the times are missing, or it took 0 s (the API's timestamps have second resolution, so 0 says
 * only "under a second").
 *
 * @example created 10:00:00, Ready True since 10:00:04 → 4000
 */
export function observedReadyAfterMs(pod: Pod): number | undefined {
  const condition = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const start = startedAt(pod);
  const readyAt = ms(condition?.lastTransitionTime);
  if (condition?.status !== 'True' || start === undefined || readyAt === undefined || Number.isNaN(start) || Number.isNaN(readyAt) || readyAt <= start) return undefined;
  return readyAt - start;
}

/**
 * Reads `--set` values: `image=<container>=<image>`, or names the one that is wrong.
 *
 * @example parseImageSets(['image=main=nginx:1.27']) → [{ container: 'main', image: 'nginx:1.27' }]
 */
export function parseImageSets(values: readonly string[]): ImageChange[] | { readonly kind: 'invalid'; readonly message: string } {
  const changes: ImageChange[] = [];
  for (const value of values) {
    const match = /^image=([^=]+)=(.+)$/.exec(value);
    if (match === null) return { kind: 'invalid', message: `--set: "${value}" is not image=<container>=<image>` };
    changes.push({ container: match[1] ?? '', image: match[2] ?? '' });
  }
  if (changes.length === 0) return { kind: 'invalid', message: '--set: at least one image=<container>=<image> is required' };
  return changes;
}

const bare = (object: KubeObject, uid: string | undefined, ownerUid: string) => {
  const { resourceVersion: _rv, uid: _uid, managedFields: _mf, creationTimestamp: _ct, generation: _g, ...metadata } = object.metadata;
  const ownerReferences = (object.metadata.ownerReferences ?? []).map((o) => (o.uid === uid ? { ...o, uid: ownerUid } : o));
  return { ...object, metadata: { ...metadata, ...(ownerReferences.length > 0 ? { ownerReferences } : {}) } };
};

async function importState(cluster: MemoryCluster, input: PreviewInput, namespace: string): Promise<CloneSet & KubeObject> {
  const source = input.cloneSet as CloneSet & KubeObject;
  if (namespace !== 'default') await cluster.client.create(Resources.Namespace, { metadata: { name: namespace } });
  const { status: _status, ...spec } = bare(source, undefined, '') as CloneSet & KubeObject;
  const created = await cluster.client.create(KruiseResources.CloneSet, { ...spec, metadata: { ...spec.metadata, namespace } });
  const ownerUid = created.metadata.uid ?? '';
  const oldUid = source.metadata.uid;
  for (const revision of input.revisions ?? []) await cluster.client.create(Resources.ControllerRevision, bare(revision as ControllerRevision & KubeObject, oldUid, ownerUid) as never);
  const byCreation = [...input.pods].sort((a, b) => (ms(a.metadata.creationTimestamp) ?? 0) - (ms(b.metadata.creationTimestamp) ?? 0));
  for (const pod of byCreation) {
    // Keep the pods' creation order and spacing (the controller ranks pods by it).
    const at = ms(pod.metadata.creationTimestamp);
    if (at !== undefined && at > cluster.clock.now()) await cluster.clock.advance(at - cluster.clock.now());
    const { status, ...object } = bare(pod as Pod & KubeObject, oldUid, ownerUid) as Pod & KubeObject;
    const stored = await cluster.client.create(Resources.Pod, { ...object, metadata: { ...object.metadata, namespace } });
    if (status !== undefined) await cluster.client.replace(Resources.Pod, { ...stored, status }, { subresource: 'status' });
  }
  return created;
}

/**
 * Predicts a CloneSet's rollout: copies the CloneSet, its pods and revisions into an in-memory
 * cluster (nodes named as the pods' nodes, a fake clock started at the oldest pod's creation),
 * runs the real CloneSet controller (`createManager`) on it, applies the image changes and lets
 * the fake clock run until the rollout is done, recording each pod's update with
 * {@link recordRollout}. The simulated kubelet starts a pod, and restarts an in-place updated
 * one, after that pod's observed time to Ready ({@link observedReadyAfterMs}), or `readyAfterMs`
 * (new pods, and pods whose time cannot be read).
 *
 * @example 4 ready pods, maxUnavailable 2, in place, 1 s to Ready → batches [[a, b] at 0 ms,
 *   [c, d] at 1000 ms], each pod unavailable 1000 ms, total 2000 ms (plus the controller's passes)
 */
export async function previewRollout(input: PreviewInput): Promise<RolloutPreview> {
  const namespace = input.cloneSet.metadata?.namespace ?? 'default';
  const name = input.cloneSet.metadata?.name ?? '';
  for (const { container } of input.images) {
    if (!input.cloneSet.spec.template.spec.containers.some((c) => c.name === container)) throw new Error(`--set: the CloneSet has no container "${container}"`);
  }
  const readyAfter = new Map(input.pods.map((p) => [p.metadata.name ?? '', (input.observed === false ? undefined : observedReadyAfterMs(p)) ?? input.readyAfterMs]));
  const delayOf = (pod: unknown) => readyAfter.get((pod as Pod).metadata.name ?? '') ?? input.readyAfterMs;
  const nodes = [...new Set(input.pods.map((p) => p.spec.nodeName).filter((n): n is string => n !== undefined && n !== ''))];
  const start = Math.min(Date.parse('2026-01-01T00:00:00Z'), ...input.pods.map((p) => ms(p.metadata.creationTimestamp) ?? Infinity)) - 1000;
  const cluster = await createMemoryCluster({ nodes: nodes.length === 0 ? 3 : nodes.map((n) => ({ name: n })), clock: { start }, kubelet: { startDelayMs: delayOf, inPlaceUpdateDelayMs: delayOf } });
  const abort = new AbortController();
  try {
    for (const type of kruiseStorageResources()) cluster.registerResource(type, SCALABLE_KINDS.includes(type.kind) ? { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' } } : {});
    if (!CONTROLLER_NAMES.includes('cloneset')) throw new Error('the CloneSet controller is missing');
    cluster.kubelet.pause();
    await importState(cluster, input, namespace);
    cluster.kubelet.resume();
    const logger = createLogger({ level: 'silent', name: 'kruise-ts-preview', destination: { write: () => undefined } });
    const manager = createManager({ client: cluster.client, clock: cluster.clock, logger, featureGates: FEATURE_GATE_DEFAULTS, controllers: ['cloneset'], workers: {}, resizeSubresource: true });
    const running = manager.run(abort.signal);
    const key = { namespace, name };
    // Let the controller take in the copied state before the change.
    for (let i = 0; i < 50; i++) {
      await cluster.settle();
      const cs = await cluster.client.get(KruiseResources.CloneSet, key);
      if ((cs.status?.observedGeneration ?? 0) >= (cs.metadata.generation ?? 1) && cs.status?.updateRevision !== undefined) break;
      await cluster.clock.advance(100);
    }
    const listed = await cluster.client.list(Resources.Pod, { namespace });
    const images = new Map(input.images.map((c) => [c.container, c.image]));
    const startMs = cluster.clock.now();
    const recorder = recordRollout(cluster.client, cluster.clock, { namespace, since: listed.resourceVersion, oldPods: listed.items, images, startMs });
    const current = await cluster.client.get(KruiseResources.CloneSet, key);
    const containers = current.spec.template.spec.containers.map((c) => ({ ...c, ...(images.has(c.name) ? { image: images.get(c.name) } : {}) }));
    await cluster.client.replace(KruiseResources.CloneSet, { ...current, spec: { ...current.spec, template: { ...current.spec.template, spec: { ...current.spec.template.spec, containers } } } });
    const limit = startMs + (input.maxDurationMs ?? 6 * 3600_000);
    let end: RolloutPreview['end'] = 'timed-out';
    const quietMs = Math.max(600_000, 10 * Math.max(input.readyAfterMs, ...readyAfter.values()));
    for (;;) {
      await cluster.settle();
      if (rolloutStatus('CloneSet', await cluster.client.get(KruiseResources.CloneSet, key)).kind === 'done') {
        end = 'done';
        break;
      }
      const next = cluster.clock.nextWakeUp;
      // Nothing happened to any pod for a long while: nothing will (paused, a partition, a pod never Ready).
      if (next === undefined || cluster.clock.now() - startMs - recorder.lastEventMs() > quietMs) {
        end = 'stuck';
        break;
      }
      if (next > limit) break;
      await cluster.clock.advance(Math.max(1, next - cluster.clock.now()));
    }
    const totalMs = end === 'stuck' ? recorder.lastEventMs() : cluster.clock.now() - startMs;
    await cluster.settle();
    const recorded = recorder.result();
    recorder.stop();
    abort.abort();
    await running;
    const assumed = Object.fromEntries([...readyAfter].sort(([a], [b]) => a.localeCompare(b)));
    return { kind: 'CloneSet', namespace, name, images: input.images, readyAfterMs: { ...assumed, '(new pods)': input.readyAfterMs }, end, totalMs, ...recorded };
  } finally {
    abort.abort();
    await cluster.close();
  }
}

/** The preview in plain lines: the batches, each pod's update and unavailable time, the total. */
export function previewLines(preview: RolloutPreview): string[] {
  const seconds = (value: number | undefined) => (value === undefined ? 'still unavailable' : `${(value / 1000).toFixed(1)}s`);
  const head = `Preview of CloneSet "${preview.name}" with ${preview.images.map((c) => `${c.container}=${c.image}`).join(', ')}:`;
  const lines = preview.batches.flatMap((b) => [
    `Batch ${String(b.batch)} at +${seconds(b.atMs)}:`,
    ...preview.pods.filter((p) => p.batch === b.batch).map((p) => `  ${String(p.order)}. ${p.pod}  ${p.action === 'in-place' ? 'in place' : `recreate → ${p.replacement ?? '(not yet created)'}`}  unavailable ${seconds(p.unavailableMs)}`),
  ]);
  const end = preview.end === 'done' ? `Rollout done after ${seconds(preview.totalMs)}.` : preview.end === 'stuck' ? `Rollout stops after ${seconds(preview.totalMs)}: nothing more happens (paused, partition or a pod that never gets ready).` : `Rollout not done after ${seconds(preview.totalMs)}.`;
  return [head, ...(lines.length === 0 ? ['No pod is updated.'] : lines), end];
}
