import { formatTime, type NodePodProbe, type NodePodProbeStatus, type PodProbeStatus } from '@kruise-ts/core';

/** The current result of one probe of one pod, as the results manager keeps it. */
export interface ProbeResult {
  readonly podNamespace: string;
  readonly podName: string;
  readonly podUid: string;
  /** `<ppm>#<probe>`. */
  readonly probeName: string;
  readonly state: 'Succeeded' | 'Failed' | 'Unknown';
  readonly message: string;
  /** When this result was set (epoch ms). */
  readonly at: number;
}

/**
 * Returns the NodePodProbe status the daemon writes (OpenKruise's `syncUpdateNodePodProbeStatus`):
 * the current status without the probes no longer in the spec, then each result applied: an
 * existing probe state takes the result's state, message and probe time (its transition time
 * becomes `now` when the state changed), a new one is appended with transition time `now`.
 *
 * @example status web-0 game#ready Failed (since 10:00), result Succeeded at 10:05, now 10:05:01 →
 *   web-0 game#ready Succeeded, lastProbeTime 10:05, lastTransitionTime 10:05:01
 */
export function computeNodePodProbeStatus(npp: NodePodProbe, results: readonly ProbeResult[], now: number): NodePodProbeStatus {
  const valid = new Set((npp.spec?.podProbes ?? []).flatMap((p) => (p.probes ?? []).map((probe) => `${p.uid}/${probe.name}`)));
  const statuses: PodProbeStatus[] = [];
  for (const status of npp.status?.podProbeStatuses ?? []) {
    const probeStates = (status.probeStates ?? []).filter((s) => valid.has(`${status.uid}/${s.name}`));
    if (probeStates.length > 0) statuses.push({ namespace: status.namespace, name: status.name, uid: status.uid, probeStates });
  }
  for (const result of results) {
    if (!valid.has(`${result.podUid}/${result.probeName}`)) continue;
    let i = statuses.findIndex((s) => s.uid === result.podUid);
    if (i < 0) {
      statuses.push({ namespace: result.podNamespace, name: result.podName, uid: result.podUid, probeStates: [] });
      i = statuses.length - 1;
    }
    const status = statuses[i] as PodProbeStatus;
    const states = [...(status.probeStates ?? [])];
    const j = states.findIndex((s) => s.name === result.probeName);
    const base = { name: result.probeName, state: result.state, lastProbeTime: formatTime(result.at), message: result.message };
    if (j < 0) states.push({ ...base, lastTransitionTime: formatTime(now) });
    else {
      const previous = states[j];
      states[j] = { ...previous, ...base, lastTransitionTime: previous?.state === result.state ? (previous.lastTransitionTime ?? formatTime(now)) : formatTime(now) };
    }
    statuses[i] = { ...status, probeStates: states };
  }
  return statuses.length === 0 ? {} : { podProbeStatuses: statuses };
}
