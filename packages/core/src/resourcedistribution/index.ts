export * from './selectTargetNamespaces.js';
export * from './distributedCopy.js';
export * from './planResourceDistribution.js';
export * from './computeResourceDistributionStatus.js';
