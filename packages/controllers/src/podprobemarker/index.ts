export { createPodProbeMarkerController, type PodProbeMarkerControllerOptions } from './createPodProbeMarkerController.js';
export { createNodePodProbeController, type NodePodProbeControllerOptions } from './createNodePodProbeController.js';
