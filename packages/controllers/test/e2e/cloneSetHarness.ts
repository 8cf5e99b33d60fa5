import { afterAll, beforeAll, expect, vi } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { CloneSet, PersistentVolumeClaim, Pod } from '@kruise-ts/core';
import { NotFoundError, Resources, createEventRecorder, createSharedInformerFactory, systemClock, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { startTestCluster, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { Registry } from 'prom-client';
import { createCloneSetController, type CloneSetController } from '../../src/cloneset/createCloneSetController.js';
import { parseFeatureGates } from '../../src/manager/featureGates.js';
import { createLogger, type LogLevel } from '../../src/runtime/logger.js';
import { createRuntimeMetrics } from '../../src/runtime/metrics.js';
import { ALL_CRDS } from './allCrds.js';

export const crdFile = fileURLToPath(new URL('../../../../deploy/crds/apps.kruise.io_clonesets.yaml', import.meta.url));

/**
 * Starts a test cluster with the CloneSet, SidecarSet, Advanced StatefulSet, Advanced DaemonSet and AdvancedCronJob CRDs, 3 kwok nodes, a scheduler and
 * garbage collection; `apiServerArgs` are extra kube-apiserver flags, `audit` logs every write (`cluster.auditEvents()`).
 */
export function startCloneSetCluster(options: { apiServerArgs?: readonly string[]; audit?: boolean } = {}): Promise<TestCluster> {
  return startTestCluster({ nodes: 3, controllerManager: true, scheduler: true, crds: ALL_CRDS, ...options });
}

/**
 * Registers `beforeAll`/`afterAll` hooks that start a CloneSet test cluster and the controller in
 * this process (with `featureGates`, e.g. `RecreatePodWhenChangeVCTInCloneSetGate=true`), and stop
 * both; read `env.cluster` and the controller's `env.signals` inside the tests.
 */
export function useCloneSetCluster(options: { apiServerArgs?: readonly string[]; featureGates?: string } = {}): { readonly cluster: TestCluster; readonly signals: ControllerSignals } {
  const env = { cluster: undefined as unknown as TestCluster, signals: undefined as unknown as ControllerSignals };
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    env.cluster = await startCloneSetCluster(options.apiServerArgs === undefined ? {} : { apiServerArgs: options.apiServerArgs });
    ({ stop, signals: env.signals } = runCloneSetController(env.cluster.client, options.featureGates));
  });
  afterAll(async () => {
    await stop?.();
    await env.cluster.stop();
  });
  return env;
}

/**
 * Runs the CloneSet controller in this process against `client`, its metrics on a registry of its
 * own; returns a stop function and the controller's {@link ControllerSignals}.
 */
export function runCloneSetController(client: KubeClient, featureGates = ''): { stop: () => Promise<void>; controller: CloneSetController; signals: ControllerSignals } {
  const clock = systemClock();
  const gates = parseFeatureGates(featureGates);
  if (gates.kind !== 'ok') throw new Error(gates.problems.join('; '));
  const informers = createSharedInformerFactory(client, { clock });
  const events = createEventRecorder({ client, component: 'kruise-ts-manager', clock });
  // KRUISE_TS_TEST_LOG=debug shows the controller's logs on stderr.
  const logger = createLogger({ level: (process.env.KRUISE_TS_TEST_LOG ?? 'silent') as LogLevel, destination: process.stderr });
  const registry = new Registry();
  const controller = createCloneSetController({ client, clock, informers, events, featureGates: gates.gates, logger, metrics: createRuntimeMetrics(registry) });
  const abort = new AbortController();
  const running = controller.controller.start(abort.signal);
  return {
    controller,
    signals: controllerSignals(() => Promise.resolve(registrySamples(registry)), 'cloneset'),
    stop: async () => {
      abort.abort();
      await running.catch(() => undefined);
      await controller.stop();
      informers.stopAll();
    },
  };
}

/** One sample of a Prometheus metric: its labels and value. */
export interface MetricSample {
  readonly labels: Readonly<Partial<Record<string, string | number>>>;
  readonly value: number;
}

/** Reads the samples of metric `name` (none when it is not registered). */
export type MetricSource = (name: string) => Promise<readonly MetricSample[]>;

/** Returns a {@link MetricSource} over an in-process prom-client registry. */
export function registrySamples(registry: Registry): MetricSource {
  return async (name) => (await registry.getSingleMetric(name)?.get())?.values ?? [];
}

/**
 * Returns the samples of the Prometheus text exposition `text` (what a `/metrics` endpoint serves)
 * as a {@link MetricSource}.
 *
 * @example metricsFromText('workqueue_depth{name="cloneset",controller="cloneset"} 0\n')('workqueue_depth')
 *   // [{ labels: { name: 'cloneset', controller: 'cloneset' }, value: 0 }]
 */
