import { z } from 'zod';
import { RUNTIME_CONTAINERS_META_ANNOTATION, SIDECARSET_HASH_ANNOTATION } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import { getPodCondition } from '../shared/podState.js';
import { parseAnnotationJson } from './annotationJson.js';
import { extractedEnvFromMetadataHash } from './envFromMetadata.js';

/** One container as kruise-daemon reports it in `apps.kruise.io/runtime-containers-meta`. */
export interface RuntimeContainerMeta {
  /** Container name in the pod. */
  readonly name: string;
  /** Runtime id with its scheme, as in the pod status (`containerd://0f3a…`). */
  readonly containerID: string;
  /** The container's restart count when the daemon first saw this id. */
  readonly restartCount: number;
  /** `extractedEnvFromMetadataHash`: the env-from-metadata values the running container holds (absent or 0 = not read yet). */
  readonly hashes: { readonly extractedEnvFromMetadataHash?: number | undefined };
}

/** The value of `apps.kruise.io/runtime-containers-meta` (OpenKruise's `RuntimeContainerMetaSet`). */
export interface RuntimeContainerMetaSet {
  readonly containers: readonly RuntimeContainerMeta[];
}

const MetaSetSchema = z.looseObject({
  containers: z.array(
    z.looseObject({
      name: z.string(),
      containerID: z.string().default(''),
      restartCount: z.number().int().default(0),
      hashes: z.looseObject({ extractedEnvFromMetadataHash: z.number().optional() }).default({}),
    }),
  ).default([]),
});

/**
 * Returns the pod's `apps.kruise.io/runtime-containers-meta`, `undefined` when it has none or it
 * cannot be read (the daemon then reports a fresh one, as OpenKruise does).
 *
 * @example readRuntimeContainerMetaSet(pod) // { containers: [{ name: 'app', containerID: 'containerd://c1', restartCount: 0, hashes: { extractedEnvFromMetadataHash: 123 } }] }
 */
export function readRuntimeContainerMetaSet(pod: Pick<Pod, 'metadata'>): RuntimeContainerMetaSet | undefined {
  const text = pod.metadata.annotations?.[RUNTIME_CONTAINERS_META_ANNOTATION];
  if (text === undefined) return undefined;
  const parsed = parseAnnotationJson(text, MetaSetSchema);
  return parsed.kind === 'parsed' ? parsed.value : undefined;
}

/** Returns the annotation text of a meta set, members in OpenKruise's order (name, containerID, restartCount, hashes). */
export function formatRuntimeContainerMetaSet(set: RuntimeContainerMetaSet): string {
  // Object literals keep their member order in JSON.stringify.
  const containers = set.containers.map((c) => ({
    name: c.name,
    containerID: c.containerID,
    restartCount: c.restartCount,
    hashes: c.hashes.extractedEnvFromMetadataHash ? { extractedEnvFromMetadataHash: c.hashes.extractedEnvFromMetadataHash } : {},
  }));
  return JSON.stringify({ containers });
}

/** The newest container of a name in a pod, as the daemon reads it from the runtime. */
export interface ContainerMetaRuntimeStatus {
  /** Container name in the pod. */
  readonly name: string;
  /** Runtime id with its scheme (`containerd://…`), comparable with the pod status. */
  readonly containerID: string;
  /** Restart count (CRI attempt). */
  readonly restartCount: number;
  /** Whether the runtime reports it running (only a running container's env can be read). */
  readonly running: boolean;
}

/**
 * Returns whether a pod event is worth a container-meta sync (OpenKruise's containermeta
 * `eventFilter`): only pods controlled by an `apps.kruise.io` owner or injected by a SidecarSet;
 * then when the containers changed in number, a started container has no or a different reported
 * id, or (with InPlaceUpdateEnvFromMetadata) the expected env hash differs from the reported one
 * or from the previous pod's.
 *
 * @example a CloneSet pod whose annotation `cfg` (read by env) changed from v1 to v2 → true
 */
export function shouldSyncContainerMeta(oldPod: Pod | undefined, pod: Pod, envFromMetadata: boolean): boolean {
  const owner = pod.metadata.ownerReferences?.find((ref) => ref.controller === true);
  const ownedByKruise = owner !== undefined && owner.apiVersion.split('/')[0] === 'apps.kruise.io';
  if (!ownedByKruise && pod.metadata.annotations?.[SIDECARSET_HASH_ANNOTATION] === undefined) return false;
  if (oldPod !== undefined && oldPod.spec.containers.length !== pod.spec.containers.length) return true;
  const metaSet = readRuntimeContainerMetaSet(pod);
  const statuses = pod.status?.containerStatuses ?? [];
  return statuses.some((status, i) => {
    if ((status.containerID ?? '') === '') return false;
    const reported = metaSet?.containers[i];
    if (metaSet === undefined || metaSet.containers.length !== statuses.length || reported === undefined || reported.containerID !== status.containerID) return true;
    const spec = pod.spec.containers[i];
    if (!envFromMetadata || spec === undefined) return false;
    const expected = extractedEnvFromMetadataHash(spec, pod.metadata);
    if (expected !== (reported.hashes.extractedEnvFromMetadataHash ?? 0)) return true;
    const oldSpec = oldPod?.spec.containers[i];
    return oldPod !== undefined && oldSpec !== undefined && expected !== extractedEnvFromMetadataHash(oldSpec, oldPod.metadata);
  });
}

