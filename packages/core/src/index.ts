/**
 * `@kruise-ts/core`: OpenKruise's API as zod schemas and the pure functions that decide what a
 * workload controller does next. No I/O, no clock, no randomness: time, feature gates and random
 * suffixes are arguments.
 *
 * @packageDocumentation
 */
export * from './api/index.js';
export * from './shared/index.js';
export * from './inplace/index.js';
export * from './workload/index.js';
export * from './cloneset/index.js';
export * from './sidecarset/index.js';
export * from './statefulset/index.js';
export * from './daemonset/index.js';
export * from './cron/index.js';
export * from './uniteddeployment/index.js';
export * from './advancedcronjob/index.js';
export * from './broadcastjob/index.js';
export * from './ephemeraljob/index.js';
export * from './resourcedistribution/index.js';
export * from './imagepulljob/index.js';
export * from './containerrecreaterequest/index.js';
export * from './podprobemarker/index.js';
export * from './persistentpodstate/index.js';
export * from './pub/index.js';
export * from './workloadspread/index.js';
export * from './protection/index.js';
export * from './launchpriority/index.js';
export * from './sidecarterminator/index.js';
