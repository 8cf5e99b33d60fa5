import type { Pod } from '@kruise-ts/core';
import { Resources, type Clock, type KubeClient } from '@kruise-ts/k8s-adapter';

/** One pod of a recorded (or predicted) rollout. */
export interface PodUpdate {
  /** The pod as it was before the rollout. */
  readonly pod: string;
  /** 1 for the first pod the controller updated, 2 for the next... (watch order). */
  readonly order: number;
  /** The controller's pass that updated it: pods updated at the same instant share a batch (1, 2...). */
  readonly batch: number;
  /** `in-place`: same pod, new image; `recreate`: deleted, and `replacement` came in its place. */
  readonly action: 'in-place' | 'recreate';
  readonly replacement?: string;
  /** Time from the change to this pod's update, in ms. */
  readonly updatedAtMs: number;
  /** Time it (or, recreated, it and then its replacement) was not Ready, in ms; undefined while still unavailable. */
  readonly unavailableMs: number | undefined;
  /**
   * How many pods of the rollout were back (updated and Ready again, or replaced by a Ready pod)
   * when this one was updated, in the API's order of events. A controller pass that updates more
   * pods follows a pod coming back, so pods with different values were updated by different
   * passes, in this order; pods sharing a value may come from one pass whose writes were sent
   * together (their order then is the order the API took them in).
   */
  readonly afterBack: number;
}

/** What a recorder saw. */
export interface RecordedRollout {
  readonly pods: readonly PodUpdate[];
  /** The pods as batches, in order. */
  readonly batches: ReadonlyArray<{ readonly batch: number; readonly atMs: number; readonly pods: readonly string[] }>;
}

/** A running recorder: call `result()` when the rollout is over, `stop()` to end the watch. */
export interface RolloutRecorder {
  result(): RecordedRollout;
  /** When (ms after the start) the last pod event arrived; 0 before any. */
  lastEventMs(): number;
  stop(): void;
}

const ready = (pod: Pod): boolean => pod.metadata.deletionTimestamp === undefined && (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

const REVISION_LABEL = 'controller-revision-hash';

// The containers run what the spec asks (the kubelet has restarted them after an in-place image change).
const runsSpec = (pod: Pod): boolean => {
  const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s.image]));
  return pod.spec.containers.every((c) => !statuses.has(c.name) || statuses.get(c.name) === c.image);
};

// What an in-place update changes: the revision label, or (a pod without one) the images.
const revisionOf = (pod: Pod): string => pod.metadata.labels?.[REVISION_LABEL] ?? pod.spec.containers.map((c) => c.image ?? '').join(',');

// The node a pod runs on, or (a DaemonSet's pod not yet scheduled) the one its affinity names.
function nodeOf(pod: Pod): string | undefined {
  if (pod.spec.nodeName !== undefined && pod.spec.nodeName !== '') return pod.spec.nodeName;
  const terms = (pod.spec.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: Array<{ matchFields?: Array<{ key: string; values?: string[] }> }> } } } | undefined)?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return terms.flatMap((t) => t.matchFields ?? []).find((f) => f.key === 'metadata.name')?.values?.[0];
}

interface Track {
  readonly name: string;
  readonly revision: string;
  readonly node: string | undefined;
  updatedAt?: number;
  afterBack?: number;
  action?: 'in-place' | 'recreate';
  replacement?: string;
  downAt?: number;
  upAt?: number;
  lastReady: boolean;
}

/**
 * Watches the pods of a rollout from `since` (a list's resourceVersion) and records, in the
 * order the API serialised the writes, when each old pod was updated (its revision label changed:
 * in place; or it was deleted: recreate, its replacement the new pod of the same name (an Advanced
 * StatefulSet's), else on the same node (a DaemonSet's), else the next one created), and how long
 * it was not Ready (from its Ready condition leaving True, or its deletion, to it running its new
 * spec Ready again or its replacement being Ready; 0 for an in-place update that never took it
 * down, e.g. a resize). Times are `clock.now()` minus `startMs`, so the same recorder measures
 * a rollout on the fake clock of the memory cluster and on a real cluster.
 *
 * @example old pods a, b at maxUnavailable 1, in place: a's image changes at 0 ms (Ready again at
 *   1000), b's at 1000 ms (Ready at 2000) → pods [{pod: a, order 1, batch 1, unavailableMs 1000, afterBack 0},
 *   {pod: b, order 2, batch 2, updatedAtMs 1000, unavailableMs 1000, afterBack 1}]
 */
