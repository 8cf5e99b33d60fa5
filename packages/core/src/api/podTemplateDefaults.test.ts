import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PodSpec, PodTemplateSpec } from './pod.js';
import { DEFAULT_VOLUME_MODE, withPodSpecDefaults, withPodTemplateDefaults, withVolumeClaimTemplateDefaults } from './podTemplateDefaults.js';

type Json = Record<string, unknown>;

const app = (extra: Json = {}): PodSpec['containers'][number] => ({ name: 'app', image: 'nginx:1.25', ...extra });
const spec = (extra: Json = {}): PodSpec => ({ containers: [app()], ...extra });
const defaulted = (extra: Json = {}, options = {}): Json => withPodSpecDefaults(spec(extra), options);
const first = (list: unknown): Json => (Array.isArray(list) ? (list[0] as Json) : {});
const container = (extra: Json = {}): Json => first(defaulted({ containers: [app(extra)] })['containers']);
const volume = (v: Json): Json => first(defaulted({ volumes: [{ name: 'v', ...v }] })['volumes']);

describe('withPodSpecDefaults: the pod spec (SetDefaults_PodSpec)', () => {
  it.each([
    ['restartPolicy', 'Always'],
    ['terminationGracePeriodSeconds', 30],
    ['dnsPolicy', 'ClusterFirst'],
    ['schedulerName', 'default-scheduler'],
    ['securityContext', {}],
  ])('an unset %s becomes %j', (field, value) => {
    expect(defaulted()[field]).toEqual(value);
  });

  it.each([
    ['restartPolicy', 'Never'],
    ['terminationGracePeriodSeconds', 0],
    ['dnsPolicy', 'Default'],
    ['schedulerName', 'volcano'],
    ['securityContext', { runAsUser: 1000 }],
  ])('a set %s (%j) is kept', (field, value) => {
    expect(defaulted({ [field]: value })[field]).toEqual(value);
  });

  it('an empty dnsPolicy is unset (a Go string), a null securityContext too (a nil pointer)', () => {
    expect(defaulted({ dnsPolicy: '', securityContext: null })).toMatchObject({ dnsPolicy: 'ClusterFirst', securityContext: {} });
  });

  it('leaves enableServiceLinks alone: Kubernetes defaults it on pods, not on templates', () => {
    expect(defaulted()).not.toHaveProperty('enableServiceLinks');
  });
});

