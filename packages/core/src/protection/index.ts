export * from './decideDeletionProtection.js';
