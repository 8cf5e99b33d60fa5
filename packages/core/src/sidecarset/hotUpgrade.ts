import { SIDECARSET_WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION } from '../api/labels.js';
import type { EnvVar, Pod } from '../api/pod.js';
import type { SidecarContainer } from '../api/sidecarSet.js';
import { canonicalJson } from '../shared/revision.js';

/**
 * Hot upgrade (`upgradeStrategy.upgradeType: HotUpgrade`, OpenKruise's `util_hotupgrade.go`): a
 * sidecar `envoy` is injected as two containers, `envoy-1` (working, the real image) and `envoy-2`
 * (the `hotUpgradeEmptyImage`, doing nothing). An upgrade gives the new image to the idle one; once
 * it is ready the old one is reset to the empty image. The pod annotation
 * `kruise.io/sidecarset-working-hotupgrade-container` (`{"envoy":"envoy-1"}`) says which one works;
 * `version.sidecarset.kruise.io/<container>` and `versionalt.sidecarset.kruise.io/<container>`
 * annotations, read by the containers through `SIDECARSET_VERSION` / `SIDECARSET_VERSION_ALT` env
 * vars, tell each container its own and its twin's version.
 */

/** Env var holding a hot-upgrade container's version (from its version annotation). */
export const SIDECARSET_VERSION_ENV = 'SIDECARSET_VERSION';
/** Env var holding the version of the twin container. */
export const SIDECARSET_VERSION_ALT_ENV = 'SIDECARSET_VERSION_ALT';

/**
 * Returns whether a sidecar container uses HotUpgrade.
 *
 * @example isHotUpgradeContainer({ name: 'envoy', upgradeStrategy: { upgradeType: 'HotUpgrade' } }) → true
 */
export function isHotUpgradeContainer(sidecar: SidecarContainer): boolean {
  return sidecar.upgradeStrategy?.upgradeType === 'HotUpgrade';
}

/**
 * Returns the names of the two containers of a hot-upgrade sidecar.
 *
 * @example hotUpgradeContainerNames('envoy') → ['envoy-1', 'envoy-2']
 */
export function hotUpgradeContainerNames(name: string): [string, string] {
  return [`${name}-1`, `${name}-2`];
}

/**
 * Returns the pod annotation holding a hot-upgrade container's version: `version.sidecarset.kruise.io/<container>`.
 *
 * @example sidecarSetVersionAnnotation('envoy-1') → 'version.sidecarset.kruise.io/envoy-1'
 */
export function sidecarSetVersionAnnotation(container: string): string {
  return `version.sidecarset.kruise.io/${container}`;
}

/**
 * Returns the pod annotation holding the version of a hot-upgrade container's twin: `versionalt.sidecarset.kruise.io/<container>`.
 *
 * @example sidecarSetVersionAltAnnotation('envoy-1') → 'versionalt.sidecarset.kruise.io/envoy-1'
 */
export function sidecarSetVersionAltAnnotation(container: string): string {
  return `versionalt.sidecarset.kruise.io/${container}`;
}

/**
 * Returns the working container of each hot-upgrade sidecar, from the pod annotation (`{}` when
 * absent or unreadable, as OpenKruise).
 *
 * @example podHotUpgradeWorkInfo(pod) → { envoy: 'envoy-2' }
 */
export function podHotUpgradeWorkInfo(pod: Pod): Record<string, string> {
  const text = pod.metadata.annotations?.[SIDECARSET_WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION];
  if (text === undefined) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

/**
 * Returns the text of the working-container annotation (keys sorted, as Go writes a map).
 *
 * @example serializeHotUpgradeWorkInfo({ mesh: 'mesh-2', envoy: 'envoy-1' }) → '{"envoy":"envoy-1","mesh":"mesh-2"}'
 */
export function serializeHotUpgradeWorkInfo(info: Readonly<Record<string, string>>): string {
  return canonicalJson(info);
}

/**
 * Returns which of a hot-upgrade sidecar's containers works and which is the other one (idle, or
 * the old one during an upgrade): `<name>-1` works only when the annotation says so.
 *
 * @example podHotUpgradeContainers('envoy', pod) → { working: 'envoy-2', other: 'envoy-1' } // annotation {"envoy":"envoy-2"}
 */
export function podHotUpgradeContainers(sidecarName: string, pod: Pod): { working: string; other: string } {
  const [first, second] = hotUpgradeContainerNames(sidecarName);
  return podHotUpgradeWorkInfo(pod)[sidecarName] === first ? { working: first, other: second } : { working: second, other: first };
}

function versionEnvs(container: string): EnvVar[] {
  const fieldRef = (annotation: string) => ({ fieldRef: { fieldPath: `metadata.annotations['${annotation}']` } });
  return [
    { name: SIDECARSET_VERSION_ENV, valueFrom: fieldRef(sidecarSetVersionAnnotation(container)) },
    { name: SIDECARSET_VERSION_ALT_ENV, valueFrom: fieldRef(sidecarSetVersionAltAnnotation(container)) },
  ];
}

/**
 * Returns the two containers injected for a hot-upgrade sidecar and the annotations that go with
 * them (OpenKruise's `injectHotUpgradeContainers`): `<name>-1` with the image, working;
 * `<name>-2` with the empty image; both with the version env vars; versions `1`/`0` and `0`/`1`;
 * and the working-container annotation with `<name>: <name>-1` added to `workInfo` (the pod's
 * current one, so other hot sidecars keep their entry).
 *
 * @example hotUpgradeContainersFor(envoy, {}) → containers envoy-1 (envoy:v1), envoy-2 (empty:v1); annotations
 *   { 'version.sidecarset.kruise.io/envoy-1': '1', 'versionalt.sidecarset.kruise.io/envoy-1': '0', ..., 'kruise.io/sidecarset-working-hotupgrade-container': '{"envoy":"envoy-1"}' }
 */
export function hotUpgradeContainersFor(
  sidecar: SidecarContainer,
  workInfo: Readonly<Record<string, string>>,
): { containers: [SidecarContainer, SidecarContainer]; annotations: Record<string, string>; workInfo: Record<string, string> } {
  const [first, second] = hotUpgradeContainerNames(sidecar.name);
  const env = sidecar.env ?? [];
  const working: SidecarContainer = { ...sidecar, name: first, env: [...env, ...versionEnvs(first)] };
  const idle: SidecarContainer = { ...sidecar, name: second, image: sidecar.upgradeStrategy?.hotUpgradeEmptyImage ?? '', env: [...env, ...versionEnvs(second)] };
  const info = { ...workInfo, [sidecar.name]: first };
  return {
    containers: [working, idle],
    workInfo: info,
    annotations: {
      [sidecarSetVersionAnnotation(first)]: '1',
      [sidecarSetVersionAltAnnotation(first)]: '0',
      [sidecarSetVersionAnnotation(second)]: '0',
      [sidecarSetVersionAltAnnotation(second)]: '1',
      [SIDECARSET_WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION]: serializeHotUpgradeWorkInfo(info),
    },
  };
}
