import { z } from 'zod';
import { INPLACE_UPDATE_GRACE_ANNOTATION, INPLACE_UPDATE_GRACE_ANNOTATION_OLD, RUNTIME_CONTAINERS_META_ANNOTATION } from '../api/labels.js';
import type { Container, ContainerStatus, Pod, ResourceRequirements } from '../api/pod.js';
import { parseTime, type EpochMs } from '../shared/podState.js';
import { quantitiesEqual } from '../shared/quantity.js';
import { parseAnnotationJson } from './annotationJson.js';
import { extractedEnvFromMetadataHash } from './envFromMetadata.js';
import type { InPlaceFeatureGates } from './inPlaceFeatureGates.js';
import { parseInPlaceUpdateSpec } from './inPlaceUpdateSpec.js';
import { readInPlaceUpdateState, type InPlaceUpdateContainerStatus, type InPlaceUpdateState } from './inPlaceUpdateState.js';
import { normalizeImageReference } from './normalizeImageReference.js';

/**
 * Where an in-place update stands, from the pod alone:
 * - `completed`: nothing left to wait for (also for a pod never updated in place);
 * - `in-grace`: the spec is still parked; `remainingSeconds` until it can be applied (0 = due);
 * - `next-batch-pending`: `containers` wait for a later launch-priority batch;
 * - `waiting-env-from-metadata`: kruise-daemon has not reported (`runtime-meta-missing`) or not yet
 *   the expected env hash / container (`runtime-meta-outdated`, for `container`);
 * - `waiting-image`: `container` still reports its old imageID and old image;
 * - `waiting-resources`: `container` does not report its spec resources yet (vertical scaling);
 * - `container-status-missing`: recorded `containers` have no status (with vertical scaling: any
 *   container of the spec);
 * - `invalid-state`: the state annotation cannot be read (`message` says why).
 */
export type InPlaceCompletion =
  | { readonly kind: 'completed' }
  | { readonly kind: 'in-grace'; readonly remainingSeconds: number }
  | { readonly kind: 'next-batch-pending'; readonly containers: readonly string[] }
  | { readonly kind: 'waiting-env-from-metadata'; readonly reason: 'runtime-meta-missing' | 'runtime-meta-outdated'; readonly container?: string }
  | { readonly kind: 'waiting-image'; readonly container: string }
  | { readonly kind: 'waiting-resources'; readonly container: string }
  | { readonly kind: 'container-status-missing'; readonly containers: readonly string[] }
  | { readonly kind: 'invalid-state'; readonly message: string };

/** Options of {@link checkInPlaceUpdateCompleted}. */
export interface CheckInPlaceUpdateCompletedOptions {
  /** Expected `extractedEnvFromMetadataHash` of a container (defaults to kruise-ts's {@link extractedEnvFromMetadataHash}). */
  readonly envFromMetadataHash?: (container: Container, pod: Pod) => number | string;
  /**
   * OpenKruise feature gates. When `InPlaceWorkloadVerticalScaling` is unset it is read from the
   * state: `updateResources` is only recorded for a spec made with the gate on.
   */
  readonly featureGates?: InPlaceFeatureGates;
}

const RuntimeContainerMetaSetSchema = z.looseObject({
  containers: z.array(
    z.looseObject({
      name: z.string(),
      containerID: z.string().optional(),
      hashes: z.looseObject({ extractedEnvFromMetadataHash: z.union([z.number(), z.string()]).optional() }).optional(),
    }),
  ),
});

/**
 * Returns whether the pod's in-place update has finished (OpenKruise's
 * `DefaultCheckInPlaceUpdateCompleted`): not while the spec is parked in the grace annotation or
 * a later container batch is pending; with `updateEnvFromMetadata`, not until kruise-daemon's
 * `apps.kruise.io/runtime-containers-meta` reports the expected env hash for every container;
 * with InPlaceWorkloadVerticalScaling and a state that `updateResources`, not until every
 * container reports (`status.containerStatuses[].resources`) exactly its spec requests and limits
 * (OpenKruise `NativeVerticalUpdate.IsUpdateCompleted`); then every recorded container must report
 * a new imageID (or the same imageID with the spec's image: untagged images compare as `:latest`,
 * `docker.io/library/` is implied). A pod without state counts as completed.
 *
 * @example state lastContainerStatuses { app: { imageID: 'sha256:1' } }, status app imageID 'sha256:2'
 *   // { kind: 'completed' }; with imageID still 'sha256:1' and status image nginx:1 → { kind: 'waiting-image', container: 'app' }
 */
export function checkInPlaceUpdateCompleted(pod: Pod, now: EpochMs, options: CheckInPlaceUpdateCompletedOptions = {}): InPlaceCompletion {
  const grace = pod.metadata.annotations?.[INPLACE_UPDATE_GRACE_ANNOTATION] ?? pod.metadata.annotations?.[INPLACE_UPDATE_GRACE_ANNOTATION_OLD];
  const read = readInPlaceUpdateState(pod.metadata);
  if (grace !== undefined) return { kind: 'in-grace', remainingSeconds: remainingGraceSeconds(grace, read.kind === 'parsed' ? read.state : undefined, now) };
  if (read.kind === 'missing') return { kind: 'completed' };
  if (read.kind === 'invalid') return { kind: 'invalid-state', message: read.message };
  const { state } = read;
  const pending = [...Object.keys(state.nextContainerImages ?? {}), ...Object.keys(state.nextContainerRefMetadata ?? {}), ...Object.keys(state.nextContainerResources ?? {})];
  if (pending.length > 0) return { kind: 'next-batch-pending', containers: [...new Set(pending)].sort() };
  return checkContainersUpdated(pod, state, options);
}

