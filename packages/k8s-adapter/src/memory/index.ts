/**
 * The in-memory cluster: the KubeClient port over an in-memory API with Kubernetes semantics,
 * simulated nodes, kubelet and scheduler, and a fake clock. Its behaviour is checked against a
 * real kube-apiserver by the contract suite (test/contract).
 */
export { createMemoryCluster, type MemoryCluster, type MemoryClusterOptions } from './memoryCluster.js';
export { createFakeClock, flushEventLoop, type FakeClock, type FakeClockOptions } from './fakeClock.js';
export type { MemoryNodeSpec } from './nodeSimulator.js';
export type { KubeletOptions, SimulatedKubelet } from './kubelet.js';
export type { ImageDigests } from './imageDigests.js';
export type { RegisterResourceOptions, ScaleSubresource } from './resourceRegistry.js';
export type { ClusterFaults, FaultHandle } from './faultInjector.js';
export { SIMULATED_FIELD_MANAGERS, type FaultWindow, type WatchDelayRule, type WatchFaultRule, type WriteFaultError, type WriteFaultRule, type WriteFilter, type WriteVerb } from './faultRules.js';
export type { WriteCountRow, WriteCounts } from './writeCounter.js';
