import { withPodTemplateDefaults, withVolumeClaimTemplateDefaults } from '@kruise-ts/core';
import { KruiseResources, Resources, kruiseCrdName, type KubeClient } from '@kruise-ts/k8s-adapter';
import { freePort, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cloneSetManifest, createNamespace } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import type { ManagerProcess } from './managerProcess.js';
import { buildCrdConversion, buildWebhookConfigurations, builtinWebhookSpecs, ensureWebhookConfigurations } from '../../src/webhook/index.js';
import { applyDeployManifests, rejection, seedCloneSet, startWebhookManager, waitForCloneSetConversion } from './webhookHarness.js';

// The manager runs as its service account with exactly deploy/'s RBAC, its controllers limited to
// a namespace the tests do not use: what is checked here is admission and conversion alone. The
// manager and namespace `wh` are shared (beforeAll); each test writes objects of its own names.
describe('CloneSet webhooks of kruise-ts-manager, called by a real kube-apiserver', () => {
  let cluster: TestCluster;
  let client: KubeClient;
  let manager: ManagerProcess;
  let port: number;
  const image = (name: string, tag: string) => ({ metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: `nginx:${tag}` }] } });

  beforeAll(async () => {
    cluster = await startCloneSetCluster();
    client = cluster.client;
    await applyDeployManifests(client, 'manager/namespace.yaml');
    await applyDeployManifests(client, 'manager/rbac.yaml');
    const kubeconfig = await cluster.kubeconfigFor('system:serviceaccount:kruise-system:kruise-ts-manager', ['system:serviceaccounts', 'system:serviceaccounts:kruise-system']);
    port = await freePort();
    manager = await startWebhookManager(kubeconfig, port, ['--namespace=controllers-elsewhere']);
    await waitForCloneSetConversion(cluster);
    await createNamespace(client, 'wh');
  });
  afterAll(async () => {
    await manager.kill('SIGKILL');
    await cluster.stop();
  });

  it.each([
    ['bad-history', 'a negative revisionHistoryLimit', { revisionHistoryLimit: -1 }, 'spec.revisionHistoryLimit: '],
    ['bad-selector', 'a selector that does not match the template', { selector: { matchLabels: { app: 'other' } } }, 'spec.template.metadata.labels: `selector` does not match template `labels`'],
    ['bad-surge', 'a numeric string maxUnavailable', { updateStrategy: { rollingUpdate: { maxUnavailable: '5' } } }, 'spec.updateStrategy.rollingUpdate.maxUnavailable: '],
    ['bad-deadline', 'activeDeadlineSeconds in the pod template', { template: { ...image('bad-deadline', '1'), spec: { containers: [{ name: 'app', image: 'nginx' }], activeDeadlineSeconds: 3 } } }, 'spec.template.spec.activeDeadlineSeconds: '],
  ])('refuses %s: %s, naming the field', async (name, _story, spec, field) => {
    const message = await rejection(client.create(Resources.CloneSet, cloneSetManifest(name, 'wh', { ...(spec as object) })));
    expect(message).toContain('admission webhook "vcloneset.kb.io" denied the request: ');
    expect(message).toContain(field);
  });

  it('refuses a v1alpha1 CloneSet naming the field as written in v1alpha1', async () => {
    const seed = seedCloneSet();
    const bad = { ...seed, metadata: { name: 'bad-alpha', namespace: 'wh' }, spec: { ...seed.spec, updateStrategy: { type: 'InPlaceOnly' as const, partition: -1 } } };
    expect(await rejection(client.create(KruiseResources.CloneSetV1alpha1, bad))).toMatch(/denied the request: spec\.updateStrategy\.partition: /);
  });

  it('refuses update-only violations: selector change, and with InPlaceOnly a change that cannot be done in place', async () => {
    const strategy = { type: 'RollingUpdate' as const, rollingUpdate: { podUpdatePolicy: 'InPlaceOnly' as const } };
    await client.create(Resources.CloneSet, cloneSetManifest('upd', 'wh', { replicas: 0, updateStrategy: strategy }));
    const key = { name: 'upd', namespace: 'wh' };
    const selector = await rejection(client.patch(Resources.CloneSet, key, { type: 'merge', body: { spec: { selector: { matchLabels: { app: 'upd', tier: 'x' } }, template: { metadata: { labels: { app: 'upd', tier: 'x' } } } } } }));
    expect(selector).toMatch(/denied the request: spec\.selector: field is immutable/);
    const env = await rejection(client.patch(Resources.CloneSet, key, { type: 'json', operations: [{ op: 'add', path: '/spec/template/spec/containers/0/env', value: [{ name: 'A', value: '1' }] }] }));
    expect(env).toContain('spec.template.spec.containers[0].env: only container images may change with podUpdatePolicy InPlaceOnly');
    const updated = await client.patch(Resources.CloneSet, key, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
    expect(updated.spec.template.spec.containers[0]?.image).toBe('nginx:1.26');
  });

  it('applies the defaults on create (mutating webhook), in v1beta1', async () => {
    const created = await client.create(Resources.CloneSet, { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', metadata: { name: 'defaults', namespace: 'wh' }, spec: { selector: { matchLabels: { app: 'defaults' } }, template: image('defaults', '1') } });
    expect(created.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '20%', maxSurge: 0, podUpdatePolicy: 'ReCreate' } },
    });
  });

  it('applies the seed v1alpha1 CloneSet (its own namespace, odd images) and reads it back in either version', async () => {
    const seed = seedCloneSet();
    await createNamespace(client, 'kri-dev');
    await vi.waitFor(async () => {
      await client.create(KruiseResources.CloneSetV1alpha1, seed);
    }, { timeout: 30_000, interval: 500 });
    const alpha = await client.get(KruiseResources.CloneSetV1alpha1, { name: 'cloneset-dev', namespace: 'kri-dev' });
    // Everything the manifest says comes back as written; the webhook only added OpenKruise's defaults.
    expect(alpha.metadata.labels).toEqual(seed.metadata.labels);
    // OpenKruise's webhook defaults the pod template (Kubernetes' pod defaults; imagePullPolicy Always) and the claim templates.
    const template = withPodTemplateDefaults(seed.spec.template);
    const volumeClaimTemplates = seed.spec.volumeClaimTemplates?.map((t) => withVolumeClaimTemplateDefaults(t));
    expect(alpha.spec).toEqual({ ...seed.spec, template, volumeClaimTemplates, revisionHistoryLimit: 10, updateStrategy: { type: 'ReCreate', partition: 0, maxUnavailable: '20%', maxSurge: 0 } });
    const beta = await client.get(Resources.CloneSet, { name: 'cloneset-dev', namespace: 'kri-dev' });
    expect(beta.spec.scaleStrategy).toEqual({ podsToDelete: ['cloneset-dev-r25n8'], enablePVCReuse: true });
    expect(beta.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '20%', maxSurge: 0, podUpdatePolicy: 'ReCreate' } });
    expect(beta.spec.template).toEqual(template);
    expect(beta.spec.volumeClaimTemplates).toEqual(volumeClaimTemplates);
  });

  it('round-trips a v1beta1 CloneSet through v1alpha1 without losing a field', async () => {
    const written = await client.create(Resources.CloneSet, cloneSetManifest('trip', 'wh', {
      replicas: 4,
      scaleStrategy: { excludePreparingDelete: true, maxUnavailable: 1 },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', partition: '25%', maxSurge: 1, inPlaceUpdateStrategy: { gracePeriodSeconds: 5, imagePreDownloadParallelism: 3 } } },
    }));
    const alpha = await client.get(KruiseResources.CloneSetV1alpha1, { name: 'trip', namespace: 'wh' });
    expect(alpha.spec.updateStrategy).toMatchObject({ type: 'InPlaceIfPossible', partition: '25%', maxSurge: 1, inPlaceUpdateStrategy: { gracePeriodSeconds: 5 } });
    expect(alpha.spec.scaleStrategy).toEqual({ maxUnavailable: 1, disablePVCReuse: true });
    expect(alpha.metadata.labels).toEqual({ 'apps.kruise.io/cloneset-scaling-exclude-preparing-delete': 'true' });
    expect(alpha.metadata.annotations).toEqual({ 'apps.kruise.io/image-predownload-parallelism': '3' });
    // Written back through v1alpha1 (a change of replicas), then read as v1beta1: only replicas moved.
    await client.replace(KruiseResources.CloneSetV1alpha1, { ...alpha, spec: { ...alpha.spec, replicas: 5 } });
    const beta = await client.get(Resources.CloneSet, { name: 'trip', namespace: 'wh' });
    expect(beta.spec).toEqual({ ...written.spec, replicas: 5 });
    expect(beta.metadata.labels ?? {}).toEqual({});
  });

  it('left configurations the next sync has nothing to change in (apiserver defaults spelled out)', async () => {
    const secret = await client.get(Resources.Secret, { namespace: 'kruise-system', name: 'kruise-ts-webhook-certs' });
    const caBundlePem = Buffer.from(secret.data?.['ca-bundle.pem'] ?? '', 'base64').toString('utf8');
    const clientConfig = { kind: 'url', baseUrl: `https://127.0.0.1:${String(port)}` } as const;
    const { mutating, validating } = buildWebhookConfigurations(builtinWebhookSpecs({ podFailurePolicy: 'Ignore', managerNamespace: 'kruise-system' }), { clientConfig, caBundlePem });
    const conversions = [{ crdName: kruiseCrdName(KruiseResources.CloneSet), conversion: buildCrdConversion(clientConfig, caBundlePem) }];
    const again = await ensureWebhookConfigurations(client, { mutating, validating, conversions });
    expect(again.updated).toEqual([]);
    expect(again.bundles.every((b) => b === caBundlePem)).toBe(true);
  });

  it('serves admission and conversion with the RBAC of deploy/: no forbidden request, certificates in the Secret', async () => {
    // Its own round of what the webhooks do (defaulting, validation, conversion both ways), so the
    // check of the manager's log below does not depend on the tests before it.
    await createNamespace(client, 'wh-rbac');
    await client.create(Resources.CloneSet, cloneSetManifest('rbac', 'wh-rbac', { replicas: 0 }));
    expect(await rejection(client.patch(Resources.CloneSet, { name: 'rbac', namespace: 'wh-rbac' }, { type: 'merge', body: { spec: { revisionHistoryLimit: -1 } } }))).toContain('spec.revisionHistoryLimit');
    const alpha = await client.get(KruiseResources.CloneSetV1alpha1, { name: 'rbac', namespace: 'wh-rbac' });
    await client.replace(KruiseResources.CloneSetV1alpha1, { ...alpha, spec: { ...alpha.spec, replicas: 1 } });
    expect((await client.get(Resources.CloneSet, { name: 'rbac', namespace: 'wh-rbac' })).spec.replicas).toBe(1);
    expect(manager.logs.filter((l) => /ForbiddenError| 403 /.test(JSON.stringify(l)))).toEqual([]);
    const secret = await client.get(Resources.Secret, { namespace: 'kruise-system', name: 'kruise-ts-webhook-certs' });
    expect(Object.keys(secret.data ?? {}).sort()).toEqual(['ca-bundle.pem', 'ca-cert.pem', 'ca-key.pem', 'cert.pem', 'key.pem', 'tls.crt', 'tls.key']);
  });
});
