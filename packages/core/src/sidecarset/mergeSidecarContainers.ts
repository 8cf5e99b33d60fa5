import type { Container, Volume } from '../api/pod.js';
import type { SidecarContainer } from '../api/sidecarSet.js';
import { appendUnseen } from './appendUnseen.js';

/** The SidecarSet-only fields of a sidecar container; they never reach the pod. */
export const SIDECAR_ONLY_FIELDS = ['podInjectPolicy', 'upgradeStrategy', 'shareVolumePolicy', 'shareVolumeDevicePolicy', 'transferEnv', 'resourcesPolicy'] as const;

/**
 * Returns the Kubernetes container of a sidecar container (without the SidecarSet-only fields).
 *
 * @example toPodContainer({ name: 'log', image: 'fluentd:1', podInjectPolicy: 'AfterAppContainer' }) → { name: 'log', image: 'fluentd:1' }
 */
export function toPodContainer(sidecar: SidecarContainer): Container {
  const only = new Set<string>(SIDECAR_ONLY_FIELDS);
  return Object.fromEntries(Object.entries(sidecar).filter(([key]) => !only.has(key))) as Container;
}

/**
 * Returns the pod's containers with the sidecars merged in, as OpenKruise's
 * `mergeSidecarContainers`: a sidecar named like a pod container replaces it where it is; the
 * others go before the pod's containers (`BeforeAppContainer`) or after them
 * (`AfterAppContainer`, or no policy), keeping their order.
 *
 * @example pod [sidecar-1, app, sidecar-2] + [sidecar-1 (After), sidecar-2 (After), new-sidecar-1 (Before)]
 *   → [new-sidecar-1, sidecar-1, app, sidecar-2]
 */
export function mergeSidecarContainers(origins: readonly Container[], injected: readonly SidecarContainer[]): Container[] {
  const merged = [...origins];
  const index = new Map(origins.map((c, i) => [c.name, i]));
  const before: Container[] = [];
  const after: Container[] = [];
  for (const sidecar of injected) {
    const at = index.get(sidecar.name);
    if (at !== undefined) merged[at] = toPodContainer(sidecar);
    else (sidecar.podInjectPolicy === 'BeforeAppContainer' ? before : after).push(toPodContainer(sidecar));
  }
  return [...before, ...merged, ...after];
}

/**
 * Returns the pod's volumes followed by the sidecars' volumes whose names the pod (or an earlier
 * sidecar volume) does not use: a pod volume of the same name wins (`util.MergeVolumes`).
 *
 * @example pod [logs (hostPath)] + sidecars [logs (emptyDir), certs] → [logs (hostPath), certs]
 */
export function mergePodVolumes(podVolumes: readonly Volume[], sidecarVolumes: readonly Volume[]): Volume[] {
  return appendUnseen(podVolumes, sidecarVolumes, (v) => v.name, podVolumes.map((v) => v.name));
}

/** An entry of `imagePullSecrets`. */
export type PullSecretRef = { readonly name?: string | undefined };

/**
 * Returns the pod's imagePullSecrets followed by the SidecarSets', each name once (OpenKruise's
 * `mergeSidecarSecrets`, which also drops the pod's own duplicates); `undefined` when both are empty.
 *
 * @example pod [s2, s3, s3] + sidecars [s0, s1, s2] → [s2, s3, s0, s1]
 */
export function mergePodImagePullSecrets(podSecrets: readonly PullSecretRef[] | undefined, sidecarSecrets: readonly PullSecretRef[]): PullSecretRef[] | undefined {
  const merged = appendUnseen([], [...(podSecrets ?? []), ...sidecarSecrets], (s) => s.name ?? '', []);
  return merged.length === 0 && podSecrets === undefined ? undefined : merged;
}
