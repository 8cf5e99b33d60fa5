import type { WatchEvent } from '../ports.js';

/**
 * Why an informer started a new watch: `watch-ended` (the server closed it, e.g. its
 * timeoutSeconds), `watchdog` (no event nor bookmark for `watchdogMs`), `gone` (410: the
 * resourceVersion was compacted, so it relists), `transport-error` (connection failed or broke),
 * `error` (any other failure, e.g. forbidden).
 */
export type WatchRestartReason = 'watch-ended' | 'watchdog' | 'gone' | 'transport-error' | 'error';

/**
 * One measurement reported by an informer, to be turned into counters and gauges by the caller
 * (the controllers package wires them to prom-client). `resource` names the watched collection,
 * e.g. `pods` or `clonesets.apps.kruise.io`.
 */
export type InformerMetric =
  | { readonly kind: 'watch-restart'; readonly resource: string; readonly reason: WatchRestartReason; readonly error?: unknown }
  | { readonly kind: 'event'; readonly resource: string; readonly type: WatchEvent<never>['type'] }
  | { readonly kind: 'relist'; readonly resource: string; readonly size: number }
  | { readonly kind: 'store-size'; readonly resource: string; readonly size: number };

/** Receives {@link InformerMetric}s; must not throw and should be cheap (called per event). */
export type InformerMetricSink = (metric: InformerMetric) => void;
