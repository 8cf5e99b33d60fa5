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

interface Track {
  updatedAt?: number;
  afterBack?: number;
  action?: 'in-place' | 'recreate';
  replacement?: string;
  downAt?: number;
  upAt?: number;
}

/**
 * Watches the pods of a rollout from `since` (a list's resourceVersion) and records, in the
 * order the API serialised the writes, when each old pod was updated (its containers took the
 * `images`: in place; or it was deleted: recreate, its replacement the next new pod created), and
 * how long it was not Ready (from its Ready condition leaving True, or its deletion, to it or its
 * replacement being Ready). Times are `clock.now()` minus `startMs`, so the same recorder measures
 * a rollout on the fake clock of the memory cluster and on a real cluster.
 *
 * @example old pods a, b at maxUnavailable 1, in place: a's image changes at 0 ms (Ready again at
 *   1000), b's at 1000 ms (Ready at 2000) → pods [{pod: a, order 1, batch 1, unavailableMs 1000},
 *   {pod: b, order 2, batch 2, updatedAtMs 1000, unavailableMs 1000}]
 */
export function recordRollout(
  client: KubeClient,
  clock: Clock,
  options: { readonly namespace: string; readonly since: string; readonly oldPods: readonly Pod[]; readonly images: ReadonlyMap<string, string>; readonly startMs: number },
): RolloutRecorder {
  const tracks = new Map<string, Track>(options.oldPods.map((p) => [p.metadata.name ?? '', {}]));
  const order: string[] = [];
  const waitingForReplacement: string[] = [];
  const replacementOf = new Map<string, string>();
  const abort = new AbortController();
  const now = () => clock.now() - options.startMs;
  const takesImages = (pod: Pod) => [...options.images].every(([container, image]) => pod.spec.containers.find((c) => c.name === container)?.image === image);
  let lastEvent = 0;
  let back = 0;
  const markUpdated = (name: string, track: Track, action: 'in-place' | 'recreate') => {
    if (track.updatedAt !== undefined) return;
    track.updatedAt = now();
    track.afterBack = back;
    track.action = action;
    order.push(name);
  };
  const cameBack = (track: Track) => {
    track.upAt = now();
    back++;
  };
  const seen = (type: string, pod: Pod) => {
    lastEvent = now();
    const name = pod.metadata.name ?? '';
    const track = tracks.get(name);
    if (track === undefined) {
      if (type === 'ADDED' && !replacementOf.has(name)) {
        const old = waitingForReplacement.shift();
        if (old !== undefined) {
          replacementOf.set(name, old);
          const oldTrack = tracks.get(old);
          if (oldTrack !== undefined) oldTrack.replacement = name;
        }
      }
      const old = replacementOf.get(name);
      const oldTrack = old === undefined ? undefined : tracks.get(old);
      if (oldTrack !== undefined && oldTrack.upAt === undefined && type !== 'DELETED' && ready(pod)) cameBack(oldTrack);
      return;
    }
    const deleted = type === 'DELETED' || pod.metadata.deletionTimestamp !== undefined;
    if (deleted) {
      if (track.updatedAt === undefined) {
        markUpdated(name, track, 'recreate');
        waitingForReplacement.push(name);
      }
      track.downAt ??= now();
      return;
    }
    if (!ready(pod)) track.downAt ??= now();
    if (track.updatedAt === undefined && takesImages(pod)) markUpdated(name, track, 'in-place');
    if (track.action === 'in-place' && track.downAt !== undefined && track.upAt === undefined && ready(pod) && (pod.status?.containerStatuses ?? []).every((s) => options.images.get(s.name) === undefined || s.image === options.images.get(s.name))) cameBack(track);
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
      const times = [...new Set(order.map((n) => tracks.get(n)?.updatedAt ?? 0))];
      const batchOf = (at: number) => times.indexOf(at) + 1;
      const pods = order.map((name, i): PodUpdate => {
        const t = tracks.get(name) ?? {};
        const at = t.updatedAt ?? 0;
        const down = t.downAt ?? at;
        return {
          pod: name,
          order: i + 1,
          batch: batchOf(at),
          action: t.action ?? 'in-place',
          ...(t.replacement === undefined ? {} : { replacement: t.replacement }),
          updatedAtMs: at,
          unavailableMs: t.upAt === undefined ? undefined : t.upAt - Math.min(down, at),
          afterBack: t.afterBack ?? 0,
        };
      });
      const batches = times.map((atMs, i) => ({ batch: i + 1, atMs, pods: pods.filter((p) => p.updatedAtMs === atMs).map((p) => p.pod) }));
      return { pods, batches };
    },
  };
}
