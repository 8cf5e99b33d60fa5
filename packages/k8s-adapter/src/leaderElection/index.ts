/**
 * Leader election over a `coordination.k8s.io/v1` Lease, compatible in behaviour with client-go.
 *
 * @packageDocumentation
 */
export { NotLeaderError, fenceWrites } from './fenceWrites.js';
export { createLeaderElector, type LeaderElector, type LeaderElectorOptions } from './createLeaderElector.js';
export { Leases, createLeaseLock, recordOfLease, toMicroTime, type LeaderElectionRecord, type Lease, type LeaseLock } from './lease.js';
