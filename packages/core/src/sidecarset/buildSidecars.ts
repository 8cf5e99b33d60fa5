import { SIDECAR_INJECTED_ENV, SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION, SIDECARSET_INJECTED_LIST_ANNOTATION } from '../api/labels.js';
import type { Pod, Volume, VolumeMount } from '../api/pod.js';
import type { SidecarContainer, SidecarSet } from '../api/sidecarSet.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import { hotUpgradeContainersFor, isHotUpgradeContainer, podHotUpgradeWorkInfo } from './hotUpgrade.js';
import { podInjectedSidecarSets } from './matchSidecarSet.js';
import { readPodSidecarSetHashes, serializePodSidecarSetHashes, type PodSidecarSetHashes, type SidecarSetUpgradeSpec } from './podSidecarSetHashes.js';
import { kruiseSidecarNames, withResourcesPolicy } from './applyResourcesPolicy.js';
import { isNativeSidecar, sidecarSetHash, sidecarSetHashWithoutImage } from './sidecarSetHash.js';
import { mergeEnvVars, mergeVolumeDevices, mergeVolumeMounts, sharedVolumeDevices, sharedVolumeMounts, transferredEnvs, type VolumeDevice } from './sidecarPodSharing.js';

/** What the SidecarSets add to a pod being created, before it is merged into the pod. */
export interface BuiltSidecars {
  /** Sidecar containers, SidecarSet by SidecarSet in spec order (a hot-upgrade sidecar gives two). */
  readonly containers: readonly SidecarContainer[];
  /** Init containers, in the same order (sorted by name when merged). */
  readonly initContainers: readonly SidecarContainer[];
  /** SidecarSet volumes the sidecars mount, in the order they are first mounted (duplicates possible). */
  readonly volumes: readonly Volume[];
  readonly imagePullSecrets: readonly { readonly name?: string | undefined }[];
  /** Annotations to set on the pod: the two hash records, the injected list, hot-upgrade annotations. */
  readonly annotations: Readonly<Record<string, string>>;
}

/** Options of {@link buildSidecars}. */
export interface BuildSidecarsOptions {
  /** Time written into the hash records. */
  readonly now: EpochMs;
  /** Which of the pod's volume mounts a sidecar with `shareVolumePolicy: enabled` receives. */
  readonly shareMount: (mount: VolumeMount) => boolean;
}

/** Built sidecars, or why OpenKruise refuses the pod: an annotation it cannot read, a resources policy that cannot apply. */
export type BuildSidecarsResult =
  | { readonly kind: 'built'; readonly sidecars: BuiltSidecars }
  | { readonly kind: 'invalid-annotation'; readonly message: string }
  | { readonly kind: 'resources-policy-failed'; readonly sidecarSet: string; readonly message: string };

function devicesOf(container: SidecarContainer): VolumeDevice[] {
  const devices = container['volumeDevices'];
  return Array.isArray(devices) ? (devices as VolumeDevice[]) : [];
}

// One sidecar made ready for the pod: shared mounts and devices, IS_INJECTED, transferred envs.
function prepareSidecar(sidecar: SidecarContainer, pod: Pod, shareMount: (mount: VolumeMount) => boolean): SidecarContainer {
  const shared = sharedVolumeMounts(sidecar, pod, shareMount);
  const envs = mergeEnvVars(transferredEnvs(sidecar, pod), shared.envs);
  const devices = mergeVolumeDevices(sidecar, sharedVolumeDevices(sidecar, pod));
  return {
    ...sidecar,
    volumeMounts: mergeVolumeMounts(sidecar, shared.mounts),
    env: mergeEnvVars([...(sidecar.env ?? []), { name: SIDECAR_INJECTED_ENV, value: 'true' }], envs),
    ...(devices.length > 0 && { volumeDevices: devices }),
  };
}

// SidecarSet volumes named by the sidecar's own mounts and devices (a name the SidecarSet lacks is left to the pod).
function volumesFor(sidecar: SidecarContainer, ss: SidecarSet): Volume[] {
  const volumes = new Map((ss.spec.volumes ?? []).map((v) => [v.name, v]));
  const names = [...(sidecar.volumeMounts ?? []).map((m) => m.name), ...devicesOf(sidecar).map((d) => d.name)];
  return names.flatMap((name) => {
    const volume = volumes.get(name);
    return volume ? [volume] : [];
  });
}

interface Accumulator {
  /** Pod containers a resources policy may not target: the sidecars of every SidecarSet injected. */
  kruiseNames: ReadonlySet<string>;
  containers: SidecarContainer[];
  initContainers: SidecarContainer[];
  volumes: Volume[];
  imagePullSecrets: { name?: string | undefined }[];
  annotations: Record<string, string>;
  workInfo: Record<string, string>;
}

// Adds the sidecar (or its two hot-upgrade containers) to `into`.
function addSidecar(acc: Accumulator, into: SidecarContainer[], sidecar: SidecarContainer, hot: boolean): void {
  if (!hot) {
    into.push(sidecar);
    return;
  }
  const twins = hotUpgradeContainersFor(sidecar, acc.workInfo);
  into.push(...twins.containers);
  acc.workInfo = twins.workInfo;
  Object.assign(acc.annotations, twins.annotations);
}

