export { createPodProbeController, type PodProbeController, type PodProbeControllerOptions } from './createPodProbeController.js';
export { computeNodePodProbeStatus, type ProbeResult } from './computeNodePodProbeStatus.js';
export { createProbeResults, MAX_SYNC_PROBE_SECONDS, type ProbeResults } from './createProbeResults.js';
export { NEW_PROBE_WORKER, prepareProbe, probeTiming, recordProbeOutcome, type ProbeOutcome, type ProbeResultWrite, type ProbeWorkerPrepare, type ProbeWorkerState } from './probeWorkerStep.js';
export { runProbe, MAX_PROBE_MESSAGE_LENGTH, type ProbeTarget } from './runProbe.js';
