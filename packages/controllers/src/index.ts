/**
 * `@kruise-ts/controllers`: the reference controller manager of kruise-ts.
 *
 * @packageDocumentation
 */
export { MANAGER_FLAGS, managerHelp, parseManagerFlags, type ManagerFlags, type ParsedManagerFlags } from './manager/managerFlags.js';
export { createManager, CONTROLLER_NAMES, type ControllerName, type Manager, type ManagerOptions } from './manager/createManager.js';
export { FEATURE_GATE_DEFAULTS, parseFeatureGates, type FeatureGateName, type FeatureGates, type ParsedFeatureGates } from './manager/featureGates.js';
export { serverSupportsResize } from './manager/serverSupportsResize.js';
export { CONTROLLER_PERMISSIONS, LEADER_ELECTION_PERMISSIONS, MANAGER_PERMISSIONS, type PolicyRule } from './manager/permissions.js';
export { createCloneSetController, type CloneSetController, type CloneSetControllerOptions } from './cloneset/createCloneSetController.js';
export * from './runtime/index.js';
export * from './webhook/index.js';
