export { createNodeImageController, type NodeImageControllerOptions } from './createNodeImageController.js';
export { createImagePullJobController, type ImagePullJobControllerOptions } from './createImagePullJobController.js';
export { createImageListPullJobController, type ImageListPullJobControllerOptions } from './createImageListPullJobController.js';
export { addJobTag, nodeImageSpecPatch, type AddJobTagOutcome } from './patchNodeImageSpec.js';
export { createCloneSetImagePreDownload, createDaemonSetImagePreDownload, type WorkloadImagePreDownload } from './workloadImagePreDownload.js';