/**
 * Returns whether the containers changed so far have been updated by the kubelet (OpenKruise's
 * `CheckContainersUpdateCompleted`), ignoring grace periods and pending batches.
 *
 * @example the recorded imageID changed for every recorded container → { kind: 'completed' }
 */
export function checkContainersUpdated(pod: Pod, state: InPlaceUpdateState, options: CheckInPlaceUpdateCompletedOptions = {}): InPlaceCompletion {
  if (state.updateEnvFromMetadata === true) {
    const env = checkEnvFromMetadata(pod, options.envFromMetadataHash ?? ((container, p) => extractedEnvFromMetadataHash(container, p.metadata)));
    if (env) return env;
  }
  // The gate unset: a state that says `updateResources` was written with vertical scaling on.
  const verticalScaling = options.featureGates?.InPlaceWorkloadVerticalScaling ?? true;
  if (verticalScaling && state.updateResources === true) {
    const resized = checkResourcesApplied(pod);
    if (resized) return resized;
  }
  // Each recorded container against its first status (no Map of the record: this runs for every
  // pod updated in place, several times a pass).
  const recorded = state.lastContainerStatuses ?? {};
  const seen: string[] = [];
  for (const status of pod.status?.containerStatuses ?? []) {
    const last = Object.hasOwn(recorded, status.name) && !seen.includes(status.name) ? recorded[status.name] : undefined;
    if (!last) continue;
    seen.push(status.name);
    if (!imageUpdated(last, status, containerNamed(pod, status.name))) return { kind: 'waiting-image', container: status.name };
  }
  const missing = Object.keys(recorded).filter((name) => !seen.includes(name));
  if (missing.length > 0) return { kind: 'container-status-missing', containers: missing.sort() };
  return { kind: 'completed' };
}

function containerNamed(pod: Pod, name: string): Container | undefined {
  for (const container of pod.spec.containers) if (container.name === name) return container;
  return undefined;
}

function remainingGraceSeconds(graceText: string, state: InPlaceUpdateState | undefined, now: EpochMs): number {
  const spec = parseInPlaceUpdateSpec(graceText);
  const started = parseTime(state?.updateTimestamp);
  if (spec.kind === 'invalid' || started === undefined) return 0;
  const remainingMillis = started + (spec.value.graceSeconds ?? 0) * 1000 - now;
  return Math.max(0, Math.ceil(remainingMillis / 1000));
}

function checkEnvFromMetadata(pod: Pod, expectedHash: (container: Container, pod: Pod) => number | string): InPlaceCompletion | undefined {
  const text = pod.metadata.annotations?.[RUNTIME_CONTAINERS_META_ANNOTATION];
  const meta = text === undefined ? undefined : parseAnnotationJson(text, RuntimeContainerMetaSetSchema);
  if (meta?.kind !== 'parsed') return { kind: 'waiting-env-from-metadata', reason: 'runtime-meta-missing' };
  for (const container of pod.spec.containers) {
    const status = pod.status?.containerStatuses?.find((s) => s.name === container.name);
    const reported = meta.value.containers.find((c) => c.name === container.name);
    const consistent =
      status !== undefined &&
      reported !== undefined &&
      reported.containerID === status.containerID &&
      String(reported.hashes?.extractedEnvFromMetadataHash ?? '') === String(expectedHash(container, pod));
    if (!consistent) return { kind: 'waiting-env-from-metadata', reason: 'runtime-meta-outdated', container: container.name };
  }
  return undefined;
}

/** Updated when the imageID changed, or stayed the same while the runtime already reports the spec's image. */
function imageUpdated(last: InPlaceUpdateContainerStatus, status: ContainerStatus, container: Container | undefined): boolean {
  if ((last.imageID ?? '') !== (status.imageID ?? '')) return true;
  return container?.image !== undefined && status.image !== undefined && normalizeImageReference(container.image) === normalizeImageReference(status.image);
}

/**
 * Returns why the kubelet has not applied the spec resources yet, or `undefined` once every
 * container reports them: a status per spec container, each reporting `resources` whose requests
 * and limits hold the same names with equal quantities as the spec's.
 */
function checkResourcesApplied(pod: Pod): InPlaceCompletion | undefined {
  const statuses = pod.status?.containerStatuses ?? [];
  if (statuses.length !== pod.spec.containers.length) {
    const missing = pod.spec.containers.filter((c) => !statuses.some((s) => s.name === c.name)).map((c) => c.name);
    return { kind: 'container-status-missing', containers: missing.sort() };
  }
  for (const status of statuses) {
    const container = pod.spec.containers.find((c) => c.name === status.name);
    if (!container || !status.resources || !resourcesEqual(container.resources, status.resources)) return { kind: 'waiting-resources', container: status.name };
  }
  return undefined;
}

/** Equal when limits and requests name the same resources with equal quantities (absent = empty). */
function resourcesEqual(spec: ResourceRequirements | undefined, reported: ResourceRequirements): boolean {
  return (['limits', 'requests'] as const).every((field) => {
    const wanted = Object.entries(spec?.[field] ?? {});
    const got = reported[field] ?? {};
    return wanted.length === Object.keys(got).length && wanted.every(([name, value]) => got[name] !== undefined && quantitiesEqual(value, got[name]));
  });
}
