import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * How a request to the webhook server ended: `allowed`, `patched` (allowed with a patch), `denied`
 * (by the handler), `failed` (the handler threw or timed out: a denial), `converted`,
 * `conversion-failed`, or `rejected` (a 4xx before any handler: method, content type, size, JSON).
 */
export type WebhookOutcome = 'allowed' | 'patched' | 'denied' | 'failed' | 'converted' | 'conversion-failed' | 'rejected';

/** Records one request of the webhook server. */
export type WebhookMetricSink = (webhook: string, outcome: WebhookOutcome, seconds: number) => void;

// Sub-millisecond to 10 s: admission answers are expected in single-digit milliseconds.
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Returns a sink recording on `registry` `kruise_ts_webhook_requests_total{webhook,outcome}` and
 * `kruise_ts_webhook_request_duration_seconds{webhook,outcome}`, where `webhook` is the path served
 * (`/validate-apps-kruise-io-cloneset`, `/convert`) or `unknown`. Calling it twice with one registry
 * shares the metrics.
 */
export function createWebhookMetrics(registry: Registry): WebhookMetricSink {
  const labelNames = ['webhook', 'outcome'] as const;
  const total = registry.getSingleMetric('kruise_ts_webhook_requests_total');
  const duration = registry.getSingleMetric('kruise_ts_webhook_request_duration_seconds');
  const counter =
    total instanceof Counter
      ? (total as Counter<(typeof labelNames)[number]>)
      : new Counter({ name: 'kruise_ts_webhook_requests_total', help: 'Requests to the webhook server, by path and outcome', labelNames, registers: [registry] });
  const histogram =
    duration instanceof Histogram
      ? (duration as Histogram<(typeof labelNames)[number]>)
      : new Histogram({ name: 'kruise_ts_webhook_request_duration_seconds', help: 'Time to answer a webhook request, by path and outcome', labelNames, buckets: BUCKETS, registers: [registry] });
  return (webhook, outcome, seconds) => {
    counter.inc({ webhook, outcome });
    histogram.observe({ webhook, outcome }, seconds);
  };
}
