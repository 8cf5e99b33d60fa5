export * from './objectMeta.js';
export * from './pod.js';
