import { afterAll, beforeAll, expect, vi } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Resources, createEventRecorder, createSharedInformerFactory, systemClock, type KubeClient } from '@kruise-ts/k8s-adapter';
import { startTestCluster, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { Registry } from 'prom-client';
import { createCloneSetController, type CloneSetController } from '../../src/cloneset/createCloneSetController.js';
import { parseFeatureGates } from '../../src/manager/featureGates.js';
import { createLogger, type LogLevel } from '../../src/runtime/logger.js';
import { createRuntimeMetrics } from '../../src/runtime/metrics.js';
import { ALL_CRDS } from './allCrds.js';
import { LONG_WAIT } from './cloneSetManifest.js';

// The e2e test cluster and the CloneSet controller run in this process, and what the controller's
// metrics say about its work (ControllerSignals), so tests wait on it instead of sleeping.

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
