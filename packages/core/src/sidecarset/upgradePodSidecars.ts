import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_INJECTED_LIST_ANNOTATION, SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION, SIDECARSET_WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION } from '../api/labels.js';
import type { Container, Pod } from '../api/pod.js';
import type { SidecarContainer, SidecarSet } from '../api/sidecarSet.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import {
  isHotUpgradeContainer,
  hotUpgradeContainerNames,
  podHotUpgradeContainers,
  podHotUpgradeWorkInfo,
  serializeHotUpgradeWorkInfo,
  sidecarSetVersionAltAnnotation,
  sidecarSetVersionAnnotation,
} from './hotUpgrade.js';
import { readPodSidecarSetHashes, serializePodSidecarSetHashes } from './podSidecarSetHashes.js';
import { patchPodAnnotations } from './patchPodMetadata.js';
import { recordSidecarUpgrade } from './sidecarSetInPlaceUpdateState.js';
import { isNativeSidecar, sidecarSetHash } from './sidecarSetHash.js';
import { isSidecarSetPodConsistent } from './sidecarSetPodState.js';

/**
 * The pod writes of the SidecarSet in-place upgrade (OpenKruise's `updatePodSidecarContainer`,
 * `UpdatePodSidecarSetHash`, `UpdatePodAnnotationsInUpgrade`, `flipPodSidecarContainerDo`).
 */

/** A pod after an in-place sidecar change: the new pod object to write, and which containers changed. */
export type PodSidecarUpgrade =
  | { readonly kind: 'upgraded'; readonly pod: Pod; readonly changedContainers: readonly string[] }
  | { readonly kind: 'failed'; readonly reason: 'patch-pod-metadata-failed'; readonly message: string };

function withImage(pod: Pod, name: string, image: string): Pod {
  const set = (c: Container) => (c.name === name ? { ...c, image } : c);
  return { ...pod, spec: { ...pod.spec, containers: pod.spec.containers.map(set) } };
}

const imageOf = (pod: Pod, name: string) => pod.spec.containers.find((c) => c.name === name)?.image ?? '';

/**
 * Returns which twin of a hot-upgrade sidecar gets the new image, and the other one (OpenKruise's
 * `findContainerToHotUpgrade`): the one on the empty image; else the not-ready one (ready = status
 * ready and consistent); else the one that is not working.
 *
 * @example envoy-1 working on envoy:v1, envoy-2 on the empty image → { upgrade: 'envoy-2', other: 'envoy-1' }
 */
export function findContainerToHotUpgrade(ss: SidecarSet, sidecar: SidecarContainer, pod: Pod): { upgrade: string; other: string } {
  const [first, second] = hotUpgradeContainerNames(sidecar.name);
  const empty = sidecar.upgradeStrategy?.hotUpgradeEmptyImage ?? '';
  if (imageOf(pod, first) === empty) return { upgrade: first, other: second };
  if (imageOf(pod, second) === empty) return { upgrade: second, other: first };
  const ready = (name: string) => pod.status?.containerStatuses?.find((s) => s.name === name)?.ready === true && isSidecarSetPodConsistent(ss, pod, [name]);
  const [firstReady, secondReady] = [ready(first), ready(second)];
  if (firstReady && !secondReady) return { upgrade: second, other: first };
  if (!firstReady && secondReady) return { upgrade: first, other: second };
  const { working, other } = podHotUpgradeContainers(sidecar.name, pod);
  return { upgrade: other, other: working };
}

// Gives `sidecar`'s image to its container (or to the twin chosen for a hot upgrade).
function upgradeOne(ss: SidecarSet, sidecar: SidecarContainer, pod: Pod): { pod: Pod; changed?: string } {
  const image = sidecar.image ?? '';
  if (!isHotUpgradeContainer(sidecar)) return imageOf(pod, sidecar.name) === image ? { pod } : { pod: withImage(pod, sidecar.name, image), changed: sidecar.name };
  const { upgrade, other } = findContainerToHotUpgrade(ss, sidecar, pod);
  if (imageOf(pod, other) === image) return { pod };
  const annotations = pod.metadata.annotations ?? {};
  const version = ss.metadata?.resourceVersion ?? '';
  const info = { ...podHotUpgradeWorkInfo(pod), [sidecar.name]: upgrade };
  const updated = withImage(pod, upgrade, image);
  return {
    changed: upgrade,
    pod: {
      ...updated,
      metadata: {
        ...updated.metadata,
        annotations: {
          ...annotations,
          [SIDECARSET_WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION]: serializeHotUpgradeWorkInfo(info),
          [sidecarSetVersionAnnotation(upgrade)]: version,
          [sidecarSetVersionAltAnnotation(upgrade)]: annotations[sidecarSetVersionAnnotation(other)] ?? '',
          [sidecarSetVersionAltAnnotation(other)]: version,
        },
      },
    },
  };
}

