import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION, SIDECARSET_INJECTED_LIST_ANNOTATION, type SidecarSet } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  WAIT,
  containerNames,
  createLabelledNamespace,
  forbiddenLogs,
  podManifest,
  sidecarSetManifest,
  useSidecarSetEnvironment,
  waitForInjection,
  type PodObject,
  type SidecarSetManager,
} from './sidecarSetHarness.js';
import { rejection } from './webhookHarness.js';

// Two SidecarSets on the pods labelled app=web: `mesh` (an init container, a proxy before the app
// with its own volume, a log agent after it sharing the app's mounts and taking its LOG_LEVEL) and
// `metrics` (an exporter after the app).
const mesh = sidecarSetManifest('mesh', 'web', {
  initContainers: [{ name: 'mesh-init', image: 'busybox:1.36', command: ['sh', '-c', 'echo iptables'] }],
  containers: [
    { name: 'proxy', image: 'envoyproxy/envoy:v1.30.0', ports: [{ name: 'proxy', containerPort: 15001 }], env: [{ name: 'MESH', value: 'on' }], volumeMounts: [{ name: 'mesh-certs', mountPath: '/etc/mesh' }], podInjectPolicy: 'BeforeAppContainer' },
    { name: 'log-agent', image: 'fluent/fluent-bit:3.0', podInjectPolicy: 'AfterAppContainer', shareVolumePolicy: { type: 'enabled' }, transferEnv: [{ sourceContainerName: 'app', envName: 'LOG_LEVEL' }] },
  ],
  volumes: [{ name: 'mesh-certs', emptyDir: {} }],
  imagePullSecrets: [{ name: 'registry' }],
});
const metrics = sidecarSetManifest('metrics', 'web', { containers: [{ name: 'exporter', image: 'prom/node-exporter:v1.8.0', ports: [{ name: 'metrics', containerPort: 9100 }], podInjectPolicy: 'AfterAppContainer' }] });

const webPod = (name: string, namespace = 'apps'): PodObject =>
  podManifest(name, namespace, 'web', [{ name: 'app', image: 'nginx:1.25', env: [{ name: 'LOG_LEVEL', value: 'debug' }], volumeMounts: [{ name: 'data', mountPath: '/data' }] }]);
const withDataVolume = (pod: PodObject): PodObject => ({ ...pod, spec: { ...pod.spec, volumes: [{ name: 'data', emptyDir: {} }] } });
const injectedList = (pod: PodObject): string | undefined => pod.metadata.annotations?.[SIDECARSET_INJECTED_LIST_ANNOTATION];

