import type { InformerMetricSink } from '@kruise-ts/k8s-adapter';
import { Counter, Gauge, Histogram, exponentialBuckets, type Registry } from 'prom-client';
import type { WorkQueueMetrics } from './workQueue.js';

/** How one reconcile ended, as controller-runtime labels `controller_runtime_reconcile_total`. */
export type ReconcileOutcome = 'success' | 'error' | 'requeue' | 'requeue_after';

/** Hooks a controller calls to record its reconciles (times in seconds). */
export interface ReconcileMetrics {
  /** A reconcile ended with `outcome` after `seconds`. */
  reconciled(outcome: ReconcileOutcome, seconds: number): void;
  /** A reconcile threw; `terminal` when the error policy dropped the key. */
  failed(terminal: boolean): void;
  /** `count` workers are inside a reconcile right now. */
  activeWorkers(count: number): void;
}

/** Hooks a workload controller calls when its stale-cache guard gives up waiting. */
export interface ExpectationMetrics {
  /** Scale expectations of workload `namespace/name` timed out and were dropped. */
  scaleExpectationLeaked(namespace: string, name: string): void;
  /** A resourceVersion expectation (our own write not seen by the cache) timed out and was dropped. */
  resourceVersionExpectationTimedOut(): void;
}

/** Metric hooks bound to one Prometheus registry, per controller and per work queue. */
export interface RuntimeMetrics {
  /** Returns the hooks of controller `name` (label `controller`). */
  forController(name: string, maxConcurrentReconciles: number): ReconcileMetrics;
  /**
   * Returns the expectation hooks of workload controller `name`: `<name>_scale_expectation_leakage`
   * (OpenKruise's `cloneset_scale_expectation_leakage{namespace,name}`) and
   * `kruise_ts_resource_version_expectation_timeouts_total{controller}`.
   */
  forExpectations(name: string): ExpectationMetrics;
  /** Returns the hooks of work queue `name` (labels `name` and `controller`). */
  forWorkQueue(name: string): WorkQueueMetrics;
}

// controller-runtime's buckets, so existing dashboards and alerts carry over.
const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25,
  30, 40, 50, 60,
];
const QUEUE_BUCKETS = exponentialBuckets(1e-8, 10, 12); // 10 ns … 1000 s

type Spec<L extends string> = { readonly name: string; readonly help: string; readonly labelNames: readonly L[] };

/** Returns the metric `spec.name` of `registry`, creating and registering it on first use. */
function counter<L extends string>(registry: Registry, spec: Spec<L>): Counter<L> {
  const existing = registry.getSingleMetric(spec.name);
  return existing instanceof Counter ? (existing) : new Counter({ ...spec, registers: [registry] });
}
function gauge<L extends string>(registry: Registry, spec: Spec<L>): Gauge<L> {
  const existing = registry.getSingleMetric(spec.name);
  return existing instanceof Gauge ? (existing) : new Gauge({ ...spec, registers: [registry] });
}
function histogram<L extends string>(registry: Registry, spec: Spec<L> & { readonly buckets: number[] }): Histogram<L> {
  const existing = registry.getSingleMetric(spec.name);
  return existing instanceof Histogram ? (existing) : new Histogram({ ...spec, registers: [registry] });
}

/**
 * Returns metric hooks that record on `registry` (never the global default registry) under
 * controller-runtime's names: `controller_runtime_reconcile_total{controller,result}`,
 * `controller_runtime_reconcile_errors_total`, `controller_runtime_terminal_reconcile_errors_total`,
 * `controller_runtime_reconcile_time_seconds`, `controller_runtime_active_workers`,
 * `controller_runtime_max_concurrent_reconciles`, and `workqueue_depth`, `workqueue_adds_total`,
 * `workqueue_queue_duration_seconds`, `workqueue_work_duration_seconds`, `workqueue_retries_total`.
 * Calling it twice with one registry shares the metrics.
 */
