export * from './imagePullJobTargets.js';
export * from './jobTagEntry.js';
export * from './planImagePullJob.js';
export * from './planNodeImage.js';
export * from './planImageListPullJob.js';
export * from './planImagePreDownload.js';
export * from './planPullSecretCopies.js';
