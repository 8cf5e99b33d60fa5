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
export { createSidecarSetController, type SidecarSetController, type SidecarSetControllerOptions } from './sidecarset/createSidecarSetController.js';
export { createSidecarSetCache, type SidecarSetCache, type SidecarSetCacheOptions } from './sidecarset/sidecarSetCache.js';
export { clientSidecarSetSource, readSidecarSets, staticSidecarSetSource, type SidecarSetSource, type StaticSidecarSetData, type UnreadableSidecarSet } from './sidecarset/sidecarSetSource.js';
export { createSidecarSetPodMutator, type SidecarSetPodMutatorOptions } from './sidecarset/sidecarSetPodMutator.js';
export { sidecarSetMutatingWebhook, sidecarSetValidatingWebhook, type SidecarSetValidatingOptions } from './sidecarset/sidecarSetAdmission.js';
export { sidecarSetConverter } from './sidecarset/sidecarSetConverter.js';
export { KRUISE_CONFIGURATION_NAME, configMapPatchMetadataWhitelist } from './sidecarset/patchMetadataWhitelist.js';
export { SIDECARSET_CRD_NAME, SidecarSets, SidecarSetsV1alpha1, type SidecarSetObject } from './sidecarset/sidecarSetResources.js';
export * from './runtime/index.js';
export * from './webhook/index.js';
