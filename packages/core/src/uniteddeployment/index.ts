/**
 * UnitedDeployment: replica allocation over subsets (OpenKruise's allocators), the Adaptive
 * strategy's subset schedulability, and the pass planner.
 *
 * @packageDocumentation
 */
export * from './subsetAllocation.js';
export * from './allocateByMinMax.js';
export * from './allocateSpecifiedReplicas.js';
export * from './allocateElasticReplicas.js';
export * from './allocateReservedReplicas.js';
export * from './allocateSubsetReplicas.js';
export * from './planSubsetSchedulability.js';
export * from './subsetChildren.js';
export * from './buildSubsetChild.js';
export * from './computeUnitedDeploymentStatus.js';
export * from './planUnitedDeploymentPass.js';
export * from './planSubsetReservation.js';
