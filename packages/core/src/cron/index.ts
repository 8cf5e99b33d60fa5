export * from './cronSpec.js';
export * from './parseCronSchedule.js';
export * from './parseGoDuration.js';
export * from './isTimeZone.js';