describe('SidecarSet injection and validation by kruise-ts-manager, called by a real kube-apiserver', () => {
  const env = useSidecarSetEnvironment();
  let client: KubeClient;
  let manager: SidecarSetManager;

  beforeAll(async () => {
    ({ client, manager } = env);
    await createLabelledNamespace(client, 'apps', { team: 'a' });
    await createLabelledNamespace(client, 'other', { team: 'b' });
    await createLabelledNamespace(client, 'infra', { 'control-plane': 'controller-manager' });
    await client.create(KruiseResources.SidecarSet, mesh);
    await client.create(KruiseResources.SidecarSet, metrics);
    await waitForInjection(client, withDataVolume(webPod('probe')), 'mesh,metrics');
  });

  it('gives a pod created through the apiserver exactly the sidecars, init containers, volumes, secrets and annotations of its SidecarSets; the app container is untouched', async () => {
    const pod = await client.create(Resources.Pod, withDataVolume(webPod('web-1')));
    // The same pod where the webhook is never called (a control-plane namespace): what the apiserver alone makes of it.
    const control = await client.create(Resources.Pod, withDataVolume(webPod('web-1', 'infra')), { dryRun: true });
    expect(containerNames(pod)).toEqual({ initContainers: ['mesh-init'], containers: ['proxy', 'app', 'log-agent', 'exporter'] });
    expect(pod.spec.containers.find((c) => c.name === 'app')).toEqual(control.spec.containers[0]);
    const byName = (name: string) => [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === name);
    expect(byName('proxy')).toMatchObject({ image: 'envoyproxy/envoy:v1.30.0', ports: [{ name: 'proxy', containerPort: 15001, protocol: 'TCP' }], env: [{ name: 'MESH', value: 'on' }, { name: 'IS_INJECTED', value: 'true' }], volumeMounts: [{ name: 'mesh-certs', mountPath: '/etc/mesh' }] });
    // shareVolumePolicy enabled: the app's mount; transferEnv: the app's LOG_LEVEL.
    expect(byName('log-agent')).toMatchObject({ volumeMounts: [{ name: 'data', mountPath: '/data' }], env: [{ name: 'IS_INJECTED', value: 'true' }, { name: 'LOG_LEVEL', value: 'debug' }] });
    expect(byName('exporter')).toMatchObject({ image: 'prom/node-exporter:v1.8.0', ports: [{ name: 'metrics', containerPort: 9100, protocol: 'TCP' }], env: [{ name: 'IS_INJECTED', value: 'true' }] });
    expect(byName('mesh-init')).toMatchObject({ image: 'busybox:1.36', command: ['sh', '-c', 'echo iptables'], env: [{ name: 'IS_INJECTED', value: 'true' }] });
    expect(pod.spec.volumes).toEqual([{ name: 'data', emptyDir: {} }, { name: 'mesh-certs', emptyDir: {} }]);
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(injectedList(pod)).toBe('mesh,metrics');
    const stored = await Promise.all(['mesh', 'metrics'].map((name) => client.get(KruiseResources.SidecarSet, { name })));
    const records = (key: string) => JSON.parse(pod.metadata.annotations?.[key] ?? '{}') as Record<string, { hash: string; sidecarList: string[] }>;
    for (const ss of stored) {
      const name = ss.metadata.name ?? '';
      expect(records(SIDECARSET_HASH_ANNOTATION)[name]?.hash).toBe(ss.metadata.annotations?.[SIDECARSET_HASH_ANNOTATION]);
      expect(records(SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION)[name]?.hash).toBe(ss.metadata.annotations?.[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]);
    }
    expect(records(SIDECARSET_HASH_ANNOTATION).mesh?.sidecarList).toEqual(['log-agent', 'proxy']);
  });

  it('leaves untouched the pods it does not select, the pods of excluded namespaces and those outside a namespaceSelector', async () => {
    const untouched = async (pod: PodObject) => {
      const created = await client.create(Resources.Pod, pod);
      expect(containerNames(created)).toEqual({ initContainers: [], containers: ['app'] });
      expect(created.metadata.annotations ?? {}).toEqual({});
    };
    await untouched(podManifest('api-1', 'apps', 'api'));
    for (const namespace of ['kube-system', 'kruise-system', 'infra']) await untouched(podManifest('web-excluded', namespace, 'web'));
    // A SidecarSet for team a's namespaces only.
    await client.create(KruiseResources.SidecarSet, sidecarSetManifest('team-a', 'batch', { namespaceSelector: { matchLabels: { team: 'a' } }, containers: [{ name: 'team-agent', image: 'busybox:1.36' }] }));
    await waitForInjection(client, podManifest('probe', 'apps', 'batch'), 'team-a');
    await untouched(podManifest('batch-1', 'other', 'batch'));
    expect(containerNames(await client.create(Resources.Pod, podManifest('batch-1', 'apps', 'batch'))).containers).toEqual(['team-agent', 'app']);
  });

  it('injects nothing while a SidecarSet is paused, and again once resumed', async () => {
    await client.patch(KruiseResources.SidecarSet, { name: 'metrics' }, { type: 'merge', body: { spec: { injectionStrategy: { paused: true } } } });
    await waitForInjection(client, withDataVolume(webPod('probe')), 'mesh');
    const pod = await client.create(Resources.Pod, withDataVolume(webPod('web-paused')));
    expect(containerNames(pod).containers).toEqual(['proxy', 'app', 'log-agent']);
    await client.patch(KruiseResources.SidecarSet, { name: 'metrics' }, { type: 'merge', body: { spec: { injectionStrategy: { paused: false } } } });
    await waitForInjection(client, withDataVolume(webPod('probe')), 'mesh,metrics');
  });

  it('reports in each SidecarSet status the pods it injected, once they run', async () => {
    await vi.waitFor(async () => {
      const [meshNow, metricsNow] = await Promise.all(['mesh', 'metrics'].map((name) => client.get(KruiseResources.SidecarSet, { name })));
      expect(meshNow?.status).toMatchObject({ observedGeneration: meshNow?.metadata.generation, matchedPods: 2, updatedPods: 2, readyPods: 2, updatedReadyPods: 2 });
      expect(metricsNow?.status).toMatchObject({ observedGeneration: metricsNow?.metadata.generation, matchedPods: 1, updatedPods: 1, readyPods: 1 });
      expect(meshNow?.status?.latestRevision).toMatch(/^mesh-/);
    }, WAIT);
    const revisions = await client.list(Resources.ControllerRevision, { namespace: 'kruise-system', labelSelector: 'kruise.io/sidecarset-name=mesh' });
    expect(revisions.items.map((r) => r.metadata.name)).toEqual([(await client.get(KruiseResources.SidecarSet, { name: 'mesh' })).status?.latestRevision]);
  });

  it.each([
    ['no selector', { selector: undefined, containers: [{ name: 'a', image: 'busybox' }] }, 'spec.selector: Required value: no selector defined for SidecarSet'],
    ['a container without image', { containers: [{ name: 'a' }] }, 'spec.containers[0].image: Required value'],
    ['a numeric string maxUnavailable', { containers: [{ name: 'a', image: 'busybox' }], updateStrategy: { maxUnavailable: '5' } }, 'spec.updateStrategy.maxUnavailable: Invalid value: "5"'],
    ['a mount of a volume it does not define', { containers: [{ name: 'a', image: 'busybox', volumeMounts: [{ name: 'nope', mountPath: '/x' }] }] }, 'spec.containers[0].volumeMounts[0].name: Not found: "nope"'],
  ])('refuses a SidecarSet with %s, naming the field', async (_story, spec, field) => {
    const message = await rejection(client.create(KruiseResources.SidecarSet, sidecarSetManifest('bad', 'web', spec as Partial<SidecarSet['spec']>)));
    expect(message).toContain('admission webhook "vsidecarset.kb.io" denied the request: ');
    expect(message).toContain(field);
  });

  it('refuses conflicts with other SidecarSets and containers added to an existing one, with a clear message', async () => {
    const twin = sidecarSetManifest('mesh-2', 'web', { containers: [{ name: 'proxy', image: 'envoyproxy/envoy:v1.31.0' }] });
    expect(await rejection(client.create(KruiseResources.SidecarSet, twin))).toContain('denied the request: spec.containers[0].name: container proxy already exist in mesh');
    const clash = sidecarSetManifest('certs-2', 'web', { containers: [{ name: 'certs-agent', image: 'busybox', volumeMounts: [{ name: 'mesh-certs', mountPath: '/c' }] }], volumes: [{ name: 'mesh-certs', hostPath: { path: '/etc/certs' } }] });
    expect(await rejection(client.create(KruiseResources.SidecarSet, clash))).toContain('spec.volumes[0].name: volume mesh-certs is in conflict with sidecarset mesh');
    const added = await rejection(client.patch(KruiseResources.SidecarSet, { name: 'metrics' }, { type: 'json', operations: [{ op: 'add', path: '/spec/containers/-', value: { name: 'extra', image: 'busybox' } }] }));
    expect(added).toContain('spec.containers[1].name: Invalid value: "extra": container extra is not found');
  });

  it('applies an OpenKruise v1alpha1 SidecarSet and reads it back in either version (conversion webhook)', async () => {
    const alpha = {
      apiVersion: 'apps.kruise.io/v1alpha1',
      kind: 'SidecarSet',
      metadata: { name: 'legacy', labels: { 'apps.kruise.io/sidecarset-custom-version': 'v7' } },
      spec: { namespace: 'other', selector: { matchLabels: { app: 'legacy' } }, containers: [{ name: 'legacy-agent', image: 'busybox:1.36' }] },
    };
    await client.create(KruiseResources.SidecarSetV1alpha1, alpha);
    const beta = await client.get(KruiseResources.SidecarSet, { name: 'legacy' });
    expect(beta.spec).toMatchObject({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } }, customVersion: 'v7', updateStrategy: { type: 'RollingUpdate', maxUnavailable: 1, partition: 0 } });
    expect(beta.metadata.labels ?? {}).toEqual({});
    const back = await client.get(KruiseResources.SidecarSetV1alpha1, { name: 'legacy' });
    expect(back.spec).toMatchObject({ namespace: 'other', selector: alpha.spec.selector });
    expect(back.spec).not.toHaveProperty('namespaceSelector');
    expect(back.metadata.labels).toEqual(alpha.metadata.labels);
    await waitForInjection(client, podManifest('probe', 'other', 'legacy'), 'legacy');
    await waitForInjection(client, podManifest('probe', 'apps', 'legacy'), undefined);
  });

  it('with the manager down, pods are still created (pod webhook failurePolicy Ignore) without sidecars; a restarted manager injects again', async () => {
    expect(forbiddenLogs(manager.current)).toEqual([]);
    await manager.current.kill('SIGKILL');
    const whileDown = await client.create(Resources.Pod, withDataVolume(webPod('web-while-down')));
    expect(containerNames(whileDown).containers).toEqual(['app']);
    expect(injectedList(whileDown)).toBeUndefined();
    await manager.restart();
    await waitForInjection(client, withDataVolume(webPod('probe')), 'mesh,metrics');
    const after = await client.create(Resources.Pod, withDataVolume(webPod('web-after')));
    expect(containerNames(after).containers).toEqual(['proxy', 'app', 'log-agent', 'exporter']);
    expect(forbiddenLogs(manager.current)).toEqual([]);
  });
});
