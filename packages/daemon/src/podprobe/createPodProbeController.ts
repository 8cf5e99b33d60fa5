import type { ContainerProbeSpec, NodePodProbe, NodePodProbeStatus } from '@kruise-ts/core';
import { KruiseResources, type KubeObject } from '@kruise-ts/k8s-adapter';
import type { ContainerRuntime } from '../cri/containerRuntime.js';
import { KUBE_POD_UID_LABEL } from '../containerrecreate/planCrrDaemonSync.js';
import { createStatusWriter, type StatusWriter } from '../imagepull/createStatusWriter.js';
import { canonicalJson } from '../canonicalJson.js';
import { runNodeLoop, type DaemonLoopOptions } from '../runNodeLoop.js';
import { computeNodePodProbeStatus } from './computeNodePodProbeStatus.js';
import { createProbeResults, type ProbeResults } from './createProbeResults.js';
import { NEW_PROBE_WORKER, prepareProbe, probeTiming, recordProbeOutcome, type ProbeOutcome, type ProbeResultWrite, type ProbeWorkerState } from './probeWorkerStep.js';
import { runProbe, type ProbeTarget } from './runProbe.js';

type NppObject = NodePodProbe & KubeObject;

/** Options of {@link createPodProbeController}. */
export interface PodProbeControllerOptions extends DaemonLoopOptions {
  readonly runtime: ContainerRuntime;
  /** Runs one probe (default {@link runProbe} on `runtime`); tests script outcomes. */
  readonly probe?: ((spec: ContainerProbeSpec, target: ProbeTarget, timeoutSeconds: number, signal: AbortSignal) => Promise<ProbeOutcome>) | undefined;
  /** Status writes per second and burst (default OpenKruise's daemon limit, 0.5 and 5). */
  readonly statusLimit?: { readonly qps: number; readonly burst: number } | undefined;
  /** A number in [0, 1) for the start jitter of workers created in the first period after start (default Math.random). */
  readonly random?: (() => number) | undefined;
  /** The HTTP probes' User-Agent (default `kruise-daemon/dev kube-probe`). */
  readonly userAgent?: string | undefined;
}

/** The daemon's pod probe loop for one node. */
export interface PodProbeController {
  /** Watches the node's NodePodProbe and probes until `signal` aborts, then stops the workers. */
  run(signal: AbortSignal): Promise<void>;
  /** Whether the NodePodProbe informer has listed (OpenKruise's `nodePodProbeInformerSynced`). */
  isSynced(): boolean;
  /** Probe workers running. */
  workers(): number;
  readonly results: ProbeResults;
  readonly writer: StatusWriter;
}

/** One probe of one container of one pod (OpenKruise's probeKey). */
interface WorkerKey {
  readonly podNamespace: string;
  readonly podName: string;
  readonly podUid: string;
  readonly podIP: string;
  readonly containerName: string;
  readonly probeName: string;
}

interface Worker {
  readonly key: WorkerKey;
  spec: ContainerProbeSpec;
  state: ProbeWorkerState;
  readonly abort: AbortController;
  done: Promise<void>;
}

const keyText = (k: WorkerKey): string => JSON.stringify([k.podNamespace, k.podName, k.podUid, k.podIP, k.containerName, k.probeName]);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const handlerOf = (spec: ContainerProbeSpec): unknown => ({ exec: spec.exec, httpGet: spec.httpGet, tcpSocket: spec.tcpSocket, grpc: spec.grpc });

/**
 * Returns the pod probe loop of OpenKruise's kruise-daemon (`pkg/daemon/podprobe`) for `nodeName`:
 * it watches only that NodePodProbe (field selector) and keeps one worker per pod, container and
 * probe of its spec. A worker ticks every `periodSeconds` (at least 1; a worker created within one
 * period of the daemon's start first waits a random part of it): it finds the pod's newest container
 * of that name through CRI, skips until `initialDelaySeconds` have passed since it started, runs the
 * probe (exec through ExecSync, HTTP GET or TCP connect to the pod IP, bounded by
 * `timeoutSeconds`), and reports a result once `successThreshold`/`failureThreshold` equal outcomes
 * ran in a row. Results go to the NodePodProbe's status (probes no longer in the spec dropped) as a
 * merge patch of the status subresource, throttled and coalesced by the daemon's status writer; a
 * change of a probe's state is recorded as a KruiseProbeSucceeded/KruiseProbeFailed event on the pod.
 * Time (ticks, delays) comes from `clock`, so tests run it on a fake clock.
 *
 * @example
 * ```ts
 * const probes = createPodProbeController({ client, nodeName: 'node-a', runtime: cri, clock: systemClock() });
 * await probes.run(abort.signal);
 * ```
 */
