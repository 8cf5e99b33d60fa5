/**
 * Watches the demo's pods and records what each step did to them: pods created, deleted, updated
 * in place, the most unavailable at once (checked at every watch event, not only when the view
 * redraws), and whether the pods that were there before the step are still the same objects.
 */
import { CONTROLLER_REVISION_HASH_LABEL, type Pod } from '@kruise-ts/core';
import { Resources, type Clock, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { countUnavailable, podRow, type PodRow } from './podRows.js';

/** What one step did to the pods. */
export interface StepRecord {
  /** Pods that appeared (new UIDs). */
  readonly created: number;
  /** Pods that went away. */
  readonly deleted: number;
  /** Pods whose revision changed while they kept their UID. */
  readonly updatedInPlace: number;
  /** Most pods unavailable at once (see `countUnavailable`), over every watch event of the step. */
  readonly maxUnavailable: number;
  /** Pods there when the step began. */
  readonly podsBefore: number;
  /** Of those, still there at the end with the same UID, node and IP. */
  readonly podsKept: number;
}

/** A watch on the pods of the demo's CloneSet. */
export interface RolloutRecorder {
  /** The pods as of the last event, as rows at the clock's `now`. */
  rows(): PodRow[];
  /** Starts counting a step whose CloneSet should have `replicas` pods. */
  beginStep(replicas: number): void;
  /** Most pods unavailable at once since the step began (0 outside a step). */
  peekMaxUnavailable(): number;
  /** Ends the step and returns its record. */
  endStep(): StepRecord;
  /** What broke the watch, if anything did. */
  failure(): Error | undefined;
  /** Stops watching. */
  stop(): Promise<void>;
}

interface Counting {
  replicas: number;
  before: Map<string, PodRow>;
  created: number;
  deleted: number;
  inPlace: Set<string>;
  maxUnavailable: number;
}

const revisionOf = (pod: Pod): string | undefined => pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];

/** Identity of a pod for "kept": the same object, on the same node, with the same IP. */
const identity = (row: PodRow): string => `${row.uid}|${row.node}|${row.ip}`;

/**
 * Returns a recorder watching the pods matching `labelSelector` in `namespace` (list, then watch
 * from the list's resourceVersion, resuming when the server ends the watch).
 */
export async function startRolloutRecorder(client: KubeClient, clock: Clock, namespace: string, labelSelector: string): Promise<RolloutRecorder> {
  const listed = await client.list(Resources.Pod, { namespace, labelSelector });
  const pods = new Map<string, Pod & KubeObject>(listed.items.map((p) => [p.metadata.uid ?? '', p]));
  const rows = (): PodRow[] => [...pods.values()].map((p) => podRow(p, clock.now()));
  const abort = new AbortController();
  let failure: Error | undefined;
  let step: Counting | undefined;

  const observe = (type: string, pod: Pod & KubeObject): void => {
    const uid = pod.metadata.uid ?? '';
    const before = pods.get(uid);
    if (type === 'DELETED') pods.delete(uid);
    else pods.set(uid, pod);
    if (step === undefined) return;
    if (type === 'DELETED') step.deleted++;
    else if (before === undefined) step.created++;
    else if (revisionOf(before) !== revisionOf(pod)) step.inPlace.add(uid);
    step.maxUnavailable = Math.max(step.maxUnavailable, countUnavailable(rows(), step.replicas));
  };

  let resourceVersion = listed.resourceVersion;
  const loop = (async () => {
    while (!abort.signal.aborted) {
      for await (const event of client.watch(Resources.Pod, { namespace, labelSelector, resourceVersion, signal: abort.signal })) {
        if (event.type === 'BOOKMARK') resourceVersion = event.resourceVersion;
        else {
          resourceVersion = event.object.metadata.resourceVersion ?? resourceVersion;
          observe(event.type, event.object);
        }
      }
    }
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) failure = error instanceof Error ? error : new Error(String(error));
  });

  return {
    rows,
    beginStep(replicas) {
      const now = rows();
      step = { replicas, before: new Map(now.map((r) => [r.uid, r])), created: 0, deleted: 0, inPlace: new Set(), maxUnavailable: countUnavailable(now, replicas) };
    },
    peekMaxUnavailable: () => step?.maxUnavailable ?? 0,
    endStep() {
      const s = step;
      if (s === undefined) throw new Error('endStep without beginStep');
      step = undefined;
      const after = new Map(rows().map((r) => [r.uid, r]));
      const kept = [...s.before.values()].filter((r) => {
        const now = after.get(r.uid);
        return now !== undefined && identity(now) === identity(r);
      });
      return { created: s.created, deleted: s.deleted, updatedInPlace: s.inPlace.size, maxUnavailable: s.maxUnavailable, podsBefore: s.before.size, podsKept: kept.length };
    },
    failure: () => failure,
    async stop() {
      abort.abort();
      await loop;
    },
  };
}
