import type { PersistentVolumeClaim, PodSpec, PodTemplateSpec } from './pod.js';
import { defaultImagePullPolicy } from './sidecarSetContainerDefaults.js';

/**
 * The defaults OpenKruise's workload webhooks give a pod template (`defaults.SetDefaultPodSpec` in
 * `apis/apps/defaults/pod.go`), made of Kubernetes' own (`pkg/apis/core/v1/defaults.go`):
 *
 * | where | field | default |
 * |---|---|---|
 * | pod spec (`SetDefaults_PodSpec`) | dnsPolicy, restartPolicy, securityContext, terminationGracePeriodSeconds, schedulerName | `ClusterFirst`, `Always`, `{}`, 30, `default-scheduler` |
 * | containers | imagePullPolicy | `Always` (OpenKruise's choice, for in-place updates) |
 * | init containers | imagePullPolicy | `Always` for `:latest` or no tag, else `IfNotPresent` |
 * | containers, init containers (`SetDefaults_Container`) | terminationMessagePath, terminationMessagePolicy | `/dev/termination-log`, `File` |
 * | every container, ephemeral ones too | ports[].protocol, env[].valueFrom.fieldRef.apiVersion | `TCP`, `v1` |
 * | every container (`SetDefaults_Probe`, `SetDefaults_HTTPGetAction`) | liveness/readiness/startup probes; httpGet of probes and of postStart/preStop | timeoutSeconds 1, periodSeconds 10, successThreshold 1, failureThreshold 3; path `/`, scheme `HTTP` |
 * | volumes | no source; hostPath.type; secret/configMap/downwardAPI/projected defaultMode; downwardAPI items' fieldRef.apiVersion; projected serviceAccountToken.expirationSeconds | `emptyDir: {}`; `""`; 420; `v1`; 3600 |
 * | with the `DefaultHostNetworkHostPortsInPodTemplates` gate and hostNetwork | ports[].hostPort of containers and init containers | the containerPort |
 *
 * Go's zero values count as unset where Go's fields are not pointers: an empty string, and 0 for
 * the probe thresholds. Not done: `enableServiceLinks` (Kubernetes sets it on pods only, in
 * `SetDefaults_Pod`, and OpenKruise does not call that for templates), the milli rounding of
 * resource quantities (`SetDefaults_ResourceList`) and image volumes' pullPolicy.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
/** Unset for a Go field without a pointer: absent, null or its zero value. */
const unset = (value: unknown): boolean => value === undefined || value === null || value === '' || value === 0;
/** Unset for a Go pointer field: absent or null (an explicit 0 is kept). */
const nil = (value: unknown): boolean => value === undefined || value === null;

/** The defaultMode Kubernetes gives secret, configMap, downwardAPI and projected volumes (0644). */
export const DEFAULT_VOLUME_MODE = 420;
const PROBE_DEFAULTS = { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 } as const;

/** Options of {@link withPodTemplateDefaults}. */
export interface PodTemplateDefaultsOptions {
  /**
   * OpenKruise's `DefaultHostNetworkHostPortsInPodTemplates` gate (default off): with
   * `hostNetwork: true`, a port of a container or init container without a hostPort gets its
   * containerPort as hostPort.
   */
  readonly defaultHostNetworkHostPorts?: boolean;
}

function mapObjects(value: unknown, f: (item: Json) => Json): unknown {
  return Array.isArray(value) ? value.map((item: unknown) => (isObject(item) ? f(item) : item)) : value;
}

function withDefaults(object: Json, defaults: Json, isUnset: (value: unknown) => boolean): Json {
  const filled = { ...object };
  for (const [key, value] of Object.entries(defaults)) if (isUnset(object[key])) filled[key] = value;
  return filled;
}

function fieldRefDefaults(holder: Json): Json {
  return isObject(holder['fieldRef']) ? { ...holder, fieldRef: withDefaults(holder['fieldRef'], { apiVersion: 'v1' }, unset) } : holder;
}

function httpGetDefaults(handler: Json): Json {
  return isObject(handler['httpGet']) ? { ...handler, httpGet: withDefaults(handler['httpGet'], { path: '/', scheme: 'HTTP' }, unset) } : handler;
}

function lifecycleDefaults(lifecycle: Json): Json {
  const hooks = ['postStart', 'preStop'].flatMap((key) => {
    const hook = lifecycle[key];
    return isObject(hook) ? [[key, httpGetDefaults(hook)] as const] : [];
  });
  return { ...lifecycle, ...Object.fromEntries(hooks) };
}

/** What every container gets, ephemeral ones included: port protocol (and hostPort), env field refs, probes, lifecycle handlers. */
function commonContainerDefaults(container: Json, hostPorts: boolean): Json {
  const c = { ...container };
  if (Array.isArray(c['ports'])) {
    c['ports'] = mapObjects(c['ports'], (port) => {
      const withProtocol = withDefaults(port, { protocol: 'TCP' }, unset);
      const containerPort = port['containerPort'];
      return hostPorts && typeof containerPort === 'number' ? withDefaults(withProtocol, { hostPort: containerPort }, unset) : withProtocol;
    });
  }
  if (Array.isArray(c['env'])) c['env'] = mapObjects(c['env'], (env) => (isObject(env['valueFrom']) ? { ...env, valueFrom: fieldRefDefaults(env['valueFrom']) } : env));
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = c[key];
    if (isObject(probe)) c[key] = httpGetDefaults(withDefaults(probe, PROBE_DEFAULTS, unset));
  }
  if (isObject(c['lifecycle'])) c['lifecycle'] = lifecycleDefaults(c['lifecycle']);
  return c;
}