export function metricsFromText(text: string): MetricSource {
  const samples = new Map<string, MetricSample[]>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
    const list = samples.get(match[1] ?? '') ?? [];
    list.push({ labels, value: Number(match[3]) });
    samples.set(match[1] ?? '', list);
  }
  return (name) => Promise.resolve(samples.get(name) ?? []);
}

/**
 * What a controller's own metrics say about its work, so that a test proves "nothing more
 * happens" by waiting for the controller rather than sleeping: read from
 * `controller_runtime_reconcile_total`, `workqueue_depth` and `controller_runtime_active_workers`
 * of the controller. The counts are per controller, not per object: they tell about the object
 * under test when it is the only one changing (the tests of a file run one after the other, each
 * leaving its objects settled).
 */
export interface ControllerSignals {
  /** Reconciles the controller has finished so far, whatever their result. */
  reconciles(): Promise<number>;
  /** Whether no key waits in its work queue and no reconcile runs (keys delayed by `addAfter` or a backoff do not count). */
  idle(): Promise<boolean>;
  /**
   * Resolves once at least `count` reconciles finished since `since` (an earlier `reconciles()`)
   * and the controller is idle: every pass those reconciles made, writes included, is over.
   */
  waitForReconciles(since: number, count: number): Promise<void>;
}

/**
 * Returns the {@link ControllerSignals} of controller `controller` (e.g. `cloneset`); `read` gives
 * a fresh reading of the metrics each time (the registry, or a `/metrics` scrape).
 */
export function controllerSignals(read: () => Promise<MetricSource>, controller: string): ControllerSignals {
  const sum = async (source: MetricSource, name: string, labels: Readonly<Record<string, string>>): Promise<number> =>
    (await source(name)).filter((s) => Object.entries(labels).every(([k, v]) => String(s.labels[k]) === v)).reduce((n, s) => n + s.value, 0);
  const signals: ControllerSignals = {
    reconciles: async () => sum(await read(), 'controller_runtime_reconcile_total', { controller }),
    async idle() {
      const source = await read();
      return (await sum(source, 'workqueue_depth', { controller })) === 0 && (await sum(source, 'controller_runtime_active_workers', { controller })) === 0;
    },
    async waitForReconciles(since, count) {
      // Idle at two readings in a row with no reconcile in between: not a glimpse between the end
      // of a reconcile and its key being queued again.
      let idleAt: number | undefined;
      await vi.waitFor(async () => {
        const source = await read();
        const total = await sum(source, 'controller_runtime_reconcile_total', { controller });
        const idle = (await sum(source, 'workqueue_depth', { controller })) === 0 && (await sum(source, 'controller_runtime_active_workers', { controller })) === 0;
        const previous = idleAt;
        idleAt = idle ? total : undefined;
        expect(total).toBeGreaterThanOrEqual(since + count);
        expect(idle).toBe(true);
        expect(previous).toBe(total);
      }, LONG_WAIT);
    },
  };
  return signals;
}

/**
 * Wakes the controller of CloneSet `name` without asking anything of it (an annotation changes),
 * `times` times, and resolves once it has finished at least that many reconciles since and is
 * idle: passes that looked at everything as it is now, and are over.
 */
export async function pokeAndSettle(client: KubeClient, signals: ControllerSignals, namespace: string, name: string, times = 2): Promise<void> {
  for (let i = 0; i < times; i++) {
    const before = await signals.reconciles();
    await client.patch(Resources.CloneSet, { name, namespace }, { type: 'merge', body: { metadata: { annotations: { 'kruise-ts.test/poke': `${String(Date.now())}-${String(i)}` } } } });
    await signals.waitForReconciles(before, 1);
  }
}

export type CloneSetObject = CloneSet & KubeObject;

/** Returns a v1beta1 CloneSet manifest for `name` in `namespace`. */
export function cloneSetManifest(name: string, namespace: string, spec: Partial<CloneSet['spec']> = {}): CloneSetObject {
  return {
    apiVersion: 'apps.kruise.io/v1beta1',
    kind: 'CloneSet',
    metadata: { name, namespace },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
      ...spec,
    },
  };
}

/** Returns the pods of CloneSet `name` (by its selector label). */
export async function podsOf(client: KubeClient, namespace: string, name: string): Promise<(Pod & KubeObject)[]> {
  return (await client.list(Resources.Pod, { namespace, labelSelector: `app=${name}` })).items;
}