/** A container whose env must be read (`exec env`) before {@link planContainerMetaSync} can hash it. */
export interface EnvHashRead {
  readonly name: string;
  readonly containerID: string;
}

/**
 * Returns the containers whose current env hash the daemon must read first: with
 * InPlaceUpdateEnvFromMetadata, running containers the pod status lists whose id has no reported
 * hash yet (new ids, or a hash left 0 by a failed read).
 *
 * @example app restarted as containerd://c2 while the annotation reports c1 → [{ name: 'app', containerID: 'containerd://c2' }]
 */
export function listEnvHashReads(pod: Pod, runtime: readonly ContainerMetaRuntimeStatus[], envFromMetadata: boolean): EnvHashRead[] {
  if (!envFromMetadata) return [];
  const old = readRuntimeContainerMetaSet(pod);
  return (pod.status?.containerStatuses ?? []).flatMap((status) => {
    const current = runtime.find((r) => r.name === status.name);
    if (current === undefined || !current.running || !pod.spec.containers.some((c) => c.name === status.name)) return [];
    const known = old?.containers.find((c) => c.containerID === current.containerID);
    return (known?.hashes.extractedEnvFromMetadataHash ?? 0) === 0 ? [{ name: status.name, containerID: current.containerID }] : [];
  });
}

/** A container the daemon stops so the kubelet starts it again with the new env. */
export interface ContainerMetaRestart {
  readonly name: string;
  readonly containerID: string;
  /** Always `env-from-metadata-changed`: the container holds other env-from-metadata values than the pod's metadata gives. */
  readonly reason: 'env-from-metadata-changed';
  readonly currentHash: number;
  readonly expectedHash: number;
}

/** Input of {@link planContainerMetaSync}. */
export interface ContainerMetaSyncInput {
  readonly pod: Pod;
  /** The newest runtime container of each name in the pod. */
  readonly runtime: readonly ContainerMetaRuntimeStatus[];
  /** Current env hashes read for {@link listEnvHashReads}, by prefixed container id; a failed read is absent. */
  readonly envHashes: Readonly<Record<string, number>>;
  /** Feature gate InPlaceUpdateEnvFromMetadata. */
  readonly envFromMetadata: boolean;
}

/** What {@link planContainerMetaSync} decided. */
export interface ContainerMetaSyncPlan {
  /** The meta set to report. */
  readonly metaSet: RuntimeContainerMetaSet;
  /** Whether it differs from the pod's annotation (only then the daemon patches the pod). */
  readonly changed: boolean;
  /** Containers to stop (only while the pod's InPlaceUpdateReady condition is False). */
  readonly restarts: readonly ContainerMetaRestart[];
  /** 3000 when an env read failed and the pod should be synced again (OpenKruise's 3 s requeue). */
  readonly requeueAfterMs?: number;
}

/**
 * Returns kruise-daemon's container-meta decision for one pod (OpenKruise's containermeta
 * `manageContainerMetaSet`): one entry per container status the runtime knows, kept from the
 * annotation when its id did not change, else new (name, prefixed id, restart count). With
 * InPlaceUpdateEnvFromMetadata a missing hash is filled from `envHashes`; and while the pod's
 * `InPlaceUpdateReady` condition is False (an in-place update is running), a container whose
 * current hash is set and differs from the one its spec expects from the pod's labels and
 * annotations is restarted.
 *
 * @example annotation cfg v1→v2 (read by `app`), InPlaceUpdateReady False, reported hash of v1
 *   → restarts [{ name: 'app', reason: 'env-from-metadata-changed', … }], changed false
 */
export function planContainerMetaSync(input: ContainerMetaSyncInput): ContainerMetaSyncPlan {
  const { pod, runtime, envHashes, envFromMetadata } = input;
  const old = readRuntimeContainerMetaSet(pod);
  const updating = getPodCondition(pod, 'InPlaceUpdateReady')?.status === 'False';
  const containers: RuntimeContainerMeta[] = [];
  const restarts: ContainerMetaRestart[] = [];
  let readFailed = false;
  for (const status of pod.status?.containerStatuses ?? []) {
    const current = runtime.find((r) => r.name === status.name);
    const spec = pod.spec.containers.find((c) => c.name === status.name);
    if (current === undefined || spec === undefined) continue;
    const known = old?.containers.find((c) => c.containerID === current.containerID);
    let meta: RuntimeContainerMeta = known ?? { name: current.name, containerID: current.containerID, restartCount: current.restartCount, hashes: {} };
    if (envFromMetadata) {
      let hash = meta.hashes.extractedEnvFromMetadataHash ?? 0;
      if (hash === 0 && current.running) {
        const read = envHashes[current.containerID];
        if (read === undefined) readFailed = true;
        else {
          hash = read;
          meta = { ...meta, hashes: { ...meta.hashes, extractedEnvFromMetadataHash: read } };
        }
      }
      const expected = extractedEnvFromMetadataHash(spec, pod.metadata);
      if (updating && hash > 0 && hash !== expected) restarts.push({ name: status.name, containerID: current.containerID, reason: 'env-from-metadata-changed', currentHash: hash, expectedHash: expected });
    }
    containers.push(meta);
  }
  const metaSet: RuntimeContainerMetaSet = { containers };
  const changed = old === undefined || formatRuntimeContainerMetaSet(old) !== formatRuntimeContainerMetaSet(metaSet);
  return readFailed ? { metaSet, changed, restarts, requeueAfterMs: 3000 } : { metaSet, changed, restarts };
}
