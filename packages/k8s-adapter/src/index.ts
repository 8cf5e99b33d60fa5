/**
 * `@kruise-ts/k8s-adapter`: the ports the kruise-ts controllers use to talk to Kubernetes, and
 * their implementation on `@kubernetes/client-node`.
 *
 * @packageDocumentation
 */
export * from './ports.js';
export * from './errors.js';
export * from './resourceType.js';
export { KruiseResources, kruiseCrdName } from './kruiseResources.js';
export { createKubeClient, type KubeClientOptions } from './client/createKubeClient.js';
export type { DroppedConnection } from './client/createApiConnections.js';
export { loadKubeConfig } from './client/loadKubeConfig.js';
export { chooseKubeConfigSource, SERVICE_ACCOUNT_TOKEN, type KubeConfigLookup, type KubeConfigSource } from './client/chooseKubeConfigSource.js';
export { evictPod } from './client/evictPod.js';
export type { KubeConfig } from '@kubernetes/client-node';
export { createTokenBucket, type RateLimit, type AcquireToken } from './client/tokenBucket.js';
export { createCertificateAuthority, issueCertificate, generateKeyPairPem, type CertificateAuthority, type CertificateRequest, type PemKeyPair } from './pki/certificates.js';
export { systemClock } from './client/systemClock.js';
export { createServerClock, latestServerStamp, type ServerClock, type ServerClockOptions } from './client/createServerClock.js';
export { probeServerClock, type ServerClockProbeOptions } from './client/probeServerClock.js';
export { SERVER_TIME_GRANULARITY_MS, estimateClockOffset, type ClockOffsetEstimate, type ServerTimeSample } from './client/estimateClockOffset.js';
export * from './watch/index.js';
export * from './expectations/index.js';
export * from './leaderElection/index.js';
export * from './server/index.js';
export * from './memory/index.js';
export { cronerScheduler, cronerPattern } from './cron/cronerScheduler.js';
export { createEventRecorder, type EventRecorder, type EventRecorderOptions } from './events/eventRecorder.js';
export type { EventCorrelatorOptions } from './events/eventCorrelator.js';