// The SidecarSet's record in the pod's hash annotation, renewed (the without-image one is not touched).
function renewedHashAnnotation(ss: SidecarSet, pod: Pod, now: EpochMs): string {
  const read = readPodSidecarSetHashes(pod.metadata, 'hash');
  const name = ss.metadata?.name ?? '';
  const sidecarList = [...new Set([...(ss.spec.initContainers ?? []).filter(isNativeSidecar), ...(ss.spec.containers ?? [])].map((c) => c.name))].sort();
  const revision = ss.status?.latestRevision ?? '';
  const record = { updateTimestamp: formatTime(now), hash: sidecarSetHash(ss), sidecarSetName: name, sidecarList, ...(revision !== '' && { controllerRevision: revision }) };
  return serializePodSidecarSetHashes({ ...(read.kind === 'parsed' ? read.hashes : {}), [name]: record });
}

/** Options of {@link upgradePodSidecars}. */
export interface UpgradePodSidecarsOptions {
  /** Written to `kruise.io/sidecarset-injected-list` when the pod has none (default: this SidecarSet's name). */
  readonly matchedSidecarSets?: readonly string[] | undefined;
}

/**
 * Returns the pod with the SidecarSet's sidecars upgraded in place: each sidecar whose image differs
 * gets the SidecarSet's image (a hot-upgrade sidecar: the twin {@link findContainerToHotUpgrade}
 * picks, with the working-container and version annotations swapped, the version being the
 * SidecarSet's resourceVersion); the SidecarSet's hash record renewed (`now`, hash, sidecar list,
 * `status.latestRevision`); the changed containers' current imageIDs recorded in
 * `kruise.io/sidecarset-inplace-update-state`; the injected list filled when missing; and
 * `patchPodMetadata` applied again (Retain, Overwrite and MergePatchJson alike).
 *
 * @example fluentd:1 → SidecarSet fluentd:2 → { kind: 'upgraded', changedContainers: ['fluentd'], pod: image fluentd:2, hash record renewed }
 */
export function upgradePodSidecars(ss: SidecarSet, pod: Pod, now: EpochMs, options: UpgradePodSidecarsOptions = {}): PodSidecarUpgrade {
  let current = pod;
  const changed: string[] = [];
  for (const sidecar of ss.spec.containers ?? []) {
    const step = upgradeOne(ss, sidecar, current);
    current = step.pod;
    if (step.changed !== undefined) changed.push(step.changed);
  }
  const annotations: Record<string, string> = {
    ...current.metadata.annotations,
    [SIDECARSET_HASH_ANNOTATION]: renewedHashAnnotation(ss, current, now),
    [SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION]: recordSidecarUpgrade(pod, ss, changed, now),
  };
  if ((annotations[SIDECARSET_INJECTED_LIST_ANNOTATION] ?? '') === '') {
    annotations[SIDECARSET_INJECTED_LIST_ANNOTATION] = (options.matchedSidecarSets ?? [ss.metadata?.name ?? '']).join(',');
  }
  const patched = patchPodAnnotations(annotations, ss.spec.patchPodMetadata ?? []);
  if (patched.kind === 'failed') return { kind: 'failed', reason: 'patch-pod-metadata-failed', message: patched.message };
  return { kind: 'upgraded', pod: { ...current, metadata: { ...current.metadata, annotations: { ...patched.annotations } } }, changedContainers: changed };
}

/**
 * Returns whether the pod is half-way through a hot upgrade of the SidecarSet: some hot-upgrade
 * sidecar's idle twin is not on the empty image (OpenKruise's `isPodSidecarInHotUpgrading`).
 *
 * @example envoy-2 working, idle envoy-1 still on envoy:v1 (not the empty image) → true
 */
export function isPodInHotUpgrade(ss: SidecarSet, pod: Pod): boolean {
  return (ss.spec.containers ?? []).filter(isHotUpgradeContainer).some((c) => imageOf(pod, podHotUpgradeContainers(c.name, pod).other) !== (c.upgradeStrategy?.hotUpgradeEmptyImage ?? ''));
}

/**
 * Returns the pod with the idle twin of every hot-upgrade sidecar set back to the empty image, once
 * the new one works (OpenKruise's `flipPodSidecarContainerDo`): the idle twin's version annotation
 * and the working twin's version-alt annotation become `0`, and the reset containers' imageIDs are
 * recorded in the in-place update state. The hash records are not touched.
 *
 * @example envoy-2 working on envoy:v2, envoy-1 still on envoy:v1 → envoy-1 gets the empty image, changedContainers ['envoy-1']
 */
export function resetHotUpgradeIdleContainers(ss: SidecarSet, pod: Pod, now: EpochMs): { pod: Pod; changedContainers: string[] } {
  let current = pod;
  const changed: string[] = [];
  const annotations: Record<string, string> = { ...pod.metadata.annotations };
  for (const sidecar of (ss.spec.containers ?? []).filter(isHotUpgradeContainer)) {
    const empty = sidecar.upgradeStrategy?.hotUpgradeEmptyImage ?? '';
    const { working, other } = podHotUpgradeContainers(sidecar.name, pod);
    if (imageOf(current, other) === empty) continue;
    current = withImage(current, other, empty);
    changed.push(other);
    annotations[sidecarSetVersionAnnotation(other)] = '0';
    annotations[sidecarSetVersionAltAnnotation(working)] = '0';
  }
  annotations[SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION] = recordSidecarUpgrade(pod, ss, changed, now);
  return { pod: { ...current, metadata: { ...current.metadata, annotations } }, changedContainers: changed };
}
