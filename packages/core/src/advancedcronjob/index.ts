export * from './effectiveSchedule.js';
export * from './mostRecentUnmetSchedule.js';
export * from './cronJobChildren.js';
export * from './buildCronJobChild.js';
export * from './planAdvancedCronJobPass.js';
