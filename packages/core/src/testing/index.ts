/**
 * Builders for tests of code that uses `@kruise-ts/core`: pods in any state, nodes, revisions, CloneSets, Advanced StatefulSets, Advanced DaemonSets, UnitedDeployments, BroadcastJobs.
 * Every builder is deterministic: the same options give the same object.
 *
 * @packageDocumentation
 */
export * from './time.js';
export * from './podBuilder.js';
export * from './cloneSetBuilder.js';
export * from './statefulSetBuilder.js';
export * from './daemonSetBuilder.js';
export * from './unitedDeploymentBuilder.js';
export * from './revisionBuilder.js';
export * from './simulateCloneSet.js';
export * from './simulateStatefulSet.js';
export * from './nodeBuilder.js';
export * from './simulateDaemonSet.js';
export * from './advancedCronJobBuilder.js';
export * from './broadcastJobBuilder.js';
export * from './utcCronScheduler.js';
export * from './resourceDistributionBuilder.js';
export * from './persistentPodStateBuilder.js';
export * from './podUnavailableBudgetBuilder.js';
export * from './workloadSpreadBuilder.js';
export * from './imagePullJobBuilder.js';
export * from './containerRecreateRequestBuilder.js';
export * from './podProbeMarkerBuilder.js';