/** Returns whether the pod's Ready condition is True. */
export const isReady = (pod: Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

// ---------------------------------------------------------------------------------------------
// Helpers shared by the CloneSet e2e files (scale, in-place, recreate, PVC).

export type PodObject = Pod & KubeObject;

/** Generous wait for a condition on a loaded 2-core machine. */
export const LONG_WAIT = { timeout: 120_000, interval: 250 } as const;

/** Creates namespace `name` (each test works in its own). */
export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** Returns the CloneSet `name` in `namespace`. */
export function getCloneSet(client: KubeClient, namespace: string, name: string): Promise<CloneSetObject> {
  return client.get(Resources.CloneSet, { name, namespace });
}

/** Merge-patches the CloneSet's spec (e.g. `{ replicas: 10 }`). */
export function patchCloneSetSpec(client: KubeClient, namespace: string, name: string, spec: Record<string, unknown>): Promise<CloneSetObject> {
  return client.patch(Resources.CloneSet, { name, namespace }, { type: 'merge', body: { spec } });
}

/** Returns the condition `type` of the pod. */
export const podCondition = (pod: Pod, type: string) => pod.status?.conditions?.find((c) => c.type === type);

/** Returns whether the pod has a deletionTimestamp. */
export const isTerminating = (pod: Pod): boolean => pod.metadata.deletionTimestamp !== undefined;

/**
 * Returns whether the pod is available in the sense the e2e tests check budgets with: Ready
 * True for at least `minReadySeconds` at `now` (by the Ready condition's lastTransitionTime, the
 * same second-precision time the controller reads), `InPlaceUpdateReady` not False, not terminating.
 */
export function isAvailableAt(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (isTerminating(pod)) return false;
  const ready = podCondition(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (podCondition(pod, 'InPlaceUpdateReady')?.status === 'False') return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return Number.isFinite(since) && now - since >= minReadySeconds * 1000;
}

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

/** The Events recorded on CloneSet `name` with `reason` (`count` as aggregated by the recorder). */
export async function cloneSetEvents(client: KubeClient, namespace: string, name: string, reason?: string): Promise<{ type: string; reason: string; message: string; count: number }[]> {
  type CoreEvent = { involvedObject: { kind: string; name: string }; type: string; reason: string; message: string; count?: number };
  const events = (await client.list(Resources.Event, { namespace })).items as unknown as CoreEvent[];
  return events
    .filter((e) => e.involvedObject.kind === 'CloneSet' && e.involvedObject.name === name && (reason === undefined || e.reason === reason))
    .map((e) => ({ type: e.type, reason: e.reason, message: e.message, count: e.count ?? 1 }));
}

/**
 * Plays the storage side for the PVCs of `namespace` (the test cluster runs no PV controller and
 * no provisioner): each new claim gets a hostPath PersistentVolume bound to it, both ways, as the
 * PV binder would do it, so the scheduler places pods that mount it. Returns a stop function.
 */
export function bindClaims(client: KubeClient, namespace: string): { stop: () => Promise<void> } {
  const abort = new AbortController();
  const bound = new Set<string>();
  let failure: Error | undefined;
  const bind = async (pvc: PersistentVolumeClaim & KubeObject): Promise<void> => {
    const uid = pvc.metadata.uid ?? '';
    if (bound.has(uid) || (pvc.spec?.volumeName ?? '') !== '' || pvc.metadata.deletionTimestamp !== undefined) return;
    bound.add(uid);
    const pvName = `pv-${uid}`;
    const capacity = { storage: pvc.spec?.resources?.requests?.storage ?? '1Gi' };
    const accessModes = pvc.spec?.accessModes ?? ['ReadWriteOnce'];
    await client.request('POST', '/api/v1/persistentvolumes', {
      body: {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: pvName },
        spec: {
          capacity,
          accessModes,
          persistentVolumeReclaimPolicy: 'Retain',
          hostPath: { path: `/tmp/${pvName}` },
          claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name: pvc.metadata.name, uid },
        },
      },
    });
    await client.request('PATCH', `/api/v1/persistentvolumes/${pvName}/status`, { body: { status: { phase: 'Bound' } }, contentType: 'application/merge-patch+json' });
    const key = { name: pvc.metadata.name ?? '', namespace };
    await client.patch(Resources.PersistentVolumeClaim, key, { type: 'merge', body: { metadata: { annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } }, spec: { volumeName: pvName } } });
    await client.patch(Resources.PersistentVolumeClaim, key, { type: 'merge', body: { status: { phase: 'Bound', accessModes, capacity } } }, { subresource: 'status' });
  };
  const loop = (async () => {
    while (!abort.signal.aborted) {
      for await (const event of client.watch(Resources.PersistentVolumeClaim, { namespace, signal: abort.signal })) {
        if (event.type === 'ADDED' || event.type === 'MODIFIED') {
          await bind(event.object).catch((error: unknown) => {
            if (!(error instanceof NotFoundError)) throw error;
          });
        }
      }
    }
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) failure = error instanceof Error ? error : new Error(String(error));
  });
  return {
    /** Stops binding; rethrows what made binding fail, if anything did. */
    stop: async () => {
      abort.abort();
      await loop;
      if (failure !== undefined) throw failure;
    },
  };
}
