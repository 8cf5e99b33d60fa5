import { SIDECARSET_INJECTED_LIST_ANNOTATION, withPodTemplateDefaults, type CloneSet, type Container, type Pod } from '@kruise-ts/core';
import { KruiseResources, Resources, createCertificateAuthority, issueCertificate, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { WAIT, containerNames, createAll, forbiddenLogs, readManifests, useSidecarSetEnvironment, waitForInjection, waitForReadyPods, type PodObject } from './sidecarSetHarness.js';

const ES = 'app.kubernetes.io/name=elasticsearch';

/**
 * Applies an example as a user would (`kubectl create -f manifests.yaml`), except that the
 * workload comes last, once the webhooks see the SidecarSet: returns the running pods, the
 * workload's pod template, and that template as the apiserver alone makes a pod of it (created
 * dry-run where no SidecarSet applies), to compare the app container with.
 */
async function applyExample(client: KubeClient, example: string, expectedList: string): Promise<{ pods: PodObject[]; template: CloneSet['spec']['template']; control: Pod }> {
  const objects = readManifests(`examples/${example}/manifests.yaml`);
  const cloneSet = objects.find((o) => o.kind === 'CloneSet') as (CloneSet & KubeObject) | undefined;
  if (cloneSet === undefined) throw new Error(`${example}: no CloneSet`);
  await createAll(client, objects.filter((o) => o !== cloneSet));
  const namespace = cloneSet.metadata.namespace ?? '';
  // The CloneSet webhook defaults the template as OpenKruise does (imagePullPolicy Always...): the
  // control pod is made of the template as the CloneSet stores it.
  const probe = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe', namespace, labels: cloneSet.spec.template.metadata?.labels }, spec: withPodTemplateDefaults(cloneSet.spec.template).spec } as PodObject;
  await waitForInjection(client, probe, expectedList);
  await createAll(client, [cloneSet]);
  const pods = [...(await waitForReadyPods(client, namespace, ES, cloneSet.spec.replicas ?? 1)).values()];
  const control = await client.create(Resources.Pod, { ...probe, metadata: { ...probe.metadata, namespace: 'default' } }, { dryRun: true });
  expect(control.metadata.annotations?.[SIDECARSET_INJECTED_LIST_ANNOTATION]).toBeUndefined();
  return { pods, template: cloneSet.spec.template, control };
}

const container = (pod: Pod, name: string): Container | undefined => [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === name);

describe('the SidecarSet examples, applied to a real kube-apiserver calling kruise-ts-manager', () => {
  const env = useSidecarSetEnvironment();
  let client: KubeClient;
  beforeAll(() => {
    ({ client } = env);
  });

  it('tls-ambassador: nginx terminates TLS after the app, with the ConfigMap and the Secret mounted read-only; the app, bound to 127.0.0.1, is untouched', async () => {
    const { pods, control } = await applyExample(client, 'sidecarset-tls-ambassador', 'tls-ambassador');
    // The certificate comes from a Secret created apart from the manifests (README).
    const ca = createCertificateAuthority('tls-ambassador-demo');
    const pair = issueCertificate(ca, { commonName: 'elasticsearch', dnsNames: ['elasticsearch', 'elasticsearch.tls-ambassador-demo.svc'], usages: ['server'] });
    await client.create(Resources.Secret, { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'tls-ambassador-certs', namespace: 'tls-ambassador-demo' }, data: { 'tls.crt': Buffer.from(pair.certPem).toString('base64'), 'tls.key': Buffer.from(pair.keyPem).toString('base64') } });
    for (const pod of pods) {
      expect(containerNames(pod)).toEqual({ initContainers: [], containers: ['elasticsearch', 'nginx-proxy'] });
      expect(container(pod, 'elasticsearch')).toEqual(control.spec.containers[0]);
      expect(container(pod, 'elasticsearch')?.env).toEqual([{ name: 'discovery.type', value: 'single-node' }, { name: 'network.host', value: '127.0.0.1' }, { name: 'http.port', value: '9201' }]);
      expect(container(pod, 'elasticsearch')?.ports).toBeUndefined();
      expect(container(pod, 'nginx-proxy')).toMatchObject({
        image: 'nginx:1.19.5',
        ports: [{ name: 'https', containerPort: 9200, protocol: 'TCP' }],
        volumeMounts: [{ name: 'nginx-config', mountPath: '/etc/nginx/conf.d', readOnly: true }, { name: 'certs', mountPath: '/certs', readOnly: true }],
        env: [{ name: 'IS_INJECTED', value: 'true' }],
      });
      expect(pod.spec.volumes).toEqual([{ name: 'nginx-config', configMap: { name: 'tls-ambassador-nginx', defaultMode: 420 } }, { name: 'certs', secret: { secretName: 'tls-ambassador-certs', defaultMode: 420 } }]);
      expect(pod.metadata.annotations?.[SIDECARSET_INJECTED_LIST_ANNOTATION]).toBe('tls-ambassador');
    }
    // The pieces fit: nginx listens on the port the sidecar declares, reads the certificate where
    // the Secret is mounted, and proxies to where the app listens (loopback only).
    const conf = (await client.get(Resources.ConfigMap, { namespace: 'tls-ambassador-demo', name: 'tls-ambassador-nginx' })).data?.['ambassador.conf'] ?? '';
    expect(conf).toContain('listen 9200 ssl;');
    expect(conf).toContain('ssl_certificate /certs/tls.crt;');
    expect(conf).toContain('ssl_certificate_key /certs/tls.key;');
    expect(conf).toContain('proxy_pass http://127.0.0.1:9201;');
    const secret = await client.get(Resources.Secret, { namespace: 'tls-ambassador-demo', name: 'tls-ambassador-certs' });
    expect(Object.keys(secret.data ?? {}).sort()).toEqual(['tls.crt', 'tls.key']);
  });

  it('metrics-adapter: the exporter on its own port with the scrape annotations (whitelisted); the app is untouched', async () => {
    const { pods, control } = await applyExample(client, 'sidecarset-metrics-adapter', 'elasticsearch-exporter');
    for (const pod of pods) {
      expect(containerNames(pod)).toEqual({ initContainers: [], containers: ['elasticsearch', 'prometheus-exporter'] });
      expect(container(pod, 'elasticsearch')).toEqual(control.spec.containers[0]);
      expect(container(pod, 'prometheus-exporter')).toMatchObject({
        image: 'quay.io/prometheuscommunity/elasticsearch-exporter:v1.7.0',
        args: ['--es.uri=http://localhost:9200'],
        ports: [{ name: 'http-prometheus', containerPort: 9114, protocol: 'TCP' }],
        resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '64Mi' } },
        env: [{ name: 'IS_INJECTED', value: 'true' }],
      });
      expect(container(pod, 'prometheus-exporter')?.volumeMounts).toBeUndefined();
      expect(pod.spec.volumes).toBeUndefined();
      expect(pod.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9114', [SIDECARSET_INJECTED_LIST_ANNOTATION]: 'elasticsearch-exporter' });
    }
    // Without the whitelist the same SidecarSet would be refused.
    const exporter = readManifests('examples/sidecarset-metrics-adapter/manifests.yaml').find((o) => o.kind === 'SidecarSet') as KubeObject;
    await expect(client.create(KruiseResources.SidecarSet, { ...exporter, metadata: { name: 'unlabelled-exporter' }, spec: { ...(exporter.spec as object), containers: [{ name: 'other-exporter', image: 'busybox' }] } })).rejects.toThrow(
      /spec\.patchPodMetadata: Required value: sidecarSet patch metadata annotation is not allowed/,
    );
  });

  it('log-tailer (v1alpha1): the tailer mounts the pod\'s own `logs` emptyDir read-only after the app; the SidecarSet reads back in both versions', async () => {
    const { pods, control } = await applyExample(client, 'sidecarset-log-tailer', 'log-tailer');
    for (const pod of pods) {
      expect(containerNames(pod)).toEqual({ initContainers: [], containers: ['elasticsearch', 'log-tailer'] });
      expect(container(pod, 'elasticsearch')).toEqual(control.spec.containers[0]);
      expect(container(pod, 'log-tailer')).toMatchObject({
        image: 'alpine:3.12',
        command: ['sh', '-c', 'touch /logs/docker-cluster_server.json; exec tail -n +1 -F /logs/docker-cluster_server.json'],
        volumeMounts: [{ name: 'logs', mountPath: '/logs', readOnly: true }],
        env: [{ name: 'IS_INJECTED', value: 'true' }],
      });
      // One `logs` volume, the pod's own: what the app writes is what the tailer reads.
      expect(pod.spec.volumes).toEqual([{ name: 'logging-config', configMap: { name: 'elasticsearch-logging', defaultMode: 420 } }, { name: 'logs', emptyDir: {} }]);
      expect(container(pod, 'elasticsearch')?.volumeMounts?.find((m) => m.name === 'logs')?.mountPath).toBe('/var/log/elasticsearch');
    }
    const beta = await client.get(KruiseResources.SidecarSet, { name: 'log-tailer' });
    expect(beta.spec.namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'log-tailer-demo' } });
    expect((await client.get(KruiseResources.SidecarSetV1alpha1, { name: 'log-tailer' })).spec.namespace).toBe('log-tailer-demo');
  });

  it('init-containers: a privileged sysctl init container and a secret fetcher writing to the shared volume, sorted by name; no container added, the app untouched and running', async () => {
    const { pods, control } = await applyExample(client, 'sidecarset-init-containers', 'elasticsearch-prepare');
    for (const pod of pods) {
      expect(containerNames(pod)).toEqual({ initContainers: ['get-secret', 'update-sysctl'], containers: ['elasticsearch'] });
      expect(container(pod, 'elasticsearch')).toEqual(control.spec.containers[0]);
      expect(container(pod, 'elasticsearch')?.securityContext).toBeUndefined();
      expect(container(pod, 'update-sysctl')).toMatchObject({ image: 'alpine:3.12', command: ['/bin/sh', '-c', 'sysctl -w vm.max_map_count=262144'], securityContext: { privileged: true } });
      expect(container(pod, 'update-sysctl')?.volumeMounts).toBeUndefined();
      expect(container(pod, 'get-secret')).toMatchObject({ image: 'hashicorp/vault:1.15', env: [{ name: 'VAULT_ADDR', value: 'http://vault.vault.svc:8200' }, { name: 'IS_INJECTED', value: 'true' }], volumeMounts: [{ name: 'secrets', mountPath: '/secrets' }] });
      expect(container(pod, 'get-secret')?.securityContext).toBeUndefined();
      expect(pod.spec.volumes).toEqual([{ name: 'secrets', emptyDir: { medium: 'Memory' } }]);
      expect(pod.status?.initContainerStatuses?.map((s) => [s.name, (s.state?.terminated as { exitCode?: number } | undefined)?.exitCode])).toEqual([['get-secret', 0], ['update-sysctl', 0]]);
    }
    await vi.waitFor(async () => {
      expect((await client.get(KruiseResources.SidecarSet, { name: 'elasticsearch-prepare' })).status).toMatchObject({ matchedPods: 2, readyPods: 2 });
    }, WAIT);
    expect(forbiddenLogs(env.manager.current)).toEqual([]);
  });
});
