export { listenHttp, type HttpEndpoint, type HttpHandler } from './httpEndpoint.js';
export { createProbeServer, type HealthCheck, type ProbeLogger, type ProbeServerOptions } from './probeServer.js';
export { createMetricsServer, type MetricsServerOptions, type MetricsSource } from './metricsServer.js';
export { onShutdownSignals, type ShutdownSignalOptions, type SignalTarget } from './shutdownSignals.js';
export { exitWhenDrained, type DrainedExitOptions } from './exitWhenDrained.js';
