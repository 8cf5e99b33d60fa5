// Moved to @kruise-ts/k8s-adapter (the daemon serves probes and metrics too).
export { createProbeServer, type HealthCheck, type ProbeServerOptions } from '@kruise-ts/k8s-adapter';
