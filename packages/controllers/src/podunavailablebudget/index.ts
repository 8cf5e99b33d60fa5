export * from './createPodUnavailableBudgetController.js';
export * from './reconcilePodUnavailableBudget.js';
export * from './pubWorkloads.js';
