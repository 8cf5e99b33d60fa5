import { NotFoundError } from '../errors.js';
import type { KubeClient } from '../ports.js';
import { defineResource, type KubeObject } from '../resourceType.js';

/** A `coordination.k8s.io/v1` Lease (the fields leader election reads and writes). */
export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    /** MicroTime: RFC 3339 with microseconds, e.g. `2026-11-02T10:00:00.123000Z`. */
    acquireTime?: string;
    /** MicroTime, as `acquireTime`. */
    renewTime?: string;
    leaseTransitions?: number;
    [field: string]: unknown;
  };
}

/** The typed resource of {@link Lease}. */
export const Leases = defineResource<Lease>({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true });

/** client-go's `LeaderElectionRecord`: who holds the lease, for how long, and since when. */
export interface LeaderElectionRecord {
  /** Identity of the holder; `''` when free (released). */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  /** MicroTime the holder acquired the lease. */
  readonly acquireTime: string;
  /** MicroTime of the holder's last renewal. */
  readonly renewTime: string;
  /** How many times the holder changed. */
  readonly leaseTransitions: number;
}

/**
 * Returns a Kubernetes MicroTime for epoch milliseconds: RFC 3339 in UTC with six fraction
 * digits, which the apiserver requires for Lease times (client-node #828).
 *
 * @example toMicroTime(1_700_000_000_123) → '2023-11-14T22:13:20.123000Z'
 */
export function toMicroTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Returns the election record a Lease holds (missing fields as `''` and `0`). */
export function recordOfLease(lease: Lease): LeaderElectionRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    acquireTime: spec.acquireTime ?? '',
    renewTime: spec.renewTime ?? '',
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

/** Returns a canonical string of a record, to tell whether the lease changed since last seen. */
export function recordFingerprint(record: LeaderElectionRecord): string {
  return [record.holderIdentity, record.leaseDurationSeconds, record.acquireTime, record.renewTime, record.leaseTransitions].join('|');
}

/** Reads, creates and updates one Lease; the update carries the resourceVersion last read (a precondition). */
export interface LeaseLock {
  /** Returns the lease, or undefined when it does not exist. */
  get(signal?: AbortSignal): Promise<Lease | undefined>;
  /** Creates the lease holding `record` (fails with AlreadyExistsError when another candidate was first). */
  create(record: LeaderElectionRecord, signal?: AbortSignal): Promise<Lease>;
  /** Replaces the spec of `lease` (fails with a ConflictError when someone wrote since). */
  update(lease: Lease, record: LeaderElectionRecord, signal?: AbortSignal): Promise<Lease>;
}

/** Returns the {@link LeaseLock} of Lease `namespace/name`. */
export function createLeaseLock(client: KubeClient, namespace: string, name: string): LeaseLock {
  return {
    async get(signal) {
      try {
        return await client.get(Leases, { name, namespace }, signal === undefined ? {} : { signal });
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
    create: (record, signal) => client.create(Leases, { metadata: { name, namespace }, spec: { ...record } }, { signal }),
    update: (lease, record, signal) => client.replace(Leases, { ...lease, spec: { ...lease.spec, ...record } }, { signal }),
  };
}