export function createRuntimeMetrics(registry: Registry): RuntimeMetrics {
  const c = ['controller'] as const;
  const reconcileTotal = counter(registry, { name: 'controller_runtime_reconcile_total', help: 'Total number of reconciliations per controller', labelNames: ['controller', 'result'] });
  const errors = counter(registry, { name: 'controller_runtime_reconcile_errors_total', help: 'Total number of reconciliation errors per controller', labelNames: c });
  const terminal = counter(registry, { name: 'controller_runtime_terminal_reconcile_errors_total', help: 'Total number of terminal reconciliation errors per controller', labelNames: c });
  const time = histogram(registry, { name: 'controller_runtime_reconcile_time_seconds', help: 'Length of time per reconciliation per controller', labelNames: c, buckets: RECONCILE_BUCKETS });
  const active = gauge(registry, { name: 'controller_runtime_active_workers', help: 'Number of currently used workers per controller', labelNames: c });
  const max = gauge(registry, { name: 'controller_runtime_max_concurrent_reconciles', help: 'Maximum number of concurrent reconciles per controller', labelNames: c });
  const q = ['name', 'controller'] as const;
  const depth = gauge(registry, { name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames: q });
  const adds = counter(registry, { name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames: q });
  const latency = histogram(registry, { name: 'workqueue_queue_duration_seconds', help: 'How long in seconds an item stays in workqueue before being requested', labelNames: q, buckets: QUEUE_BUCKETS });
  const work = histogram(registry, { name: 'workqueue_work_duration_seconds', help: 'How long in seconds processing an item from workqueue takes.', labelNames: q, buckets: QUEUE_BUCKETS });
  const retries = counter(registry, { name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames: q });
  return {
    forController(controller, maxConcurrentReconciles) {
      const labels = { controller };
      for (const result of ['success', 'error', 'requeue', 'requeue_after'] satisfies ReconcileOutcome[]) reconcileTotal.inc({ controller, result }, 0);
      errors.inc(labels, 0);
      terminal.inc(labels, 0);
      max.set(labels, maxConcurrentReconciles);
      active.set(labels, 0);
      return {
        reconciled(result, seconds) {
          reconcileTotal.inc({ controller, result });
          time.observe(labels, seconds);
        },
        failed(isTerminal) {
          errors.inc(labels);
          if (isTerminal) terminal.inc(labels);
        },
        activeWorkers: (count) => { active.set(labels, count); },
      };
    },
    forExpectations(controller) {
      const leakage = counter(registry, { name: `${controller}_scale_expectation_leakage`, help: `${controller} scale expectations that timed out and were dropped`, labelNames: ['namespace', 'name'] });
      const rvTimeouts = counter(registry, { name: 'kruise_ts_resource_version_expectation_timeouts_total', help: 'Resource-version expectations that timed out and were dropped, per controller', labelNames: c });
      rvTimeouts.inc({ controller }, 0);
      return {
        scaleExpectationLeaked: (namespace, name) => { leakage.inc({ namespace, name }); },
        resourceVersionExpectationTimedOut: () => { rvTimeouts.inc({ controller }); },
      };
    },
    forWorkQueue(name) {
      const labels = { name, controller: name };
      return {
        depth: (value) => { depth.set(labels, value); },
        added: () => { adds.inc(labels); },
        queueLatency: (seconds) => { latency.observe(labels, seconds); },
        workDuration: (seconds) => { work.observe(labels, seconds); },
        retried: () => { retries.inc(labels); },
      };
    },
  };
}

/**
 * Counts one restart of the watch on `resource` (e.g. `pods`) for `reason` (e.g. `gone`,
 * `watchdog`) in `kruise_ts_watch_restarts_total{resource,reason}`; wire an informer's
 * `watch-restart` metric to it.
 */
export function recordWatchRestart(registry: Registry, resource: string, reason: string): void {
  counter(registry, { name: 'kruise_ts_watch_restarts_total', help: 'Total number of restarts of a watch, by resource and reason', labelNames: ['resource', 'reason'] }).inc({ resource, reason });
}

/** Where {@link informerMetricSink} reports a watch presumed cut (a pino logger fits). */
export interface WatchRestartLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

/**
 * Returns an informer `onMetric` sink that counts its watch restarts with
 * {@link recordWatchRestart}, and tells `log` (at warn) of each restart by the watchdog: a healthy
 * watch is ended by the apiserver before the idle timeout, so a watch that went silent for it
 * means a connection cut without a FIN (its connection is then checked and replaced).
 *
 * @example a pods watch silent for 5 min → `kruise_ts_watch_restarts_total{resource="pods",reason="watchdog"}` +1 and
 *   `{"level":"warn","resource":"pods","msg":"watch presumed cut: nothing received within the watch idle timeout; restarted on a new connection"}`
 */
export function informerMetricSink(registry: Registry, log?: WatchRestartLog): InformerMetricSink {
  return (metric) => {
    if (metric.kind !== 'watch-restart') return;
    recordWatchRestart(registry, metric.resource, metric.reason);
    if (metric.reason === 'watchdog') log?.warn({ resource: metric.resource }, 'watch presumed cut: nothing received within the watch idle timeout; restarted on a new connection');
  };
}

/**
 * Sets `leader_election_master_status{name}` to 1 while this process holds lease `name` and to 0
 * while it is a backup (client-go's leader-election metric).
 */
export function setLeaderElectionStatus(registry: Registry, name: string, leading: boolean): void {
  gauge(registry, {
    name: 'leader_election_master_status',
    help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease. Please make sure to group by name.",
    labelNames: ['name'],
  }).set({ name }, leading ? 1 : 0);
}
