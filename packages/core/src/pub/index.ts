export * from './isPodAvailableForBudget.js';
export * from './pubProtectedOperations.js';
export * from './decidePubAdmission.js';
export * from './consumePubBudget.js';
export * from './computePubStatus.js';
export * from './isPodUnavailableChange.js';
export * from './pubRelatedName.js';
