import type { ProbeResult } from './computeNodePodProbeStatus.js';

/** Seconds after which an unchanged result is set again, refreshing its probe time (OpenKruise's maxSyncProbeTime). */
export const MAX_SYNC_PROBE_SECONDS = 600;

/** The probe results of one node's pods, one per container and probe. */
export interface ProbeResults {
  /** Sets a result; returns whether it changed (state or message differ, or the last is 600 s old). */
  set(containerId: string, result: ProbeResult): boolean;
  /** Forgets the results of a container (it was replaced, or its worker stopped). */
  forget(containerId: string, probeName?: string): void;
  list(): ProbeResult[];
}

/**
 * Returns OpenKruise's results manager: the last result of each probe, kept per container (and
 * probe: OpenKruise keys by container only, so two probes of one container overwrite each other);
 * a set with the same state and message within 600 s is not a change.
 *
 * @example set(c1, Succeeded 'ok' at 0) → true; set(c1, Succeeded 'ok' at 5 s) → false; at 601 s → true
 */
export function createProbeResults(): ProbeResults {
  const cache = new Map<string, ProbeResult>();
  const key = (containerId: string, probeName: string): string => `${containerId}/${probeName}`;
  return {
    set(containerId, result) {
      const previous = cache.get(key(containerId, result.probeName));
      if (previous !== undefined && previous.state === result.state && previous.message === result.message && result.at - previous.at < MAX_SYNC_PROBE_SECONDS * 1000) return false;
      cache.set(key(containerId, result.probeName), result);
      return true;
    },
    forget(containerId, probeName) {
      for (const k of [...cache.keys()]) if (k.startsWith(`${containerId}/`) && (probeName === undefined || k === key(containerId, probeName))) cache.delete(k);
    },
    list: () => [...cache.values()],
  };
}
