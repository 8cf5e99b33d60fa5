import type { UnitedDeploymentScheduleStrategy } from '../api/unitedDeployment.js';
import { allocateElasticReplicas } from './allocateElasticReplicas.js';
import { allocateReservedReplicas } from './allocateReservedReplicas.js';
import { allocateSpecifiedReplicas } from './allocateSpecifiedReplicas.js';
import type { AllocationInput, SubsetAllocation } from './subsetAllocation.js';

/** Returns whether the schedule strategy is Adaptive. */
export function isAdaptive(strategy: UnitedDeploymentScheduleStrategy | undefined): boolean {
  return strategy?.type === 'Adaptive';
}

/** Returns whether the schedule strategy keeps unschedulable pods reserved (Adaptive with `reserveUnschedulablePods`). */
export function reservesUnschedulablePods(strategy: UnitedDeploymentScheduleStrategy | undefined): boolean {
  return isAdaptive(strategy) && strategy?.adaptive?.reserveUnschedulablePods === true;
}

/**
 * Returns the replicas of every subset of a UnitedDeployment and why, choosing the allocator as
 * OpenKruise's `NewReplicaAllocator` does: reservation (Adaptive with `reserveUnschedulablePods`),
 * else adaptive elastic (Adaptive), else elastic (some subset with `minReplicas`/`maxReplicas`),
 * else specific (`replicas` per subset, the rest shared).
 *
 * @example replicas 10, a '20%', b 3, c (Fixed) → { kind: 'allocated', allocator: 'specific', replicas: { a: 2, b: 3, c: 5 } }
 */
export function allocateSubsetReplicas(input: AllocationInput & { readonly scheduleStrategy?: UnitedDeploymentScheduleStrategy | undefined }): SubsetAllocation {
  if (reservesUnschedulablePods(input.scheduleStrategy)) return allocateReservedReplicas(input);
  if (isAdaptive(input.scheduleStrategy)) return allocateElasticReplicas(input, true);
  if (input.subsets.some((s) => s.minReplicas !== undefined || s.maxReplicas !== undefined)) return allocateElasticReplicas(input, false);
  return allocateSpecifiedReplicas(input);
}
