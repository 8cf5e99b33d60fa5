/**
 * `@kruise-ts/controllers/testing`: unit-test rollouts without a cluster. `startTestManager` runs
 * the manager's controllers on an in-memory cluster serving every kruise-ts kind, creates objects
 * through the same admission webhooks as a real install (an invalid spec is an error in the test),
 * and waits on observedGeneration and rollout completion with failures that say what the controller
 * did (its events, Warnings first, and the manager's errors).
 *
 * @packageDocumentation
 */
export { startTestManager, kruiseStorageResources, SCALABLE_KINDS, type TestManager, type TestManagerOptions, type ManagerLogLine, type WaitOptions } from './startTestManager.js';
export { admitAsWebhooks, AdmissionDeniedError } from './admitAsWebhooks.js';
export { rolloutState, type RolloutState } from './rolloutState.js';
