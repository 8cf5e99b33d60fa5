export * from './admitContainerRecreateRequest.js';
export * from './parseContainerRecreateRequest.js';
