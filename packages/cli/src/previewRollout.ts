import type { CloneSet, ControllerRevision, DaemonSet, Pod, StatefulSet } from '@kruise-ts/core';
import { CONTROLLER_NAMES, FEATURE_GATE_DEFAULTS, createLogger, createManager, type ControllerName, type FeatureGates } from '@kruise-ts/controllers';
import { SCALABLE_KINDS, kruiseStorageResources } from '@kruise-ts/controllers/testing';
import { KruiseResources, Resources, createMemoryCluster, type KubeObject, type MemoryCluster, type MemoryNodeSpec, type ResourceType } from '@kruise-ts/k8s-adapter';
import { recordRollout, type RecordedRollout } from './recordRollout.js';
import { rolloutStatus, type RolloutKind } from './rolloutStatus.js';
import { applyTemplateChanges, describeChange, type TemplateChange } from './templateChanges.js';

/** A workload preview can run: a CloneSet, an Advanced StatefulSet or an Advanced DaemonSet. */
export type PreviewWorkload = CloneSet | StatefulSet | DaemonSet;

/** A node to copy (an Advanced DaemonSet's pods follow the nodes' labels). */
export interface PreviewNode {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** What {@link previewRollout} runs. */
export interface PreviewInput {
  /** The workload's kind (default CloneSet). */
  readonly kind?: RolloutKind;
  /** The workload as read from the cluster (or a manifest): its spec is the rollout's starting point. */
  readonly workload: PreviewWorkload;
  /** Its pods, with their status (phase, Ready condition, container statuses, node). */
  readonly pods: readonly Pod[];
  /** Its ControllerRevisions (optional: the controller recreates the current one). */
  readonly revisions?: readonly ControllerRevision[];
  /** The nodes to copy (default: one per node the pods run on, without labels). */
  readonly nodes?: readonly PreviewNode[];
  /** The `--set` changes to the pod template. */
  readonly changes: readonly TemplateChange[];
  /** A pod's time from start to Ready when its own cannot be read (and for the pods the rollout creates), in ms. */
  readonly readyAfterMs: number;
  /** Use each pod's observed time to Ready (default true); false assumes `readyAfterMs` for every pod. */
  readonly observed?: boolean;
  /** Feature gates changed from OpenKruise's defaults (e.g. InPlaceWorkloadVerticalScaling and InPlacePodVerticalScaling on: resize in place). */
  readonly featureGates?: Partial<FeatureGates>;
  /** Give up after this much predicted time (default 6 h). */
  readonly maxDurationMs?: number;
}

/** The predicted rollout. */
export interface RolloutPreview extends RecordedRollout {
  readonly kind: RolloutKind;
  readonly namespace: string;
  readonly name: string;
  /** The changes, as `--set` spells them. */
  readonly changes: readonly string[];
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

const CONTROLLERS: Readonly<Record<RolloutKind, ControllerName>> = { CloneSet: 'cloneset', StatefulSet: 'statefulset', DaemonSet: 'daemonset' };

const resourceOf = (kind: RolloutKind) => KruiseResources[kind] as unknown as ResourceType<PreviewWorkload & KubeObject>;

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

const bare = (object: KubeObject, uid: string | undefined, ownerUid: string) => {
  const { resourceVersion: _rv, uid: _uid, managedFields: _mf, creationTimestamp: _ct, generation: _g, ...metadata } = object.metadata;
  const ownerReferences = (object.metadata.ownerReferences ?? []).map((o) => (o.uid === uid ? { ...o, uid: ownerUid } : o));
  return { ...object, metadata: { ...metadata, ...(ownerReferences.length > 0 ? { ownerReferences } : {}) } };
};

async function importState(cluster: MemoryCluster, input: PreviewInput, kind: RolloutKind, namespace: string): Promise<void> {
  const source = input.workload as PreviewWorkload & KubeObject;
  if (namespace !== 'default') await cluster.client.create(Resources.Namespace, { metadata: { name: namespace } });
  const { status: _status, ...spec } = bare(source, undefined, '') as PreviewWorkload & KubeObject;
  const created = await cluster.client.create(resourceOf(kind), { ...spec, metadata: { ...spec.metadata, namespace } });
  const ownerUid = created.metadata.uid ?? '';
  const oldUid = source.metadata.uid;
  for (const revision of input.revisions ?? []) await cluster.client.create(Resources.ControllerRevision, bare(revision as ControllerRevision & KubeObject, oldUid, ownerUid) as never);
  const byCreation = [...input.pods].sort((a, b) => (ms(a.metadata.creationTimestamp) ?? 0) - (ms(b.metadata.creationTimestamp) ?? 0));
  for (const pod of byCreation) {
    // Keep the pods' creation second (the update order reads it); the status (Ready condition and
    // its lastTransitionTime, restart counts, phase) is copied as is.
    const at = ms(pod.metadata.creationTimestamp);
    if (at !== undefined && at > cluster.clock.now()) await cluster.clock.advance(at - cluster.clock.now());
    const { status, ...object } = bare(pod as Pod & KubeObject, oldUid, ownerUid) as Pod & KubeObject;
    const stored = await cluster.client.create(Resources.Pod, { ...object, metadata: { ...object.metadata, namespace } });
    if (status !== undefined) await cluster.client.replace(Resources.Pod, { ...stored, status }, { subresource: 'status' });
  }
}

// The workload has taken in the copied state: its generation observed (and a CloneSet's or
// StatefulSet's update revision named).
function observed(kind: RolloutKind, workload: PreviewWorkload & KubeObject): boolean {
  const status = workload.status as { observedGeneration?: number; updateRevision?: string } | undefined;
  return (status?.observedGeneration ?? 0) >= (workload.metadata.generation ?? 1) && (kind === 'DaemonSet' || status?.updateRevision !== undefined);
}

function nodeSpecs(input: PreviewInput): MemoryNodeSpec[] {
  const given = new Map((input.nodes ?? []).map((n) => [n.name, n]));
  const names = [...new Set([...given.keys(), ...input.pods.map((p) => p.spec.nodeName).filter((n): n is string => n !== undefined && n !== '')])];
  return names.map((name) => {
    const labels = given.get(name)?.labels;
    return labels === undefined ? { name } : { name, labels };
  });
}

/**
 * Predicts a workload's rollout (CloneSet, Advanced StatefulSet or Advanced DaemonSet): copies the
 * workload, its pods and revisions into an in-memory cluster (the pods' nodes, with the labels
 * given, and a fake clock started at the oldest pod's creation), runs the kind's real controller
 * (`createManager`) on it, applies the `--set` changes to the pod template and lets the fake clock
 * run until the rollout is done, recording each pod's update with {@link recordRollout}: the
 * controller decides in place or recreate (an env change, or resources without the
 * InPlaceWorkloadVerticalScaling gate, recreates). The simulated kubelet starts a pod, and
 * restarts an in-place updated one, after that pod's observed time to Ready
 * ({@link observedReadyAfterMs}; a recreated StatefulSet pod keeps its name and so its time), or
 * `readyAfterMs` (new pods, and pods whose time cannot be read).
 *
 * @example 4 ready pods, maxUnavailable 2, in place, 1 s to Ready → batches [[a, b] at 0 ms,
 *   [c, d] at 1000 ms], each pod unavailable 1000 ms, total 2000 ms (plus the controller's passes)
 */
export async function previewRollout(input: PreviewInput): Promise<RolloutPreview> {
  const kind = input.kind ?? 'CloneSet';
  const namespace = input.workload.metadata?.namespace ?? 'default';
  const name = input.workload.metadata?.name ?? '';
  // Fails now, naming the container, when the template has no such container.
  applyTemplateChanges(input.workload.spec.template, input.changes);
  const readyAfter = new Map(input.pods.map((p) => [p.metadata.name ?? '', (input.observed === false ? undefined : observedReadyAfterMs(p)) ?? input.readyAfterMs]));
  const delayOf = (pod: unknown) => readyAfter.get((pod as Pod).metadata.name ?? '') ?? input.readyAfterMs;
  const nodes = nodeSpecs(input);
  const start = Math.min(Date.parse('2026-01-01T00:00:00Z'), ...input.pods.map((p) => ms(p.metadata.creationTimestamp) ?? Infinity)) - 1000;
  const cluster = await createMemoryCluster({ nodes: nodes.length === 0 ? 3 : nodes, clock: { start }, kubelet: { startDelayMs: delayOf, inPlaceUpdateDelayMs: delayOf } });
  const abort = new AbortController();
  try {
    for (const type of kruiseStorageResources()) cluster.registerResource(type, SCALABLE_KINDS.includes(type.kind) ? { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' } } : {});
    const controller = CONTROLLERS[kind];
    if (!CONTROLLER_NAMES.includes(controller)) throw new Error(`the ${kind} controller is missing`);
    cluster.kubelet.pause();
    await importState(cluster, input, kind, namespace);
    cluster.kubelet.resume();
    const logger = createLogger({ level: 'silent', name: 'kruise-ts-preview', destination: { write: () => undefined } });
    const manager = createManager({ client: cluster.client, clock: cluster.clock, logger, featureGates: { ...FEATURE_GATE_DEFAULTS, ...input.featureGates }, controllers: [controller], workers: {}, resizeSubresource: true });
    const running = manager.run(abort.signal);
    const key = { namespace, name };
    const type = resourceOf(kind);
    // Let the controller take in the copied state before the change.
    for (let i = 0; i < 50; i++) {
      await cluster.settle();
      if (observed(kind, await cluster.client.get(type, key))) break;
      await cluster.clock.advance(100);
    }
    const listed = await cluster.client.list(Resources.Pod, { namespace });
    const startMs = cluster.clock.now();
    const recorder = recordRollout(cluster.client, cluster.clock, { namespace, since: listed.resourceVersion, oldPods: listed.items, startMs });
    const current = await cluster.client.get(type, key);
    await cluster.client.replace(type, { ...current, spec: { ...current.spec, template: applyTemplateChanges(current.spec.template, input.changes) } });
    const limit = startMs + (input.maxDurationMs ?? 6 * 3600_000);
    let end: RolloutPreview['end'] = 'timed-out';
    const quietMs = Math.max(600_000, 10 * Math.max(input.readyAfterMs, ...readyAfter.values()));
    for (;;) {
      await cluster.settle();
      if (rolloutStatus(kind, await cluster.client.get(type, key)).kind === 'done') {
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
    return { kind, namespace, name, changes: input.changes.map(describeChange), readyAfterMs: { ...assumed, '(new pods)': input.readyAfterMs }, end, totalMs, ...recorded };
  } finally {
    abort.abort();
    await cluster.close();
  }
}

/** The preview in plain lines: the batches, each pod's update and unavailable time, the total. */
export function previewLines(preview: RolloutPreview): string[] {
  const seconds = (value: number | undefined) => (value === undefined ? 'still unavailable' : `${(value / 1000).toFixed(1)}s`);
  const head = `Preview of ${preview.kind} "${preview.name}" with ${preview.changes.join(', ')}:`;
  const lines = preview.batches.flatMap((b) => [
    `Batch ${String(b.batch)} at +${seconds(b.atMs)}:`,
    ...preview.pods.filter((p) => p.batch === b.batch).map((p) => `  ${String(p.order)}. ${p.pod}  ${p.action === 'in-place' ? 'in place' : `recreate → ${p.replacement ?? '(not yet created)'}`}  unavailable ${seconds(p.unavailableMs)}`),
  ]);
  const end = preview.end === 'done' ? `Rollout done after ${seconds(preview.totalMs)}.` : preview.end === 'stuck' ? `Rollout stops after ${seconds(preview.totalMs)}: nothing more happens (paused, partition or a pod that never gets ready).` : `Rollout not done after ${seconds(preview.totalMs)}.`;
  return [head, ...(lines.length === 0 ? ['No pod is updated.'] : lines), end];
}
