/**
 * SidecarSet: which SidecarSets apply to a pod, what injecting them does to a pod being created,
 * how the controller upgrades injected sidecars in place (hot upgrade included), and the status.
 *
 * @packageDocumentation
 */
export * from './sidecarSetHash.js';
export * from './podSidecarSetHashes.js';
export * from './matchSidecarSet.js';
export * from './resolveInjectionRevision.js';
export * from './patchPodMetadata.js';
export * from './sidecarPodSharing.js';
export * from './hotUpgrade.js';
export * from './mergeSidecarContainers.js';
export * from './buildSidecars.js';
export * from './injectSidecars.js';
export * from './sidecarSetInPlaceUpdateState.js';
export * from './sidecarSetPodState.js';
export * from './selectSidecarSetPods.js';
export * from './upgradePodSidecars.js';
export * from './planSidecarSetUpdate.js';
export * from './planSidecarSetPass.js';
export * from './planSidecarSetUpgradableCondition.js';
export * from './computeSidecarSetStatus.js';
export * from './planSidecarSetHistoryCleanup.js';
export * from './applyResourcesPolicy.js';
// SidecarSet API helpers whose files `api/index.ts` does not list: canary and resources-policy
// validation, the resources expression calculator.
export * from '../api/validateSidecarSetCanary.js';
export * from '../api/validateSidecarSetResourcesPolicy.js';
export * from '../api/sidecarSetResourcesExpression.js';
