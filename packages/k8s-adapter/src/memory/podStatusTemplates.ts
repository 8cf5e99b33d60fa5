import { createHash } from 'node:crypto';
import { imageIdOf, type ImageDigests } from './imageDigests.js';
import { isJsonObject, type JsonObject, type JsonValue, text } from './jsonValue.js';

/**
 * The pod status changes of the simulated kubelet: the memory cluster's version of the kwok
 * stages of the test cluster (packages/k8s-adapter/envtest/kwok/*.yaml), field for field. Each
 * returns the `status` of a strategic merge patch to the pod's status subresource.
 */

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const objects = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isJsonObject) : []);
const specOf = (pod: JsonObject): JsonObject => (isJsonObject(pod.spec) ? pod.spec : {});
const statusOf = (pod: JsonObject): JsonObject => (isJsonObject(pod.status) ? pod.status : {});

/** Returns a container ID unique to the pod, container and start (kwok hashes a nanosecond time; here the restart count stands in). */
function containerId(pod: JsonObject, name: string, now: string, restarts = 0): string {
  const uid = isJsonObject(pod.metadata) ? text(pod.metadata.uid) : '';
  return `kwok://${sha256(`${uid}/${name}/${now}/${text(restarts)}`)}`;
}

/** Returns whether every readiness gate has a True condition, and the (last) gate that has not. */
export function readinessGates(pod: JsonObject): { ready: boolean; missing: string } {
  const gates = objects(specOf(pod).readinessGates).map((g) => text(g.conditionType));
  const trueTypes = new Set(objects(statusOf(pod).conditions).filter((c) => c.status === 'True').map((c) => c.type));
  const missing = gates.filter((g) => !trueTypes.has(g));
  return { ready: missing.length === 0, missing: missing.at(-1) ?? '' };
}

function readyCondition(pod: JsonObject, now: string, clear: boolean): JsonObject {
  const { ready, missing } = readinessGates(pod);
  if (ready) return { type: 'Ready', status: 'True', lastTransitionTime: now, ...(clear ? { reason: null, message: null } : {}) };
  return { type: 'Ready', status: 'False', lastTransitionTime: now, reason: 'ReadinessGatesNotReady', message: `the status of pod readiness gate "${missing}" is not "True"` };
}

/** Returns whether a Running pod's Ready condition disagrees with its readiness gates. */
export function isReadinessStale(pod: JsonObject): boolean {
  const ready = objects(statusOf(pod).conditions).some((c) => c.type === 'Ready' && c.status === 'True');
  return readinessGates(pod).ready !== ready;
}

/**
 * Returns the status of kwok's `pod-ready` stage: Running, conditions (Ready only when every
 * readiness gate is True), container statuses (imageID from `digests`, see `imageIdOf`), IPs.
 */
export function podReadyStatus(pod: JsonObject, now: string, ips: { hostIP: string | undefined; podIP: string | undefined }, digests: ImageDigests = {}): JsonObject {
  const spec = specOf(pod);
  const containerStatuses = objects(spec.containers).map((c) => ({
    name: text(c.name),
    image: text(c.image),
    imageID: imageIdOf(text(c.image), digests),
    containerID: containerId(pod, text(c.name), now),
    ready: true,
    started: true,
    restartCount: 0,
    resources: c.resources ?? {},
    state: { running: { startedAt: now } },
  }));
  const initContainerStatuses = objects(spec.initContainers).map((c) => ({
    name: text(c.name),
    image: text(c.image),
    imageID: imageIdOf(text(c.image), digests),
    ready: true,
    restartCount: 0,
    ...(c.restartPolicy === 'Always'
      ? { started: true, state: { running: { startedAt: now } } }
      : { started: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } } }),
  }));
  return {
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      { type: 'Initialized', status: 'True', lastTransitionTime: now },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
      readyCondition(pod, now, false),
    ],
    containerStatuses,
    initContainerStatuses,
    ...(ips.hostIP === undefined ? {} : { hostIP: ips.hostIP, hostIPs: [{ ip: ips.hostIP }] }),
    ...(ips.podIP === undefined ? {} : { podIP: ips.podIP, podIPs: [{ ip: ips.podIP }] }),
    phase: 'Running',
    startTime: now,
  };
}

/** Returns the status of the `pod-readiness-gates` stage: Ready recomputed from the readiness gates. */
export function readinessStatus(pod: JsonObject, now: string): JsonObject {
  return { conditions: [readyCondition(pod, now, true)] };
}

const imageAndResources = (c: JsonObject): JsonValue => [c.image ?? null, c.resources ?? {}];

