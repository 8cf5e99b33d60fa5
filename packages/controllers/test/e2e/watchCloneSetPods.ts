import type { Pod } from '@kruise-ts/core';
import { Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { isAvailableAt, isTerminating, podCondition, type PodObject } from './cloneSetManifest.js';

// A watch on the pods of one CloneSet, and what tests hang on it: the most pods unavailable at
// once, and readiness gates set the way a warming-up application would.

/** The pods a {@link PodWatch} saw, by name, after each event. */
export type PodSnapshot = ReadonlyMap<string, PodObject>;

/**
 * A watch on the pods of one CloneSet from a known resourceVersion: keeps the current pods by
 * name and calls every `onChange` listener after each event, so a test can check an invariant
 * at every state the apiserver went through (not only at the moments it polls).
 */
export interface PodWatch {
  /** The pods as of the last event. */
  readonly pods: PodSnapshot;
  /** Number of ADDED/MODIFIED/DELETED events seen. */
  readonly eventCount: () => number;
  /** Events seen, in order (type, pod name, resourceVersion). */
  readonly events: readonly { type: string; name: string; resourceVersion: string }[];
  /** Called with the pods after every event. */
  onChange(listener: (pods: PodSnapshot, event: { type: string; pod: PodObject }) => void): void;
  /** Stops watching; rethrows what broke the watch (a listener or the stream), if anything did. */
  stop(): Promise<void>;
}

/** Starts a {@link PodWatch} on the pods of CloneSet `name` (label `app=<name>`), listing them first. */
export async function watchCloneSetPods(client: KubeClient, namespace: string, name: string): Promise<PodWatch> {
  const labelSelector = `app=${name}`;
  const listed = await client.list(Resources.Pod, { namespace, labelSelector });
  const pods = new Map(listed.items.map((p) => [p.metadata.name ?? '', p]));
  const events: { type: string; name: string; resourceVersion: string }[] = [];
  const listeners: ((pods: PodSnapshot, event: { type: string; pod: PodObject }) => void)[] = [];
  const abort = new AbortController();
  let failure: Error | undefined;
  let resourceVersion = listed.resourceVersion;
  const loop = (async () => {
    // A watch may end when the server's timeout passes: resume from the last resourceVersion.
    while (!abort.signal.aborted) {
      for await (const event of client.watch(Resources.Pod, { namespace, labelSelector, resourceVersion, signal: abort.signal })) {
        if (event.type === 'BOOKMARK') {
          resourceVersion = event.resourceVersion;
          continue;
        }
        const pod = event.object;
        const podName = pod.metadata.name ?? '';
        resourceVersion = pod.metadata.resourceVersion ?? resourceVersion;
        if (event.type === 'DELETED') pods.delete(podName);
        else pods.set(podName, pod);
        events.push({ type: event.type, name: podName, resourceVersion: pod.metadata.resourceVersion ?? '' });
        for (const listener of listeners) listener(pods, { type: event.type, pod });
      }
    }
  })().catch((error: unknown) => {
    if (abort.signal.aborted) return;
    failure = error instanceof Error ? error : new Error(String(error));
  });
  return {
    pods,
    events,
    eventCount: () => events.length,
    onChange: (listener) => listeners.push(listener),
    async stop() {
      abort.abort();
      await loop;
      if (failure !== undefined) throw failure;
    },
  };
}

/**
 * Tracks the most pods of a CloneSet unavailable at once, from a {@link PodWatch}: existing pods
 * that are not available ({@link isAvailableAt}); with `replicas`, pods missing below `replicas`
 * count as unavailable too (a recreate deletes before it creates).
 */
export function trackUnavailable(watch: PodWatch, options: { minReadySeconds?: number; replicas?: number }): { max: () => number; history: () => readonly number[] } {
  let max = 0;
  const history: number[] = [];
  const minReadySeconds = options.minReadySeconds ?? 0;
  watch.onChange((pods) => {
    const now = Date.now();
    const live = [...pods.values()].filter((p) => !isTerminating(p));
    const available = live.filter((p) => isAvailableAt(p, minReadySeconds, now)).length;
    const missing = options.replicas === undefined ? 0 : Math.max(options.replicas - live.length, 0);
    const unavailable = live.length - available + missing;
    if (history.at(-1) !== unavailable) history.push(unavailable);
    max = Math.max(max, unavailable);
  });
  return { max: () => max, history: () => history };
}

/** Sets a custom readiness-gate condition of the pod to True (status subresource). */
export async function setPodCondition(client: KubeClient, pod: Pod, type: string, status: 'True' | 'False'): Promise<void> {
  const condition = { type, status, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
  await client.patch(Resources.Pod, { name: pod.metadata.name ?? '', namespace: pod.metadata.namespace }, { type: 'strategic', body: { status: { conditions: [condition] } } }, { subresource: 'status' });
}

/**
 * Plays an application that warms up: once a pod of the watch runs, waits `delayMs` and sets its
 * readiness gate `gate` to True, so the pod becomes Ready only then (kwok honours readiness gates).
 */
export function warmUpPods(client: KubeClient, watch: PodWatch, gate: string, delayMs: number): { stop: () => void } {
  const scheduled = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  watch.onChange((pods) => {
    for (const pod of pods.values()) {
      const uid = pod.metadata.uid ?? '';
      if (scheduled.has(uid) || isTerminating(pod) || pod.status?.phase !== 'Running' || podCondition(pod, gate)?.status === 'True') continue;
      scheduled.add(uid);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (stopped) return;
        setPodCondition(client, pod, gate, 'True').catch(() => {
          scheduled.delete(uid); // gone meanwhile, or a conflict: the next event tries again
        });
      }, delayMs);
      timers.add(timer);
    }
  });
  return {
    stop: () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
