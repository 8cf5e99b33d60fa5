export * from './planSidecarTermination.js';
