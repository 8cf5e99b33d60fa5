import type { FieldError } from './apiErrors.js';
import { removeKey, deepClone, deepEqual, isJsonObject, type JsonObject, type JsonValue } from './jsonValue.js';

const objects = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isJsonObject) : []);

function pullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  return colon < 0 || last.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(container: JsonObject): void {
  container.resources ??= {};
  container.terminationMessagePath ??= '/dev/termination-log';
  container.terminationMessagePolicy ??= 'File';
  if (typeof container.image === 'string') container.imagePullPolicy ??= pullPolicy(container.image);
  for (const port of objects(container.ports)) port.protocol ??= 'TCP';
}

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';

/** Adds what the DefaultTolerationSeconds admission plugin adds: 300 s for not-ready and unreachable. */
function defaultTolerations(spec: JsonObject): void {
  const tolerations = objects(spec.tolerations);
  for (const key of [NOT_READY, UNREACHABLE]) {
    if (tolerations.some((t) => t.key === key || (t.operator === 'Exists' && t.key === undefined))) continue;
    tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  spec.tolerations = tolerations;
}

/** Applies the admission that also runs on updates (default tolerations); mutates `pod`. */
export function admitPodUpdate(pod: JsonObject): void {
  if (isJsonObject(pod.spec)) defaultTolerations(pod.spec);
}

/** Returns the QoS class of a pod spec: Guaranteed, Burstable or BestEffort. */
export function qosClassOf(spec: JsonObject): string {
  const containers = [...objects(spec.containers), ...objects(spec.initContainers)];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const resources = isJsonObject(c.resources) ? c.resources : {};
    const requests = isJsonObject(resources.requests) ? resources.requests : {};
    const limits = isJsonObject(resources.limits) ? resources.limits : {};
    if (Object.keys(requests).length > 0 || Object.keys(limits).length > 0) any = true;
    for (const r of ['cpu', 'memory']) {
      if (limits[r] === undefined || (requests[r] !== undefined && !deepEqual(requests[r], limits[r]))) guaranteed = false;
    }
  }
  return !any ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Adds what Go's typed Pod writes for unset fields of conditions and container statuses. */
function serializationDefaults(status: JsonObject): void {
  for (const condition of objects(status.conditions)) {
    condition.lastProbeTime ??= null;
    condition.lastTransitionTime ??= null;
  }
  for (const list of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    const statuses = objects(status[list]);
    if (statuses.length === 0) removeKey(status, list);
    for (const s of statuses) {
      s.state ??= {};
      s.lastState ??= {};
      for (const state of [s.state, s.lastState]) if (isJsonObject(state) && isJsonObject(state.terminated)) state.terminated.startedAt ??= null;
    }
  }
  if (Array.isArray(status.conditions) && status.conditions.length === 0) delete status.conditions;
}

/**
 * Applies what decoding a pod does on the apiserver (mutates it): the scheme defaults (container
 * resources, termination message, pull policy, port protocol; restart policy, grace period, DNS
 * policy, scheduler...) and the fields Go's types always write (`lastProbeTime: null`,
 * `lastState: {}`). Field ownership is recorded after this step, admission comes later.
 */
export function decodePod(pod: JsonObject): void {
  const spec = isJsonObject(pod.spec) ? pod.spec : (pod.spec = {});
  for (const c of [...objects(spec.containers), ...objects(spec.initContainers)]) defaultContainer(c);
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  if (isJsonObject(pod.status)) serializationDefaults(pod.status);
}

/**
 * Applies what admission and the pod strategy do to a new pod (mutates it): default tolerations,
 * priority and preemption policy, and a fresh status `{ phase: Pending, qosClass }`.
 */
export function admitPodCreate(pod: JsonObject): void {
  const spec = isJsonObject(pod.spec) ? pod.spec : (pod.spec = {});
  defaultTolerations(spec);
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  pod.status = { phase: 'Pending', qosClass: qosClassOf(spec) };
}

/** Returns the problems of a new pod: missing containers, container names or images. */
export function podCreateErrors(pod: JsonObject): FieldError[] {
  const spec = isJsonObject(pod.spec) ? pod.spec : {};
  const containers = objects(spec.containers);
  if (containers.length === 0) return [{ field: 'spec.containers', reason: 'FieldValueRequired', detail: 'Required value' }];
  const errors: FieldError[] = [];
  for (const [list, items] of [['containers', containers], ['initContainers', objects(spec.initContainers)]] as const) {
    items.forEach((c, i) => {
      if (typeof c.name !== 'string' || c.name === '') errors.push({ field: `spec.${list}[${String(i)}].name`, reason: 'FieldValueRequired', detail: 'Required value' });
      if (typeof c.image !== 'string' || c.image === '') errors.push({ field: `spec.${list}[${String(i)}].image`, reason: 'FieldValueRequired', detail: 'Required value' });
    });
  }
  return errors;
}

const UPDATE_FORBIDDEN =
  'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Returns the spec with the fields a pod update may change copied from `from`. */
function neutralized(spec: JsonObject, from: JsonObject): JsonObject {
  const copy = deepClone(spec);
  for (const list of ['containers', 'initContainers']) {
    const source = objects(from[list]);
    objects(copy[list]).forEach((c, i) => {
      const s = source[i];
      if (s !== undefined) c.image = s.image ?? null;
    });
  }
  for (const field of ['activeDeadlineSeconds', 'terminationGracePeriodSeconds', 'tolerations']) {
    const value: JsonValue | undefined = from[field];
    if (value === undefined) removeKey(copy, field);
    else copy[field] = value;
  }
  return copy;
}

/**
 * Returns the problems of a pod update through the main resource: only images, the active
 * deadline, the grace period and added tolerations may change (resources go through `resize`).
 */
export function podUpdateErrors(before: JsonObject, after: JsonObject): FieldError[] {
  const oldSpec = isJsonObject(before.spec) ? before.spec : {};
  const newSpec = isJsonObject(after.spec) ? after.spec : {};
  const removedToleration = objects(oldSpec.tolerations).some((t) => !objects(newSpec.tolerations).some((n) => deepEqual(n, t)));
  if (deepEqual(neutralized(oldSpec, newSpec), newSpec) && !removedToleration) return [];
  return [{ field: 'spec', reason: 'FieldValueForbidden', detail: UPDATE_FORBIDDEN }];
}

/**
 * Returns `before` with the ephemeral containers `after` adds (the `ephemeralcontainers`
 * subresource): new names are appended; existing ones cannot be changed or removed, so they stay.
 */
export function withAddedEphemeralContainers(before: JsonObject, after: JsonObject): JsonObject {
  const result = deepClone(before);
  const spec = isJsonObject(result.spec) ? result.spec : {};
  const current = objects(spec.ephemeralContainers);
  const names = new Set(current.map((c) => c.name));
  const added = objects(isJsonObject(after.spec) ? after.spec.ephemeralContainers : undefined).filter((c) => !names.has(c.name));
  if (added.length > 0) spec.ephemeralContainers = [...current, ...added.map((c) => deepClone(c))];
  result.spec = spec;
  return result;
}

/** Returns `before` with the container resources of `after` (the `resize` subresource). */
export function resizedPod(before: JsonObject, after: JsonObject): JsonObject {
  const result = deepClone(before);
  const spec = isJsonObject(result.spec) ? result.spec : {};
  const newSpec = isJsonObject(after.spec) ? after.spec : {};
  for (const list of ['containers', 'initContainers']) {
    const source = objects(newSpec[list]);
    for (const c of objects(spec[list])) {
      const s = source.find((x) => x.name === c.name);
      if (s?.resources !== undefined) c.resources = deepClone(s.resources);
    }
  }
  return result;
}
