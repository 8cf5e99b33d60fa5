/**
 * `@kruise-ts/controllers`: the reference controller manager of kruise-ts.
 *
 * @packageDocumentation
 */
import type { SidecarSet } from '@kruise-ts/core';
import { KruiseResources, kruiseCrdName, type KubeObject } from '@kruise-ts/k8s-adapter';

export { MANAGER_FLAGS, managerHelp, parseManagerFlags, type ManagerFlags, type ParsedManagerFlags } from './manager/managerFlags.js';
export { createManager, CONTROLLER_NAMES, type ControllerName, type Manager, type ManagerOptions } from './manager/createManager.js';
export { FEATURE_GATE_DEFAULTS, parseFeatureGates, type FeatureGateName, type FeatureGates, type ParsedFeatureGates } from './manager/featureGates.js';
export { serverSupportsResize } from './manager/serverSupportsResize.js';
export { CONTROLLER_PERMISSIONS, GATED_CONTROLLERS, LEADER_ELECTION_PERMISSIONS, MANAGER_PERMISSIONS, type PolicyRule } from './manager/permissions.js';
export { createCloneSetController, type CloneSetController, type CloneSetControllerOptions } from './cloneset/createCloneSetController.js';
export { createSidecarSetController, type SidecarSetController, type SidecarSetControllerOptions } from './sidecarset/createSidecarSetController.js';
export { createStatefulSetController, type StatefulSetController, type StatefulSetControllerOptions } from './statefulset/createStatefulSetController.js';
export { createUnitedDeploymentController, type UnitedDeploymentController, type UnitedDeploymentControllerOptions } from './uniteddeployment/createUnitedDeploymentController.js';
export { createResourceDistributionController, type ResourceDistributionControllerOptions } from './resourcedistribution/createResourceDistributionController.js';
export { createImageListPullJobController, createImagePullJobController, createNodeImageController, type ImageListPullJobControllerOptions, type ImagePullJobControllerOptions, type NodeImageControllerOptions } from './imagepulljob/index.js';
export { createContainerRecreateRequestController, type ContainerRecreateRequestControllerOptions } from './containerrecreaterequest/index.js';
export { createNodePodProbeController, createPodProbeMarkerController, type NodePodProbeControllerOptions, type PodProbeMarkerControllerOptions } from './podprobemarker/index.js';
export { createPersistentPodStateController, type PersistentPodStateControllerOptions } from './persistentpodstate/createPersistentPodStateController.js';
export { createContainerLaunchPriorityController, needsLaunchPriorityPass, type ContainerLaunchPriorityControllerOptions } from './containerlaunchpriority/createContainerLaunchPriorityController.js';
export { createSidecarTerminatorController, isSidecarTerminationCandidate, type SidecarTerminatorControllerOptions } from './sidecarterminator/createSidecarTerminatorController.js';
export { launchPriorityPodMutator, type LaunchPriorityPodMutatorOptions } from './webhook/pod/launchPriorityPodMutator.js';
export * from './runtime/index.js';
export * from './webhook/index.js';

/**
 * `apps.kruise.io/v1beta1` SidecarSets.
 *
 * @deprecated Use `KruiseResources.SidecarSet` (or `Resources.SidecarSet`) from `@kruise-ts/k8s-adapter`; this alias goes in the next release.
 */
export const SidecarSets = KruiseResources.SidecarSet;
/**
 * `apps.kruise.io/v1alpha1` SidecarSets.
 *
 * @deprecated Use `KruiseResources.SidecarSetV1alpha1` from `@kruise-ts/k8s-adapter`; this alias goes in the next release.
 */
export const SidecarSetsV1alpha1 = KruiseResources.SidecarSetV1alpha1;
/**
 * The CRD of SidecarSets, `sidecarsets.apps.kruise.io`.
 *
 * @deprecated Use `kruiseCrdName(KruiseResources.SidecarSet)` from `@kruise-ts/k8s-adapter`; this constant goes in the next release.
 */
export const SIDECARSET_CRD_NAME = kruiseCrdName(KruiseResources.SidecarSet);
/**
 * A SidecarSet as the API returns it.
 *
 * @deprecated Use `SidecarSet & KubeObject` (`SidecarSet` from `@kruise-ts/core`, `KubeObject` from `@kruise-ts/k8s-adapter`), the object type of `KruiseResources.SidecarSet`; this alias goes in the next release.
 */
export type SidecarSetObject = SidecarSet & KubeObject;
