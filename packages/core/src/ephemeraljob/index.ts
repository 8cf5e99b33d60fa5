export * from './ephemeralJobPods.js';
export * from './planEphemeralJob.js';
