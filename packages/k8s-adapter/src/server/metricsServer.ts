import { listenHttp, type HttpEndpoint } from './httpEndpoint.js';

/** What the metrics server reads: a prom-client `Registry` fits. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** Options of {@link createMetricsServer}. */
export interface MetricsServerOptions {
  /** Address to listen on (`0.0.0.0` in a pod, `127.0.0.1` in tests). */
  readonly host: string;
  /** Port to listen on; 0 lets the OS pick one. */
  readonly port: number;
  /** The registry to expose (the one given to `createRuntimeMetrics`). */
  readonly registry: MetricsSource;
}

/** Returns a listening server answering `GET /metrics` with `registry` in the Prometheus text format. */
export function createMetricsServer(options: MetricsServerOptions): Promise<HttpEndpoint> {
  return listenHttp(options, async (_request, url) =>
    url.pathname === '/metrics'
      ? { status: 200, contentType: options.registry.contentType, body: await options.registry.metrics() }
      : { status: 404, contentType: 'text/plain; charset=utf-8', body: 'not found\n' },
  );
}