describe('withPodSpecDefaults: containers (SetDefaults_Container and OpenKruise)', () => {
  it.each([
    ['a tag', 'nginx:1.25'],
    ['no tag', 'nginx'],
    ['a digest', 'nginx@sha256:0123'],
  ])('a container with %s pulls Always (OpenKruise, for in-place updates)', (_story, image) => {
    expect(container({ image }).imagePullPolicy).toBe('Always');
  });

  it.each([
    ['nginx:1.25', 'IfNotPresent'],
    ['nginx:latest', 'Always'],
    ['nginx', 'Always'],
    ['registry.example.com:5000/nginx', 'Always'],
    ['nginx@sha256:0123', 'IfNotPresent'],
    ['', 'IfNotPresent'],
  ])('an init container with image %j pulls %s (Kubernetes, by tag)', (image, policy) => {
    expect(first(defaulted({ initContainers: [{ name: 'init', image }] })['initContainers']).imagePullPolicy).toBe(policy);
  });

  it('keeps a set imagePullPolicy', () => {
    expect(container({ imagePullPolicy: 'Never' }).imagePullPolicy).toBe('Never');
  });

  it.each([
    ['terminationMessagePath', '/dev/termination-log', '/tmp/log'],
    ['terminationMessagePolicy', 'File', 'FallbackToLogsOnError'],
  ])('%s defaults to %s, a set one is kept', (field, value, set) => {
    expect(container()[field]).toBe(value);
    expect(container({ [field]: set })[field]).toBe(set);
  });

  it('gives ports protocol TCP and keeps UDP', () => {
    expect(container({ ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }).ports).toEqual([
      { containerPort: 80, protocol: 'TCP' },
      { containerPort: 53, protocol: 'UDP' },
    ]);
  });

  it('gives env fieldRef apiVersion v1, leaves other env alone', () => {
    const env = [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'A', value: '1' }, { name: 'K', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }];
    expect(container({ env }).env).toEqual([{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } } }, env[1], env[2]]);
  });

  it.each(['livenessProbe', 'readinessProbe', 'startupProbe'])('fills %s timings and its httpGet path and scheme', (probe) => {
    expect(container({ [probe]: { httpGet: { port: 8080 } } })[probe]).toEqual({
      httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it('reads a probe threshold of 0 as unset (a Go int32), keeps set ones, and leaves non-HTTP handlers alone', () => {
    expect(container({ readinessProbe: { exec: { command: ['true'] }, timeoutSeconds: 0, periodSeconds: 5, failureThreshold: 1 } }).readinessProbe).toEqual({
      exec: { command: ['true'] },
      timeoutSeconds: 1,
      periodSeconds: 5,
      successThreshold: 1,
      failureThreshold: 1,
    });
  });

  it('fills httpGet of lifecycle hooks, not exec ones', () => {
    expect(container({ lifecycle: { postStart: { httpGet: { port: 80, scheme: 'HTTPS' } }, preStop: { exec: { command: ['sleep', '5'] } } } }).lifecycle).toEqual({
      postStart: { httpGet: { port: 80, scheme: 'HTTPS', path: '/' } },
      preStop: { exec: { command: ['sleep', '5'] } },
    });
  });

  it('gives init containers the same container defaults', () => {
    expect(first(defaulted({ initContainers: [{ name: 'init', image: 'busybox:1', ports: [{ containerPort: 1 }] }] })['initContainers'])).toEqual({
      name: 'init',
      image: 'busybox:1',
      ports: [{ containerPort: 1, protocol: 'TCP' }],
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
  });

  it('gives ephemeral containers ports, env and probes, but not pull policy or termination message', () => {
    expect(first(defaulted({ ephemeralContainers: [{ name: 'debug', image: 'busybox', ports: [{ containerPort: 1 }] }] })['ephemeralContainers'])).toEqual({
      name: 'debug',
      image: 'busybox',
      ports: [{ containerPort: 1, protocol: 'TCP' }],
    });
  });

  it('with DefaultHostNetworkHostPortsInPodTemplates and hostNetwork, a port without hostPort gets its containerPort', () => {
    const ports = [{ containerPort: 80 }, { containerPort: 81, hostPort: 9081 }];
    const on = defaulted({ hostNetwork: true, containers: [app({ ports })], initContainers: [{ name: 'i', image: 'x:1', ports: [{ containerPort: 7 }] }] }, { defaultHostNetworkHostPorts: true });
    expect(first(on['containers']).ports).toEqual([{ containerPort: 80, protocol: 'TCP', hostPort: 80 }, { containerPort: 81, hostPort: 9081, protocol: 'TCP' }]);
    expect(first(on['initContainers']).ports).toEqual([{ containerPort: 7, protocol: 'TCP', hostPort: 7 }]);
    expect(first(defaulted({ hostNetwork: true, containers: [app({ ports })] })['containers']).ports).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 81, hostPort: 9081, protocol: 'TCP' }]);
    expect(first(defaulted({ containers: [app({ ports })] }, { defaultHostNetworkHostPorts: true })['containers']).ports).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 81, hostPort: 9081, protocol: 'TCP' }]);
  });
});

describe('withPodSpecDefaults: volumes (SetDefaultPodVolumes)', () => {
  it.each<[string, Json, Json]>([
    ['a volume without a source becomes an emptyDir', {}, { name: 'v', emptyDir: {} }],
    ['a null source is no source', { emptyDir: null }, { name: 'v', emptyDir: {} }],
    ['an emptyDir is kept', { emptyDir: { medium: 'Memory' } }, { name: 'v', emptyDir: { medium: 'Memory' } }],
    ['a secret gets defaultMode 420', { secret: { secretName: 's' } }, { name: 'v', secret: { secretName: 's', defaultMode: DEFAULT_VOLUME_MODE } }],
    ['a configMap gets defaultMode 420', { configMap: { name: 'c' } }, { name: 'v', configMap: { name: 'c', defaultMode: 420 } }],
    ['a set defaultMode is kept, 0 too (a pointer)', { configMap: { name: 'c', defaultMode: 0 } }, { name: 'v', configMap: { name: 'c', defaultMode: 0 } }],
    ['a hostPath gets type ""', { hostPath: { path: '/var/log' } }, { name: 'v', hostPath: { path: '/var/log', type: '' } }],
    ['a hostPath type is kept', { hostPath: { path: '/d', type: 'Directory' } }, { name: 'v', hostPath: { path: '/d', type: 'Directory' } }],
    ['a PVC is left alone', { persistentVolumeClaim: { claimName: 'data' } }, { name: 'v', persistentVolumeClaim: { claimName: 'data' } }],
    [
      'a downwardAPI gets defaultMode and its items fieldRef apiVersion',
      { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      { name: 'v', downwardAPI: { defaultMode: 420, items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels', apiVersion: 'v1' } }] } },
    ],
    [
      'a projected volume gets defaultMode, token expiration 3600 and downwardAPI field refs',
      { projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } }, { configMap: { name: 'c' } }] } },
      {
        name: 'v',
        projected: {
          defaultMode: 420,
          sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } }] } }, { configMap: { name: 'c' } }],
        },
      },
    ],
  ])('%s', (_story, source, expected) => {
    expect(volume(source)).toEqual(expected);
  });
});