export function recordRollout(
  client: KubeClient,
  clock: Clock,
  options: { readonly namespace: string; readonly since: string; readonly oldPods: readonly Pod[]; readonly startMs: number },
): RolloutRecorder {
  // By uid: an Advanced StatefulSet's replacement has the old pod's name.
  const tracks = new Map<string, Track>(options.oldPods.map((p) => [p.metadata.uid ?? p.metadata.name ?? '', { name: p.metadata.name ?? '', revision: revisionOf(p), node: nodeOf(p), lastReady: ready(p) }]));
  const order: Track[] = [];
  const waitingForReplacement: Track[] = [];
  const replacementOf = new Map<string, Track>();
  const abort = new AbortController();
  const now = () => clock.now() - options.startMs;
  let lastEvent = 0;
  let back = 0;
  const markUpdated = (track: Track, action: 'in-place' | 'recreate') => {
    if (track.updatedAt !== undefined) return;
    track.updatedAt = now();
    track.afterBack = back;
    track.action = action;
    order.push(track);
  };
  const cameBack = (track: Track) => {
    track.upAt = now();
    back++;
  };
  const takeReplacement = (pod: Pod): Track | undefined => {
    const node = nodeOf(pod);
    const index = [(t: Track) => t.name === pod.metadata.name, (t: Track) => node !== undefined && t.node === node, () => true].map((match) => waitingForReplacement.findIndex(match)).find((i) => i >= 0);
    return index === undefined ? undefined : waitingForReplacement.splice(index, 1)[0];
  };
  const seen = (type: string, pod: Pod) => {
    lastEvent = now();
    const uid = pod.metadata.uid ?? pod.metadata.name ?? '';
    const track = tracks.get(uid);
    if (track === undefined) {
      if (type === 'ADDED' && !replacementOf.has(uid)) {
        const old = takeReplacement(pod);
        if (old !== undefined) {
          replacementOf.set(uid, old);
          old.replacement = pod.metadata.name ?? '';
        }
      }
      const old = replacementOf.get(uid);
      if (old !== undefined && old.upAt === undefined && type !== 'DELETED' && ready(pod)) cameBack(old);
      return;
    }
    const deleted = type === 'DELETED' || pod.metadata.deletionTimestamp !== undefined;
    if (deleted) {
      if (track.updatedAt === undefined) {
        markUpdated(track, 'recreate');
        waitingForReplacement.push(track);
      }
      track.downAt ??= now();
      return;
    }
    track.lastReady = ready(pod);
    if (!track.lastReady) track.downAt ??= now();
    if (track.updatedAt === undefined && revisionOf(pod) !== track.revision) markUpdated(track, 'in-place');
    if (track.action === 'in-place' && track.downAt !== undefined && track.upAt === undefined && track.lastReady && runsSpec(pod)) cameBack(track);
  };
  void (async () => {
    try {
      for await (const event of client.watch(Resources.Pod, { namespace: options.namespace, resourceVersion: options.since, signal: abort.signal })) {
        if (event.type !== 'BOOKMARK') seen(event.type, event.object);
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  })();
  return {
    stop: () => { abort.abort(); },
    lastEventMs: () => lastEvent,
    result() {
      const times = [...new Set(order.map((t) => t.updatedAt ?? 0))];
      const batchOf = (at: number) => times.indexOf(at) + 1;
      const pods = order.map((t, i): PodUpdate => {
        const at = t.updatedAt ?? 0;
        const down = t.downAt ?? at;
        const neverDown = t.action === 'in-place' && t.downAt === undefined && t.lastReady;
        return {
          pod: t.name,
          order: i + 1,
          batch: batchOf(at),
          action: t.action ?? 'in-place',
          ...(t.replacement === undefined ? {} : { replacement: t.replacement }),
          updatedAtMs: at,
          unavailableMs: neverDown ? 0 : t.upAt === undefined ? undefined : t.upAt - Math.min(down, at),
          afterBack: t.afterBack ?? 0,
        };
      });
      const batches = times.map((atMs, i) => ({ batch: i + 1, atMs, pods: pods.filter((p) => p.updatedAtMs === atMs).map((p) => p.pod) }));
      return { pods, batches };
    },
  };
}
