export * from './createContainerRecreateController.js';
export * from './killContainer.js';
export * from './planCrrDaemonSync.js';
