import type { Subset } from '../api/unitedDeployment.js';

/**
 * Types shared by the UnitedDeployment allocators: what each subset's child workload looks like
 * now, and the allocation they return.
 */

/** What the allocators read of an existing subset (its child workload and pods). */
export interface ObservedSubsetReplicas {
  /** The child's `spec.replicas`. */
  readonly specReplicas: number;
  /** The child's `status.replicas`. */
  readonly statusReplicas: number;
  /** The child's `status.readyReplicas`. */
  readonly readyReplicas: number;
  /** Adaptive: pods pending unschedulable past `rescheduleCriticalSeconds`. */
  readonly pendingPods: number;
  /** Adaptive: the subset counts as unschedulable this pass. */
  readonly unschedulable: boolean;
  /** Reservation: the subset was unschedulable before this pass (its `Schedulable` condition was False). */
  readonly previouslyUnschedulable: boolean;
  /** Reservation: pods kept reserved in the subset. */
  readonly reservedPods: number;
}

/** Which allocator decided (OpenKruise's `NewReplicaAllocator` choice). */
export type AllocatorKind = 'specific' | 'elastic' | 'adaptive' | 'reservation';

/**
 * Why a subset got its replicas, completing "the subset got N because …":
 * - `specified`: its `replicas` (a count or a percentage of the total);
 * - `rest-shared`: an even share of what the specified subsets left;
 * - `minimum`: its `minReplicas` and nothing more (the total ran out);
 * - `filled`: more than its minimum, up to its maximum, in subset order;
 * - `unschedulable-capped`: Adaptive, unschedulable: no more than its running pods;
 * - `running-kept`: Adaptive: its running pods are kept (not deleted to reach a lower target);
 * - `reserved`: Reservation: its reserved pods are kept, substitutes run elsewhere.
 */
export type SubsetAllocationReason = 'specified' | 'rest-shared' | 'minimum' | 'filled' | 'unschedulable-capped' | 'running-kept' | 'reserved';

/** The replicas of every subset, or why the allocation is refused. */
export type SubsetAllocation =
  | {
      readonly kind: 'allocated';
      readonly allocator: AllocatorKind;
      /** Replicas by subset name, every subset of the spec present. */
      readonly replicas: Readonly<Record<string, number>>;
      /** Why each subset got its replicas. */
      readonly reasons: Readonly<Record<string, SubsetAllocationReason>>;
    }
  | {
      readonly kind: 'invalid';
      readonly allocator: AllocatorKind;
      readonly reason: 'specified-above-total' | 'specified-below-total' | 'replicas-unset' | 'min-above-max';
      /** OpenKruise's error text. */
      readonly message: string;
    };

/** What every allocator reads. */
export interface AllocationInput {
  /** `spec.replicas` (undefined when unset). */
  readonly replicas: number | undefined;
  /** `spec.topology.subsets`, in order. */
  readonly subsets: readonly Subset[];
  /** The existing subsets by name (a subset without a child yet is absent). */
  readonly existing: Readonly<Record<string, ObservedSubsetReplicas>>;
}

/** Go's MaxInt32: a subset without `maxReplicas` has no bound. */
export const UNBOUNDED = 2_147_483_647;
