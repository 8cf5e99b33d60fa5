export * from './planLaunchPriorityInjection.js';
export * from './planLaunchPriorityBarrier.js';
