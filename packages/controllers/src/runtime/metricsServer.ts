// Moved to @kruise-ts/k8s-adapter (the daemon serves probes and metrics too).
export { createMetricsServer, type MetricsServerOptions } from '@kruise-ts/k8s-adapter';
