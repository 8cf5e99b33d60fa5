export * from './admitContainerRecreateRequest.js';
export * from './parseContainerRecreateRequest.js';
export * from './planContainerRecreateRequest.js';
