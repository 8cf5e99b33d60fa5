/**
 * The controller runtime: work queue, controller loop, watch helpers, metrics, probes, logs,
 * Kubernetes Events and graceful shutdown.
 *
 * @packageDocumentation
 */
export { createWorkQueue, type WorkQueue, type WorkQueueItem, type WorkQueueMetrics, type WorkQueueOptions } from './workQueue.js';
export {
  createRequeueRateLimiter,
  createTokenReservation,
  exponentialBackoffMs,
  DEFAULT_BACKOFF,
  DEFAULT_QUEUE_RATE_LIMIT,
  type BackoffOptions,
  type QueueRateLimit,
  type RequeueRateLimiter,
} from './rateLimiter.js';
export { createController, type Controller, type ControllerOptions, type ControllerState, type ReconcileContext, type ReconcileResult, type Reconciler } from './createController.js';
export { runningController, type ControllerDeps, type RunningController } from './controllerDeps.js';
export { TerminalError, isTerminalError } from './terminalError.js';
export { defaultErrorPolicy, type ErrorDecision, type ErrorPolicy } from './errorPolicy.js';
export { enqueueMapped, enqueueObject, enqueueOwner, objectKeyOf, parseObjectKey, type EnqueueOwnerOptions, type OwnerKind, type WatchSource, type WatchSourceOptions } from './watches.js';
export { anyPredicate, generationChanged, labelsChanged, resourceVersionChanged, type EventPredicate } from './predicates.js';
export { createRuntimeMetrics, informerMetricSink, recordWatchRestart, setLeaderElectionStatus, type WatchRestartLog, type ExpectationMetrics, type ReconcileMetrics, type ReconcileOutcome, type RuntimeMetrics } from './metrics.js';
export type { HttpEndpoint } from './httpEndpoint.js';
export { createProbeServer, type HealthCheck, type ProbeServerOptions } from './probeServer.js';
export { createMetricsServer, type MetricsServerOptions } from './metricsServer.js';
export { createLogger, type Logger, type LoggerOptions, type LogLevel } from './logger.js';
// The correlating event recorder lives in the adapter (the daemon records with it too); re-exported here as before.
export { createEventRecorder, type EventRecorder, type EventRecorderOptions, type EventCorrelatorOptions } from '@kruise-ts/k8s-adapter';
export { onShutdownSignals, type ShutdownSignalOptions, type SignalTarget } from './shutdownSignals.js';