// Injects one SidecarSet; returns the names for its `sidecarList`, or why a resources policy failed.
function buildOne(acc: Accumulator, ss: SidecarSet, pod: Pod, shareMount: (mount: VolumeMount) => boolean): string[] | { readonly failed: string } {
  const sidecarList: string[] = [];
  for (const init of ss.spec.initContainers ?? []) {
    const sized = withResourcesPolicy(init, pod, acc.kruiseNames);
    if (sized.kind === 'failed') return { failed: sized.message };
    if (isNativeSidecar(init)) sidecarList.push(init.name);
    acc.volumes.push(...volumesFor(init, ss));
    addSidecar(acc, acc.initContainers, prepareSidecar(sized.sidecar, pod, shareMount), isNativeSidecar(init) && isHotUpgradeContainer(init));
  }
  acc.imagePullSecrets.push(...(ss.spec.imagePullSecrets ?? []));
  for (const container of ss.spec.containers ?? []) {
    const sized = withResourcesPolicy(container, pod, acc.kruiseNames);
    if (sized.kind === 'failed') return { failed: sized.message };
    sidecarList.push(container.name);
    acc.volumes.push(...volumesFor(container, ss));
    addSidecar(acc, acc.containers, prepareSidecar(sized.sidecar, pod, shareMount), isHotUpgradeContainer(container));
  }
  return [...new Set(sidecarList)].sort();
}

/**
 * Returns what the given SidecarSets (already resolved to the revision to inject) add to a pod
 * being created, as OpenKruise's `buildSidecars`: for each SidecarSet in order, its initContainers
 * (native sidecars and, for hot upgrade, their twin) then its containers, each sized by its
 * `resourcesPolicy` (`withResourcesPolicy`: from the pod's own containers, never from the
 * sidecars of these SidecarSets; a policy that cannot apply refuses the pod) and with the volume
 * mounts and devices it shares with the pod, `IS_INJECTED=true` and its transferred envs; the
 * SidecarSet volumes they mount; its imagePullSecrets; and the pod annotations: the SidecarSet's
 * record in `kruise.io/sidecarset-hash` (hash, `now`, sorted sidecar list, `status.latestRevision`)
 * and `-hash-without-image`, other SidecarSets' records kept; the injected list (the pod's plus these,
 * sorted, comma-joined); hot-upgrade versions and working containers. A SidecarSet with nothing to
 * inject gets no hash record but is still listed.
 *
 * @example one SidecarSet `log` with container `fluentd` mounting `logs` → containers [fluentd (+IS_INJECTED)], volumes [logs],
 *   annotations { 'kruise.io/sidecarset-injected-list': 'log', 'kruise.io/sidecarset-hash': '{"log":{...}}', ... }
 */
export function buildSidecars(pod: Pod, sidecarSets: readonly SidecarSet[], options: BuildSidecarsOptions): BuildSidecarsResult {
  const read = (kind: 'hash' | 'hash-without-image'): PodSidecarSetHashes | string => {
    const r = readPodSidecarSetHashes(pod.metadata, kind);
    return r.kind === 'invalid' ? r.message : r.kind === 'parsed' ? r.hashes : {};
  };
  const hashes = read('hash');
  const withoutImage = read('hash-without-image');
  if (typeof hashes === 'string') return { kind: 'invalid-annotation', message: hashes };
  if (typeof withoutImage === 'string') return { kind: 'invalid-annotation', message: withoutImage };
  const records: Record<string, SidecarSetUpgradeSpec> = { ...hashes };
  const recordsWithoutImage: Record<string, SidecarSetUpgradeSpec> = { ...withoutImage };
  const acc: Accumulator = { kruiseNames: kruiseSidecarNames(sidecarSets), containers: [], initContainers: [], volumes: [], imagePullSecrets: [], annotations: {}, workInfo: podHotUpgradeWorkInfo(pod) };
  const names = new Set(podInjectedSidecarSets(pod));
  const updateTimestamp = formatTime(options.now);
  for (const ss of sidecarSets) {
    const name = ss.metadata?.name ?? '';
    names.add(name);
    const before = acc.containers.length + acc.initContainers.length;
    const sidecarList = buildOne(acc, ss, pod, options.shareMount);
    if ('failed' in sidecarList) return { kind: 'resources-policy-failed', sidecarSet: name, message: sidecarList.failed };
    if (acc.containers.length + acc.initContainers.length === before) continue;
    const revision = ss.status?.latestRevision ?? '';
    records[name] = { updateTimestamp, hash: sidecarSetHash(ss), sidecarSetName: name, sidecarList, ...(revision !== '' && { controllerRevision: revision }) };
    recordsWithoutImage[name] = { updateTimestamp, hash: sidecarSetHashWithoutImage(ss), sidecarSetName: name, sidecarList };
  }
  return {
    kind: 'built',
    sidecars: {
      containers: acc.containers,
      initContainers: acc.initContainers,
      volumes: acc.volumes,
      imagePullSecrets: acc.imagePullSecrets,
      annotations: {
        ...acc.annotations,
        [SIDECARSET_HASH_ANNOTATION]: serializePodSidecarSetHashes(records),
        [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]: serializePodSidecarSetHashes(recordsWithoutImage),
        [SIDECARSET_INJECTED_LIST_ANNOTATION]: [...names].sort().join(','),
      },
    },
  };
}
