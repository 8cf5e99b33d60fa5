export * from './validatePodProbeMarker.js';
export * from './parsePodProbeMarker.js';
export * from './planNodePodProbes.js';
export * from './planPodProbeMarkerPass.js';
export * from './planNodePodProbeSync.js';
