import type { Container, EnvVar, Volume } from './pod.js';

/**
 * The Kubernetes defaults OpenKruise's SidecarSet webhook applies to sidecar containers and
 * volumes (`v1.SetDefaults_Container`, probes, ports, env field refs, `SetDefaultPodVolumes`), so
 * that the hash of a SidecarSet does not change when the apiserver would have filled them in.
 * Covered: imagePullPolicy, terminationMessagePath/Policy, port protocol, fieldRef apiVersion,
 * probe timings and HTTP path/scheme, lifecycle HTTP path/scheme; volumes: an empty source becomes
 * `emptyDir: {}`, hostPath type `""`, defaultMode 420 of secret/configMap/downwardAPI/projected,
 * serviceAccountToken expirationSeconds 3600. Rarer volume sources (iSCSI, RBD...) are left as they are.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The imagePullPolicy Kubernetes defaults an image to: `Always` for `:latest` or no tag, else `IfNotPresent`.
 *
 * @example defaultImagePullPolicy('nginx') → 'Always'; defaultImagePullPolicy('nginx:1.25') → 'IfNotPresent'
 */
export function defaultImagePullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  const [name = ''] = (image ?? '').split('@', 1);
  const hasDigest = (image ?? '').includes('@');
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > lastSlash ? name.slice(colon + 1) : hasDigest ? '' : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function withFieldRefDefaults(env: EnvVar): EnvVar {
  const fieldRef = env.valueFrom?.fieldRef;
  if (fieldRef === undefined || fieldRef.apiVersion !== undefined) return env;
  return { ...env, valueFrom: { ...env.valueFrom, fieldRef: { ...fieldRef, apiVersion: 'v1' } } };
}

function httpGetDefaults(handler: unknown): unknown {
  if (!isObject(handler) || !isObject(handler['httpGet'])) return handler;
  return { ...handler, httpGet: { path: '/', scheme: 'HTTP', ...handler['httpGet'] } };
}

function probeDefaults(probe: unknown): unknown {
  if (!isObject(probe)) return probe;
  return httpGetDefaults({ timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, ...probe });
}

function lifecycleDefaults(lifecycle: unknown): unknown {
  if (!isObject(lifecycle)) return lifecycle;
  const hooks = Object.fromEntries(['postStart', 'preStop'].filter((k) => lifecycle[k] !== undefined).map((k) => [k, httpGetDefaults(lifecycle[k])]));
  return { ...lifecycle, ...hooks };
}

/**
 * Returns a container with the Kubernetes defaults listed at the top of this file filled in; set
 * values are never changed.
 *
 * @example withContainerDefaults({ name: 'proxy', image: 'envoy:v1', ports: [{ containerPort: 80 }] }) →
 *   adds `imagePullPolicy: 'IfNotPresent'`, `terminationMessagePath: '/dev/termination-log'`,
 *   `terminationMessagePolicy: 'File'` and `protocol: 'TCP'` on the port
 */
export function withContainerDefaults<C extends Container>(container: C): C {
  const c: Json = { ...container };
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (c[probe] !== undefined) c[probe] = probeDefaults(c[probe]);
  }
  if (c['lifecycle'] !== undefined) c['lifecycle'] = lifecycleDefaults(c['lifecycle']);
  return {
    ...(c as C),
    ...(container.ports && { ports: container.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' })) }),
    ...(container.env && { env: container.env.map(withFieldRefDefaults) }),
    imagePullPolicy: container.imagePullPolicy ?? defaultImagePullPolicy(container.image),
    terminationMessagePath: container['terminationMessagePath'] ?? '/dev/termination-log',
    terminationMessagePolicy: container['terminationMessagePolicy'] ?? 'File',
  };
}

const MODE_DEFAULTED_SOURCES = ['secret', 'configMap', 'downwardAPI', 'projected'] as const;

function projectedSourceDefaults(source: unknown): unknown {
  if (!isObject(source) || !isObject(source['serviceAccountToken'])) return source;
  return { ...source, serviceAccountToken: { expirationSeconds: 3600, ...source['serviceAccountToken'] } };
}

/**
 * Returns a volume with Kubernetes' defaults (see the top of this file); set values are kept.
 *
 * @example withVolumeDefaults({ name: 'logs' }) → { name: 'logs', emptyDir: {} }
 * @example withVolumeDefaults({ name: 'cfg', configMap: { name: 'nginx' } }) → configMap gains `defaultMode: 420`
 */
export function withVolumeDefaults(volume: Volume): Volume {
  const v: Json = { ...volume };
  if (Object.keys(v).every((key) => key === 'name')) return { ...volume, emptyDir: {} };
  for (const source of MODE_DEFAULTED_SOURCES) {
    const value = v[source];
    if (isObject(value)) v[source] = { defaultMode: 420, ...value };
  }
  const hostPath = v['hostPath'];
  if (isObject(hostPath)) v['hostPath'] = { type: '', ...hostPath };
  const projected = v['projected'];
  if (isObject(projected) && Array.isArray(projected['sources'])) {
    v['projected'] = { ...projected, sources: projected['sources'].map(projectedSourceDefaults) };
  }
  return v as Volume;
}
