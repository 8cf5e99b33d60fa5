export * from './matchedWorkloadSpread.js';
export * from './subsetMaxReplicas.js';
export * from './recordWorkloadSpreadPod.js';
export * from './injectWorkloadSpreadSubset.js';
export * from './computeWorkloadSpreadSubsetStatus.js';
export * from './planSubsetDeletionCost.js';
export * from './planSubsetSchedulable.js';
export * from './planWorkloadSpread.js';
