import { SIDECAR_INJECTED_ENV } from '../api/labels.js';
import type { Container, EnvVar, Pod, VolumeMount } from '../api/pod.js';
import type { SidecarContainer } from '../api/sidecarSet.js';
import { parseMetadataFieldPath } from '../inplace/envFromMetadata.js';
import { appendUnseen } from './appendUnseen.js';

/**
 * What a sidecar takes from the pod it is injected into: env vars (`transferEnv`), the volume
 * mounts and devices of the pod's own containers (`shareVolumePolicy`,
 * `shareVolumeDevicePolicy`), and the env vars those mounts' `subPathExpr` refer to.
 */

/** Path where Kubernetes mounts the service-account token into every container. */
export const SERVICE_ACCOUNT_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A volume device of a container (`volumeDevices[]`). */
export interface VolumeDevice {
  readonly name: string;
  readonly devicePath: string;
}

const SUB_PATH_ENV = /\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)/g;

/**
 * Returns whether a container carries `IS_INJECTED=true`, i.e. was injected by a SidecarSet.
 *
 * @example isInjectedSidecarContainer({ name: 'log', env: [{ name: 'IS_INJECTED', value: 'true' }] }) → true
 */
export function isInjectedSidecarContainer(container: Container): boolean {
  return (container.env ?? []).find((e) => e.name === SIDECAR_INJECTED_ENV)?.value === 'true';
}

/**
 * Returns whether a volume mount is the service-account token mount (at
 * `/var/run/secrets/kubernetes.io/serviceaccount`, or of a `kube-api-access-*` volume).
 *
 * @example isServiceAccountTokenMount({ name: 'kube-api-access-x1', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }) → true
 */
export function isServiceAccountTokenMount(mount: VolumeMount): boolean {
  return mount.mountPath === SERVICE_ACCOUNT_TOKEN_PATH || mount.mountPath.startsWith(`${SERVICE_ACCOUNT_TOKEN_PATH}/`) || mount.name.startsWith('kube-api-access-');
}

// The pod's own containers (init containers too), without the ones injected by a SidecarSet.
function appContainers(pod: Pod): Container[] {
  return [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].filter((c) => !isInjectedSidecarContainer(c));
}

function devicesOf(container: Container): VolumeDevice[] {
  const devices = container['volumeDevices'];
  return Array.isArray(devices) ? (devices as VolumeDevice[]) : [];
}

/**
 * Returns the volume mounts a sidecar shares with the pod (none unless `shareVolumePolicy.type` is
 * `enabled`): every mount of the pod's own containers, then of its init containers, that
 * `shareMount` accepts; and the env vars named in their `subPathExpr` (`$(POD_NAME)`), taken from
 * the container that has the mount.
 *
 * @example app mounts /data (subPathExpr `logs/$(POD_NAME)`, env POD_NAME=web-0) → mounts [/data], envs [POD_NAME=web-0]
 */
export function sharedVolumeMounts(sidecar: SidecarContainer, pod: Pod, shareMount: (mount: VolumeMount) => boolean): { mounts: VolumeMount[]; envs: EnvVar[] } {
  if (sidecar.shareVolumePolicy?.type !== 'enabled') return { mounts: [], envs: [] };
  const mounts: VolumeMount[] = [];
  const envs: EnvVar[] = [];
  for (const container of appContainers(pod)) {
    for (const mount of (container.volumeMounts ?? []).filter(shareMount)) {
      mounts.push(mount);
      const expression = typeof mount['subPathExpr'] === 'string' ? mount['subPathExpr'] : '';
      for (const [, name] of expression.matchAll(SUB_PATH_ENV)) {
        const env = (container.env ?? []).find((e) => e.name === name);
        if (env) envs.push(env);
      }
    }
  }
  return { mounts, envs };
}

/**
 * Returns the volume devices of the pod's own containers, when the sidecar's `shareVolumeDevicePolicy` is `enabled`.
 *
 * @example app with device /dev/xvda, `shareVolumeDevicePolicy: { type: 'enabled' }` → [{ name: 'disk', devicePath: '/dev/xvda' }]
 */
export function sharedVolumeDevices(sidecar: SidecarContainer, pod: Pod): VolumeDevice[] {
  return sidecar.shareVolumeDevicePolicy?.type === 'enabled' ? appContainers(pod).flatMap(devicesOf) : [];
}

function sourceContainerName(transfer: NonNullable<SidecarContainer['transferEnv']>[number], pod: Pod): string | undefined {
  const fieldRef = transfer.sourceContainerNameFrom?.fieldRef;
  if (fieldRef === undefined) return transfer.sourceContainerName ?? '';
  const ref = parseMetadataFieldPath(fieldRef.fieldPath);
  if (ref === undefined) return undefined;
  return pod.metadata[ref.field]?.[ref.key] ?? '';
}

/**
 * Returns the env vars a sidecar copies from the pod's containers (`transferEnv`, OpenKruise's
 * `GetSidecarTransferEnvs`): for each entry, the source container is `sourceContainerName`, or
 * the value of the pod label/annotation `sourceContainerNameFrom.fieldRef` points at (another
 * field path skips the entry); `envName` and `envNames` are copied in name order, those the source
 * lacks are skipped.
 *
 * @example transferEnv [{ sourceContainerName: 'app', envNames: ['B', 'A'] }], app env A=1, B=2 → [A=1, B=2]
 */
export function transferredEnvs(sidecar: SidecarContainer, pod: Pod): EnvVar[] {
  const byKey = new Map(pod.spec.containers.flatMap((c) => (c.env ?? []).map((e) => [`${c.name}/${e.name}`, e] as const)));
  return (sidecar.transferEnv ?? []).flatMap((transfer) => {
    const source = sourceContainerName(transfer, pod);
    if (source === undefined) return [];
    const names = [...new Set([...(transfer.envName ? [transfer.envName] : []), ...(transfer.envNames ?? [])])].sort();
    return names.flatMap((name) => {
      const env = byKey.get(`${source}/${name}`);
      return env ? [env] : [];
    });
  });
}

/**
 * Returns `original` followed by the `additional` env vars whose names are not there yet (`util.MergeEnvVar`).
 *
 * @example mergeEnvVars([A=1], [A=2, B=3]) → [A=1, B=3]
 */
export function mergeEnvVars(original: readonly EnvVar[], additional: readonly EnvVar[]): EnvVar[] {
  return appendUnseen(original, additional, (e) => e.name, original.map((e) => e.name));
}

/**
 * Returns the container's mounts followed by the `additional` ones whose mount path is not taken
 * yet (by a mount or a device of the container, or an earlier additional mount).
 *
 * @example mounts [/a], additional [/a, /b, /b] → [/a, /b]
 */
export function mergeVolumeMounts(container: Container, additional: readonly VolumeMount[]): VolumeMount[] {
  const mounts = container.volumeMounts ?? [];
  return appendUnseen(mounts, additional, (m) => m.mountPath, [...mounts.map((m) => m.mountPath), ...devicesOf(container).map((d) => d.devicePath)]);
}

/**
 * Returns the container's devices followed by the `additional` ones whose path is not taken yet (by a device or a mount).
 *
 * @example devices [/dev/a], additional [/dev/a, /dev/b] → [/dev/a, /dev/b]
 */
export function mergeVolumeDevices(container: Container, additional: readonly VolumeDevice[]): VolumeDevice[] {
  const devices = devicesOf(container);
  return appendUnseen(devices, additional, (d) => d.devicePath, [...devices.map((d) => d.devicePath), ...(container.volumeMounts ?? []).map((m) => m.mountPath)]);
}
