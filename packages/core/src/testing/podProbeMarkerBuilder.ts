import type { Pod } from '../api/pod.js';
import { POD_PROBE_API_VERSION, POD_PROBE_MARKER_FINALIZER, type PodContainerProbe, type PodProbeMarker } from '../api/podProbeMarker.js';

/** Options of {@link aPodProbeMarker}; every one has a deterministic default. */
export interface PodProbeMarkerOptions {
  /** `metadata.name` (default `game`). */
  readonly name?: string;
  readonly namespace?: string;
  /** `spec.selector.matchLabels` (default `{ app: 'web' }`). */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /** `spec.probes` (default one exec probe `ready` on `main`, condition `game.kruise.io/ready`, label `ready=true` when Succeeded). */
  readonly probes?: readonly PodContainerProbe[];
  /** With the cleanup finalizer (default true). */
  readonly finalizer?: boolean;
  readonly generation?: number;
  readonly status?: PodProbeMarker['status'];
  /** Being deleted (a deletionTimestamp). */
  readonly deleting?: boolean;
}

/**
 * Returns a PodProbeMarker, deterministic for the same options.
 *
 * @example aPodProbeMarker({ name: 'idle', probes: [{ name: 'idle', containerName: 'main', probe: { exec: { command: ['/idle.sh'] } }, podConditionType: 'game/idle' }] })
 */
export function aPodProbeMarker(options: PodProbeMarkerOptions = {}): PodProbeMarker {
  return {
    apiVersion: POD_PROBE_API_VERSION,
    kind: 'PodProbeMarker',
    metadata: {
      name: options.name ?? 'game',
      namespace: options.namespace ?? 'default',
      uid: `uid-ppm-${options.name ?? 'game'}`,
      generation: options.generation ?? 1,
      ...(options.finalizer === false ? {} : { finalizers: [POD_PROBE_MARKER_FINALIZER] }),
      ...(options.deleting === true ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
    },
    spec: {
      selector: { matchLabels: { ...(options.matchLabels ?? { app: 'web' }) } },
      probes: (options.probes ?? [{ name: 'ready', containerName: 'main', probe: { exec: { command: ['cat', '/tmp/ready'] } }, podConditionType: 'game.kruise.io/ready', markerPolicy: [{ state: 'Succeeded', labels: { ready: 'true' } }] }]).map((p) => ({ ...p })),
    },
    ...(options.status === undefined ? {} : { status: options.status }),
  };
}

/** Returns the pod with an `Initialized=True` condition and a pod IP (what a kubelet-run pod has). */
export function withInitialized(pod: Pod, podIP = '10.0.0.5'): Pod {
  return { ...pod, status: { ...pod.status, podIP, conditions: [...(pod.status?.conditions ?? []), { type: 'Initialized', status: 'True' }] } };
}
