/**
 * The in-place update engine shared by CloneSet, Advanced StatefulSet and Advanced DaemonSet:
 * decide whether a revision change can be applied in place, plan the pod writes, and tell when
 * the kubelet has finished.
 *
 * @packageDocumentation
 */
export type { AnnotationJsonResult } from './annotationJson.js';
export * from './applyInPlaceUpdateBatch.js';
export * from './checkInPlaceUpdateCompleted.js';
export * from './classifyInPlaceUpdate.js';
export * from './classifyTemplateOperation.js';
export * from './diffJson.js';
export * from './diffPodForPatch.js';
export * from './envFromMetadata.js';
export * from './planContainerMetaSync.js';
export * from './inPlaceFeatureGates.js';
export * from './inPlaceUpdateReadyCondition.js';
export * from './inPlaceUpdateSpec.js';
export * from './inPlaceUpdateState.js';
export * from './normalizeImageReference.js';
export * from './planInPlaceUpdateGrace.js';
export * from './planInPlaceUpdatePatch.js';
export * from './planInPlaceUpdateRefresh.js';
export * from './planNextContainerBatch.js';
export * from './podQosClass.js';
export * from './selectContainerBatch.js';
export * from './splitMetadataChanges.js';
export * from './stringMapPatch.js';
