import type { Pod } from '../api/pod.js';
import type { SidecarSet } from '../api/sidecarSet.js';
import { normalizeImageReference } from '../inplace/normalizeImageReference.js';
import { isPodReady, isPodTerminating } from '../shared/podState.js';
import { hotUpgradeContainerNames, isHotUpgradeContainer, podHotUpgradeContainers, podHotUpgradeWorkInfo } from './hotUpgrade.js';
import { podSidecarSetHash, podSidecarSetHashWithoutImage } from './podSidecarSetHashes.js';
import { readSidecarSetInPlaceUpdateStates } from './sidecarSetInPlaceUpdateState.js';
import { sidecarSetHash, sidecarSetHashWithoutImage } from './sidecarSetHash.js';

/**
 * The state of a pod with respect to one SidecarSet, as OpenKruise's `sidecarcontrol` reads it:
 * updated (hash), consistent (the kubelet runs what the spec says), ready, upgradable.
 */

/**
 * Returns the names the SidecarSet's containers have in a pod: both twins of a hot-upgrade sidecar.
 *
 * @example containers [log, envoy (HotUpgrade)] → ['envoy-1', 'envoy-2', 'log']
 */
export function sidecarContainerNamesInPod(ss: SidecarSet): string[] {
  return (ss.spec.containers ?? []).flatMap((c) => (isHotUpgradeContainer(c) ? hotUpgradeContainerNames(c.name) : [c.name])).sort();
}

/**
 * Returns whether the pod's sidecars are at the SidecarSet's current hash (`IsPodSidecarUpdated`).
 *
 * @example SidecarSet hash 'bbb', pod record '{"log":{"hash":"aaa"}}' → false
 */
export function isSidecarSetPodUpdated(ss: SidecarSet, pod: Pod): boolean {
  return sidecarSetHash(ss) === podSidecarSetHash(pod.metadata, ss.metadata?.name ?? '');
}

/**
 * Returns whether every container of the SidecarSet is in the pod (both twins of a hot-upgrade
 * sidecar, and its working-container entry): OpenKruise only manages such pods
 * (`IsPodConsistentWithSidecarSet`).
 *
 * @example SidecarSet containers [log], pod containers [app] → false (the sidecar was removed)
 */
export function hasSidecarSetContainers(ss: SidecarSet, pod: Pod): boolean {
  const names = new Set([...pod.spec.containers, ...(pod.spec.initContainers ?? [])].map((c) => c.name));
  const working = podHotUpgradeWorkInfo(pod);
  return (ss.spec.containers ?? []).every((c) =>
    isHotUpgradeContainer(c) ? c.name in working && hotUpgradeContainerNames(c.name).every((n) => names.has(n)) : names.has(c.name),
  );
}

function digestOf(image: string): string | undefined {
  const at = image.indexOf('@');
  return at < 0 ? undefined : image.slice(at + 1);
}

function repositoryOf(image: string): string {
  const name = normalizeImageReference(image).split('@', 1)[0] ?? '';
  return name.lastIndexOf(':') > name.lastIndexOf('/') ? name.slice(0, name.lastIndexOf(':')) : name;
}

/**
 * Returns whether a container's digest image is what the runtime reports as imageID
 * (`docker-pullable://` and the like stripped): same repository, same digest.
 *
 * @example isImageDigestEqual('busybox@sha256:ab', 'docker-pullable://docker.io/library/busybox@sha256:ab') → true
 */
export function isImageDigestEqual(image: string, imageID: string): boolean {
  const id = imageID.includes('://') ? (imageID.split('://')[1] ?? '') : imageID;
  const digest = digestOf(image);
  return digest !== undefined && digest === digestOf(id) && repositoryOf(image) === repositoryOf(id);
}

/**
 * Returns whether the kubelet has applied the last in-place sidecar upgrade to `containers`
 * (OpenKruise's `IsSidecarContainerUpdateCompleted`): true without the state annotation; false when
 * it is unreadable; otherwise a container recorded by one of `sidecarSets` is not done while it
 * still reports the recorded imageID and an image other than its spec's (images compared in their
 * normalized form, as the in-place engine does).
 *
 * @example recorded imageID sha256:1, status imageID sha256:1 and image fluentd:1, spec fluentd:2 → false
 */