function containerDefaults(container: Json, imagePullPolicy: string, hostPorts: boolean): Json {
  const defaults = { imagePullPolicy, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' };
  return withDefaults(commonContainerDefaults(container, hostPorts), defaults, unset);
}

/** Kubernetes' pull policy of an init container: `Always` for `:latest` or no tag, else (a digest, or an unparsable empty image) `IfNotPresent`. */
const initContainerPullPolicy = (image: unknown): string => (typeof image === 'string' && image !== '' ? defaultImagePullPolicy(image) : 'IfNotPresent');

function downwardApiItemsDefaults(source: Json): Json {
  return Array.isArray(source['items']) ? { ...source, items: mapObjects(source['items'], fieldRefDefaults) } : source;
}

function projectedSourceDefaults(source: Json): Json {
  const s = { ...source };
  if (isObject(s['downwardAPI'])) s['downwardAPI'] = downwardApiItemsDefaults(s['downwardAPI']);
  if (isObject(s['serviceAccountToken'])) s['serviceAccountToken'] = withDefaults(s['serviceAccountToken'], { expirationSeconds: 3600 }, nil);
  return s;
}

function volumeDefaults(volume: Json): Json {
  const hasSource = Object.keys(volume).some((key) => key !== 'name' && !nil(volume[key]));
  if (!hasSource) return { ...volume, emptyDir: {} };
  const v = { ...volume };
  if (isObject(v['hostPath'])) v['hostPath'] = withDefaults(v['hostPath'], { type: '' }, nil);
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const source = v[key];
    if (isObject(source)) v[key] = withDefaults(source, { defaultMode: DEFAULT_VOLUME_MODE }, nil);
  }
  if (isObject(v['downwardAPI'])) v['downwardAPI'] = downwardApiItemsDefaults(v['downwardAPI']);
  const projected = v['projected'];
  if (isObject(projected) && Array.isArray(projected['sources'])) v['projected'] = { ...projected, sources: mapObjects(projected['sources'], projectedSourceDefaults) };
  return v;
}

/**
 * Returns a copy of a pod spec with the defaults OpenKruise's webhooks give a workload's pod
 * template (the table at the top of this file); set values are never changed, and applying it
 * twice gives the same spec as once.
 *
 * @example withPodSpecDefaults({ containers: [{ name: 'app', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] }) →
 *   `restartPolicy: 'Always'`, `terminationGracePeriodSeconds: 30`, `dnsPolicy: 'ClusterFirst'`,
 *   `securityContext: {}`, `schedulerName: 'default-scheduler'`, and the container gains
 *   `imagePullPolicy: 'Always'`, `terminationMessagePath: '/dev/termination-log'`,
 *   `terminationMessagePolicy: 'File'` and `protocol: 'TCP'` on its port
 */
export function withPodSpecDefaults<S extends PodSpec>(spec: S, options: PodTemplateDefaultsOptions = {}): S {
  const strings = withDefaults(spec, { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler' }, unset);
  const s = withDefaults(strings, { securityContext: {}, terminationGracePeriodSeconds: 30 }, nil);
  const hostPorts = options.defaultHostNetworkHostPorts === true && spec['hostNetwork'] === true;
  if (Array.isArray(s['volumes'])) s['volumes'] = mapObjects(s['volumes'], volumeDefaults);
  if (Array.isArray(s['initContainers'])) s['initContainers'] = mapObjects(s['initContainers'], (c) => containerDefaults(c, initContainerPullPolicy(c['image']), hostPorts));
  if (Array.isArray(s['containers'])) s['containers'] = mapObjects(s['containers'], (c) => containerDefaults(c, 'Always', hostPorts));
  if (Array.isArray(s['ephemeralContainers'])) s['ephemeralContainers'] = mapObjects(s['ephemeralContainers'], (c) => commonContainerDefaults(c, false));
  return s as S;
}

/**
 * Returns a copy of a pod template whose spec has OpenKruise's template defaults (see
 * {@link withPodSpecDefaults}); the metadata is left as it is. OpenKruise's CloneSet webhook
 * applies this on create and whenever an update changes the template, unless the
 * `TemplateNoDefaults` gate is on, so the stored template (and its revision hash) is what the
 * apiserver would make of the pods anyway.
 *
 * @example withPodTemplateDefaults({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } })
 *   → the same labels, `spec.restartPolicy: 'Always'`, `spec.containers[0].imagePullPolicy: 'Always'`, ...
 */
export function withPodTemplateDefaults<T extends PodTemplateSpec>(template: T, options: PodTemplateDefaultsOptions = {}): T {
  return { ...template, spec: withPodSpecDefaults(template.spec, options) };
}

/**
 * Returns a copy of a volumeClaimTemplate with Kubernetes' PVC default OpenKruise applies with the
 * template defaults (`SetDefaults_PersistentVolumeClaim`): `status.phase` `Pending` when unset.
 *
 * @example withVolumeClaimTemplateDefaults({ metadata: { name: 'data' }, spec: {} }) → adds `status: { phase: 'Pending' }`
 */
export function withVolumeClaimTemplateDefaults<C extends PersistentVolumeClaim>(claim: C): C {
  const status = isObject(claim.status) ? claim.status : {};
  return unset(status.phase) ? { ...claim, status: { ...status, phase: 'Pending' } } : claim;
}
