/**
 * Test helpers of `@kruise-ts/k8s-adapter`: a real etcd + kube-apiserver (+ kwok) started on
 * loopback for end-to-end tests.
 *
 * @packageDocumentation
 */
export { startTestCluster, type TestCluster, type TestClusterOptions, type TestNodeSpec } from './startTestCluster.js';
export {
  ENVTEST_BINARIES,
  ensureEnvtestBinaries,
  envtestBuildCommand,
  envtestBuildScript,
  envtestCacheDir,
  envtestVersions,
  findEnvtestBinaries,
  type EnvtestBinary,
  type EnvtestVersions,
  type ProgressSink,
} from './envtestBinaries.js';
export { TestClusterError, type TestClusterFailure } from './testClusterError.js';
export { findProcesses, onAbnormalExit, startProcess, type ManagedProcess, type ProcessExit } from './managedProcess.js';
export { freePort } from './freePort.js';
export { pollUntil } from './pollUntil.js';
export { kwokStagesDir } from './componentArgs.js';
export { installCrds } from './installCrds.js';
export { AUDIT_POLICY, parseAuditLog, readAuditLog, type AuditEvent } from './auditLog.js';
export { startFaultProxy, type FaultProxy } from './startFaultProxy.js';
export { seededRandom } from './seededRandom.js';
export { listenOnLoopback } from './listenOnLoopback.js';
