export * from './createContainerRecreateRequestController.js';
