/**
 * `@kruise-ts/controllers`: the reference controller manager of kruise-ts.
 *
 * @packageDocumentation
 */
export { MANAGER_FLAGS, managerHelp, parseManagerFlags, type ManagerFlags, type ParsedManagerFlags } from './manager/managerFlags.js';
export * from './runtime/index.js';
