/**
 * Builders for tests of code that uses `@kruise-ts/core`: pods in any state, revisions, CloneSets.
 *
 * @packageDocumentation
 */
export {};