export function isSidecarContainerUpdateCompleted(pod: Pod, sidecarSets: readonly string[], containers: readonly string[]): boolean {
  const read = readSidecarSetInPlaceUpdateStates(pod);
  if (read.kind !== 'parsed') return read.kind === 'missing';
  const last = new Map(sidecarSets.flatMap((name) => Object.entries(read.states[name]?.lastContainerStatuses ?? {})));
  const specImages = new Map(pod.spec.containers.map((c) => [c.name, c.image ?? '']));
  return (pod.status?.containerStatuses ?? []).every((status) => {
    const recorded = last.get(status.name);
    if (!containers.includes(status.name) || recorded === undefined) return true;
    const sameImage = normalizeImageReference(specImages.get(status.name) ?? '') === normalizeImageReference(status.image ?? '');
    return (recorded.imageID ?? '') !== (status.imageID ?? '') || sameImage;
  });
}

/**
 * Returns whether the pod runs what its spec says for the SidecarSet's containers (or the given
 * ones): as many statuses as containers, and, unless every such container uses a digest image (then
 * the imageID must carry that digest), the last in-place upgrade completed
 * ({@link isSidecarContainerUpdateCompleted}). OpenKruise's `IsPodStateConsistent`.
 *
 * @example a pod upgraded to fluentd:2 whose status still shows the old imageID → false
 */
export function isSidecarSetPodConsistent(ss: SidecarSet, pod: Pod, containers: readonly string[] = sidecarContainerNamesInPod(ss)): boolean {
  const statuses = pod.status?.containerStatuses ?? [];
  if (pod.spec.containers.length !== statuses.length) return false;
  const imageIDs = new Map(statuses.map((s) => [s.name, s.imageID]));
  const own = pod.spec.containers.filter((c) => containers.includes(c.name));
  const firstTag = own.findIndex((c) => digestOf(c.image ?? '') === undefined);
  // Digest images are checked up to the first tagged one, as OpenKruise's loop does before it breaks out.
  for (const c of firstTag < 0 ? own : own.slice(0, firstTag)) {
    const imageID = imageIDs.get(c.name);
    if (imageID === undefined || !isImageDigestEqual(c.image ?? '', imageID)) return false;
  }
  return firstTag < 0 || isSidecarContainerUpdateCompleted(pod, [ss.metadata?.name ?? ''], containers);
}

/**
 * Returns whether the pod counts as ready for the SidecarSet (`commonControl.IsPodReady`): running,
 * Ready, not terminating, and every idle hot-upgrade twin back on the empty image.
 *
 * @example a running, ready pod whose idle envoy-2 still runs envoy:v1 → false
 */
export function isSidecarSetPodReady(ss: SidecarSet, pod: Pod): boolean {
  const images = new Map(pod.spec.containers.map((c) => [c.name, c.image ?? '']));
  const idleOnEmpty = (ss.spec.containers ?? []).filter(isHotUpgradeContainer).every((c) => {
    const empty = c.upgradeStrategy?.hotUpgradeEmptyImage ?? '';
    const idle = podHotUpgradeContainers(c.name, pod).other;
    return empty === '' || !images.has(idle) || images.get(idle) === empty;
  });
  return idleOnEmpty && pod.status?.phase === 'Running' && isPodReady(pod) && !isPodTerminating(pod);
}

/** Whether the SidecarSet can upgrade a pod in place now. */
export type SidecarSetUpgradability =
  | { readonly kind: 'upgradable' }
  /** Something other than images changed since the pod was injected (without-image hashes differ). */
  | { readonly kind: 'not-upgradable'; readonly reason: 'spec-changed' }
  /** A ready sidecar is still on its way to the last upgrade: wait. */
  | { readonly kind: 'upgrade-in-progress'; readonly container: string };

/**
 * Returns whether the SidecarSet can upgrade the pod in place (OpenKruise's
 * `IsSidecarSetUpgradable`): not when the pod's without-image hash differs from the SidecarSet's
 * (only images may change in place); wait while a ready sidecar container is not consistent yet.
 *
 * @example pod without-image hash 'a', SidecarSet 'b' → { kind: 'not-upgradable', reason: 'spec-changed' }
 */
export function classifySidecarSetUpgradability(ss: SidecarSet, pod: Pod): SidecarSetUpgradability {
  if (podSidecarSetHashWithoutImage(pod.metadata, ss.metadata?.name ?? '') !== sidecarSetHashWithoutImage(ss)) return { kind: 'not-upgradable', reason: 'spec-changed' };
  const ready = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s.ready === true]));
  const busy = sidecarContainerNamesInPod(ss).find((name) => ready.get(name) === true && !isSidecarSetPodConsistent(ss, pod, [name]));
  return busy === undefined ? { kind: 'upgradable' } : { kind: 'upgrade-in-progress', container: busy };
}