describe('withPodTemplateDefaults', () => {
  it('defaults the spec and leaves the metadata and the input as they are', () => {
    const template: PodTemplateSpec = { metadata: { labels: { app: 'web' } }, spec: spec() };
    const copy = structuredClone(template);
    expect(withPodTemplateDefaults(template)).toEqual({
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'app', image: 'nginx:1.25', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        securityContext: {},
        schedulerName: 'default-scheduler',
      },
    });
    expect(template).toEqual(copy);
  });
});

describe('withVolumeClaimTemplateDefaults', () => {
  it('sets status.phase Pending, keeps a set phase', () => {
    expect(withVolumeClaimTemplateDefaults({ metadata: { name: 'data' }, spec: {} })).toEqual({ metadata: { name: 'data' }, spec: {}, status: { phase: 'Pending' } });
    expect(withVolumeClaimTemplateDefaults({ metadata: { name: 'data' }, status: { phase: 'Bound' } }).status).toEqual({ phase: 'Bound' });
  });
});

// Templates with any mix of set and unset fields (set values are never Go zero values).
const word = fc.constantFrom('a', 'b', 'nginx', 'Never', 'UDP', '/x');
const positive = fc.integer({ min: 1, max: 100 });
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const probe = fc.record({ httpGet: maybe(fc.record({ port: positive, path: maybe(word), scheme: maybe(word) }, { requiredKeys: ['port'] })), timeoutSeconds: maybe(positive), failureThreshold: maybe(positive) }, { requiredKeys: [] });
const containerArb = fc.record(
  {
    name: word,
    image: fc.constantFrom('nginx', 'nginx:1.25', 'nginx:latest', 'r:5000/a@sha256:00'),
    imagePullPolicy: maybe(word),
    terminationMessagePath: maybe(word),
    ports: maybe(fc.array(fc.record({ containerPort: positive, protocol: maybe(word), hostPort: maybe(positive) }, { requiredKeys: ['containerPort'] }), { maxLength: 2 })),
    env: maybe(fc.array(fc.record({ name: word, valueFrom: maybe(fc.record({ fieldRef: fc.record({ fieldPath: word, apiVersion: maybe(word) }, { requiredKeys: ['fieldPath'] }) })) }, { requiredKeys: ['name'] }), { maxLength: 2 })),
    livenessProbe: maybe(probe),
    lifecycle: maybe(fc.record({ preStop: fc.record({ httpGet: fc.record({ port: positive }) }) })),
  },
  { requiredKeys: ['name', 'image'] },
);
const volumeArb = fc.oneof(
  fc.record({ name: word }),
  fc.record({ name: word, secret: fc.record({ secretName: word, defaultMode: maybe(positive) }, { requiredKeys: ['secretName'] }) }),
  fc.record({ name: word, hostPath: fc.record({ path: word, type: maybe(word) }, { requiredKeys: ['path'] }) }),
  fc.record({ name: word, projected: fc.record({ sources: fc.array(fc.record({ serviceAccountToken: fc.record({ path: word, expirationSeconds: maybe(positive) }, { requiredKeys: ['path'] }) }), { maxLength: 2 }) }) }),
);
const specArb = fc.record(
  {
    containers: fc.array(containerArb, { minLength: 1, maxLength: 2 }),
    initContainers: maybe(fc.array(containerArb, { maxLength: 2 })),
    volumes: maybe(fc.array(volumeArb, { maxLength: 3 })),
    restartPolicy: maybe(word),
    terminationGracePeriodSeconds: maybe(fc.integer({ min: 0, max: 60 })),
    hostNetwork: maybe(fc.boolean()),
  },
  { requiredKeys: ['containers'] },
);
const templateArb = fc.record({ metadata: fc.record({ labels: fc.dictionary(word, word, { maxKeys: 2 }) }), spec: specArb });
const drop = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Returns every leaf of a JSON value with its path (empty arrays are leaves; an empty object may gain fields, so it is none). */
function leaves(value: unknown, path = ''): [string, unknown][] {
  if (typeof value !== 'object' || value === null) return [[path, value]];
  if (Array.isArray(value) && value.length === 0) return [[path, value]];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, `${path}/${key}`));
}

describe('withPodTemplateDefaults properties', () => {
  it('applying it twice gives what applying it once does', () => {
    fc.assert(
      fc.property(templateArb, fc.boolean(), (raw, hostPorts) => {
        const template = drop(raw) as PodTemplateSpec;
        const once = withPodTemplateDefaults(template, { defaultHostNetworkHostPorts: hostPorts });
        expect(withPodTemplateDefaults(once, { defaultHostNetworkHostPorts: hostPorts })).toEqual(once);
      }),
    );
  });

  it('never changes or removes a set value', () => {
    fc.assert(
      fc.property(templateArb, (raw) => {
        const template = drop(raw) as PodTemplateSpec;
        const result = new Map(leaves(withPodTemplateDefaults(template, { defaultHostNetworkHostPorts: true })));
        for (const [path, value] of leaves(template)) expect(result.get(path)).toEqual(value);
      }),
    );
  });
});
