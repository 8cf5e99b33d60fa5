export * from './computePersistentPodStateStatus.js';
export * from './planGeneratedPersistentPodState.js';
export * from './injectPersistentPodState.js';
