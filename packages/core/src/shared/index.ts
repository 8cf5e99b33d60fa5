export * from './fieldProblem.js';
export * from './intOrPercent.js';
export * from './quantity.js';
export * from './selector.js';
export * from './revision.js';
export * from './revisionHistory.js';
export * from './podState.js';
export * from './expectations.js';