export function createPodProbeController(options: PodProbeControllerOptions): PodProbeController {
  const { client, nodeName, runtime, clock } = options;
  // Probe and transition times go into the NodePodProbe and on to pod conditions: the apiserver's
  // time; probe periods and the container's age (CRI, this host) stay on the host's clock.
  const serverClock = options.serverClock ?? clock;
  const random = options.random ?? Math.random;
  const results = createProbeResults();
  const workers = new Map<string, Worker>();
  const startedAt = clock.now();
  let current: NppObject | undefined;
  let lastWritten: NodePodProbeStatus | undefined;
  let synced = false;
  let stopping: AbortSignal | undefined;
  const probe = options.probe ?? ((spec, target, timeoutSeconds, signal) => runProbe(runtime, spec, target, timeoutSeconds, { signal, userAgent: options.userAgent }));

  const emitTransitions = (before: NodePodProbeStatus | undefined, after: NodePodProbeStatus): void => {
    if (options.events === undefined) return;
    const was = new Map((before?.podProbeStatuses ?? []).flatMap((p) => (p.probeStates ?? []).map((s) => [`${p.uid}/${s.name}`, s.state] as const)));
    for (const pod of after.podProbeStatuses ?? []) {
      for (const state of pod.probeStates ?? []) {
        if (was.get(`${pod.uid}/${state.name}`) === state.state || (state.state !== 'Succeeded' && state.state !== 'Failed')) continue;
        options.events.emit({ subject: { apiVersion: 'v1', kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid }, type: 'Normal', reason: state.state === 'Succeeded' ? 'KruiseProbeSucceeded' : 'KruiseProbeFailed', message: state.message ?? '' });
      }
    }
  };

  const desired = (): NodePodProbeStatus | undefined => {
    if (current === undefined) return undefined;
    const status = computeNodePodProbeStatus(current, results.list(), serverClock.now());
    return canonicalJson(status) === canonicalJson(current.status ?? {}) ? undefined : status;
  };
  const writer = createStatusWriter<NodePodProbeStatus>({
    clock,
    limit: options.statusLimit,
    read: desired,
    write: async (status, signal) => {
      // Transitions from what this daemon last wrote: the informer's copy may not show that write
      // yet, and a second write in the meantime would report the same change twice.
      const before = lastWritten ?? current?.status;
      // A merge patch replaces the lists whole; null clears a status with no result left.
      await client.patch(KruiseResources.NodePodProbe, { name: nodeName }, { type: 'merge', body: { status: { podProbeStatuses: status.podProbeStatuses ?? null } } }, { subresource: 'status', signal });
      lastWritten = status;
      emitTransitions(before, status);
    },
    onError: (error) => options.log?.('warn', { err: error instanceof Error ? error.message : String(error) }, 'writing NodePodProbe status failed; retrying'),
  });

  const apply = (worker: Worker, writes: readonly ProbeResultWrite[]): void => {
    let changed = false;
    for (const write of writes) {
      if (write.kind === 'forget') results.forget(write.containerId, worker.key.probeName);
      else changed = results.set(write.containerId, { podNamespace: worker.key.podNamespace, podName: worker.key.podName, podUid: worker.key.podUid, probeName: worker.key.probeName, state: write.state, message: write.message, at: serverClock.now() }) || changed;
    }
    if (changed) writer.notify();
  };

  async function tick(worker: Worker): Promise<void> {
    const signal = worker.abort.signal;
    const { key } = worker;
    const containers = await runtime.listContainers({ labels: { [KUBE_POD_UID_LABEL]: key.podUid } }, { signal });
    const container = containers.filter((c) => c.name === key.containerName).reduce<(typeof containers)[number] | undefined>((newest, c) => (newest === undefined || c.createdAt > newest.createdAt ? c : newest), undefined);
    const prepared = prepareProbe(worker.state, container, key.containerName, worker.spec, clock.now());
    worker.state = prepared.state;
    apply(worker, prepared.writes);
    if (!prepared.probe) return;
    const outcome = await probe(worker.spec, { containerId: worker.state.containerId, podIP: key.podIP }, probeTiming(worker.spec).timeoutSeconds, signal);
    const recorded = recordProbeOutcome(worker.state, outcome, worker.spec);
    worker.state = recorded.state;
    if (recorded.write !== undefined) apply(worker, [recorded.write]);
  }

  function startWorker(key: WorkerKey, spec: ContainerProbeSpec): Worker {
    const worker: Worker = { key, spec, state: NEW_PROBE_WORKER, abort: new AbortController(), done: Promise.resolve() };
    const signal = worker.abort.signal;
    stopping?.addEventListener('abort', () => { worker.abort.abort(); }, { once: true });
    const stopped = (): boolean => signal.aborted;
    worker.done = (async () => {
      const period = (): number => probeTiming(worker.spec).periodSeconds * 1000;
      // After a daemon restart every worker would probe at once: spread the first probes.
      if (clock.now() - startedAt < period()) await clock.sleep(Math.floor(random() * period()), signal).catch(() => undefined);
      while (!stopped()) {
        try {
          await tick(worker);
        } catch (error) {
          if (stopped()) break;
          options.log?.('warn', { pod: `${key.podNamespace}/${key.podName}`, probe: key.probeName, err: error instanceof Error ? error.message : String(error) }, 'pod probe failed to run');
        }
        await clock.sleep(period(), signal).catch(() => undefined);
      }
      if (worker.state.containerId !== '') results.forget(worker.state.containerId, key.probeName);
    })();
    return worker;
  }

  /** OpenKruise's sync: a worker per probe of the spec, a changed spec handed to its worker, the others stopped. */
  function syncWorkers(npp: NppObject | undefined): void {
    const valid = new Set<string>();
    for (const podProbe of npp?.spec?.podProbes ?? []) {
      for (const p of podProbe.probes ?? []) {
        const key: WorkerKey = { podNamespace: podProbe.namespace, podName: podProbe.name, podUid: podProbe.uid, podIP: podProbe.IP, containerName: p.containerName, probeName: p.name };
        const text = keyText(key);
        valid.add(text);
        const existing = workers.get(text);
        if (existing === undefined) {
          workers.set(text, startWorker(key, p.probe));
          options.log?.('info', { pod: `${key.podNamespace}/${key.podName}`, container: key.containerName, probe: key.probeName }, 'pod probe worker started');
        } else if (!same(existing.spec, p.probe)) {
          // A new handler starts over from Unknown; timing changes keep the result.
          if (!same(handlerOf(existing.spec), handlerOf(p.probe)) && existing.state.containerId !== '') apply(existing, [{ kind: 'set', containerId: existing.state.containerId, state: 'Unknown', message: '' }]);
          existing.spec = p.probe;
        }
      }
    }
    for (const [text, worker] of workers) {
      if (valid.has(text)) continue;
      worker.abort.abort();
      workers.delete(text);
    }
    writer.notify();
  }

  return {
    results,
    writer,
    isSynced: () => synced,
    workers: () => workers.size,
    async run(signal) {
      stopping = signal;
      await runNodeLoop(options, {
        type: KruiseResources.NodePodProbe,
        select: { fieldSelector: `metadata.name=${nodeName}` },
        onEvent: (event) => {
          if (event.object.metadata.name !== nodeName) return;
          if (event.type === 'deleted') {
            current = undefined;
            syncWorkers(undefined);
            writer.reset();
            return;
          }
          const specChanged = event.type === 'added' || !same(event.previous.spec, event.object.spec) || event.object.metadata.deletionTimestamp !== undefined;
          current = event.object;
          if (specChanged) syncWorkers(event.object.metadata.deletionTimestamp === undefined ? event.object : undefined);
          else {
            // Our own write's echo, or someone else's change: write ours again only if it differs.
            writer.reset();
            writer.notify();
          }
        },
        onSynced: () => { synced = true; },
        onStop: async () => {
          for (const worker of workers.values()) worker.abort.abort();
          await Promise.allSettled([...workers.values()].map((w) => w.done));
          workers.clear();
          writer.stop();
        },
      }, signal);
    },
  };
}
