export * from './broadcastJobPods.js';
export * from './broadcastJobConditions.js';
export * from './planBroadcastJobPass.js';