/** Returns whether the image or resources of some container differ between spec and status. */
export function needsInPlaceUpdate(pod: JsonObject): boolean {
  const statuses = new Map(objects(statusOf(pod).containerStatuses).map((s) => [s.name, s]));
  return objects(specOf(pod).containers).some((c) => {
    const s = statuses.get(c.name);
    return s === undefined || JSON.stringify(imageAndResources(c)) !== JSON.stringify(imageAndResources(s));
  });
}

/**
 * Returns the status of the `pod-inplace-update` stage: a changed image restarts its container
 * (restartCount + 1, imageID of the new image from `digests`: the same when both references map to
 * one digest); resources follow spec.
 */
export function inPlaceUpdateStatus(pod: JsonObject, now: string, digests: ImageDigests = {}): JsonObject {
  const old = new Map(objects(statusOf(pod).containerStatuses).map((s) => [s.name, s]));
  const containerStatuses = objects(specOf(pod).containers).map((c) => {
    const before = old.get(c.name) ?? {};
    const restarted = (before.image ?? '') !== c.image;
    const restartCount = typeof before.restartCount === 'number' ? before.restartCount : 0;
    const common = { name: text(c.name), image: text(c.image), imageID: imageIdOf(text(c.image), digests), ready: true, started: true, resources: c.resources ?? {} };
    return restarted
      ? { ...common, containerID: containerId(pod, text(c.name), now, restartCount + 1), restartCount: restartCount + 1, state: { running: { startedAt: now } }, lastState: { terminated: { exitCode: 0, reason: 'Completed', finishedAt: now } } }
      : { ...common, containerID: before.containerID ?? '', restartCount, state: before.state ?? {}, ...(before.lastState === undefined ? {} : { lastState: before.lastState }) };
  });
  return { containerStatuses };
}

/**
 * Returns the status of ephemeral containers run to completion (exit code 0), as the kubelet
 * reports them once their command ends, when the pod has ephemeral containers without a status;
 * `undefined` when every one has a status.
 */
export function ephemeralContainersStatus(pod: JsonObject, now: string): JsonObject | undefined {
  const existing = objects(statusOf(pod).ephemeralContainerStatuses);
  const known = new Set(existing.map((s) => s.name));
  const missing = objects(specOf(pod).ephemeralContainers).filter((c) => !known.has(c.name));
  if (missing.length === 0) return undefined;
  const done = missing.map((c) => ({ name: text(c.name), image: text(c.image), imageID: '', containerID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } } }));
  return { ephemeralContainerStatuses: [...existing, ...done] };
}

/** Annotation that keeps a Job's or BroadcastJob's pod Running (kwok's `pod-complete` stage skips it; so does the memory kubelet). */
export const KEEP_RUNNING_ANNOTATION = 'kruise_ts_keep_running';

/** Returns whether a pod belongs to a Job or BroadcastJob (whose pods run to completion) and is not annotated {@link KEEP_RUNNING_ANNOTATION}. */
export function isJobPod(pod: JsonObject): boolean {
  const meta = isJsonObject(pod.metadata) ? pod.metadata : {};
  if (isJsonObject(meta.annotations) && meta.annotations[KEEP_RUNNING_ANNOTATION] !== undefined) return false;
  return objects(meta.ownerReferences).some((r) => r.kind === 'Job' || r.kind === 'BroadcastJob');
}

/**
 * Returns the status of the `pod-complete` stage: Succeeded, containers terminated with exit code
 * 0; with `outcome: 'Failed'`, phase Failed and containers terminated with exit code 1 (`Error`).
 */
export function completedStatus(pod: JsonObject, now: string, outcome: 'Succeeded' | 'Failed' = 'Succeeded'): JsonObject {
  const failed = outcome === 'Failed';
  const old = new Map(objects(statusOf(pod).containerStatuses).map((s) => [s.name, s]));
  return {
    conditions: [
      { type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: now },
      { type: 'ContainersReady', status: 'False', reason: 'PodCompleted', lastTransitionTime: now },
    ],
    containerStatuses: objects(specOf(pod).containers).map((c) => {
      const before = old.get(c.name) ?? {};
      return {
        name: text(c.name),
        image: text(c.image),
        imageID: before.imageID ?? '',
        containerID: before.containerID ?? '',
        ready: false,
        started: false,
        restartCount: typeof before.restartCount === 'number' ? before.restartCount : 0,
        state: { terminated: { exitCode: failed ? 1 : 0, reason: failed ? 'Error' : 'Completed', finishedAt: now } },
      };
    }),
    phase: outcome,
  };
}
