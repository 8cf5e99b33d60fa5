import { STATEFULSET_V1BETA1_FIELDS_ANNOTATION, withPodTemplateDefaults, type StatefulSet } from '@kruise-ts/core';
import { KruiseResources, Resources, kruiseCrdName, resourcePath, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { freePort, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNamespace } from './cloneSetManifest.js';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import type { ManagerProcess } from './managerProcess.js';
import { applyDeployManifests, rejection, startWebhookManager } from './webhookHarness.js';

type StatefulSetObject = StatefulSet & KubeObject;
type Scale = { spec?: { replicas?: number }; status?: { replicas?: number; selector?: string } };

const NS = 'asts';
const template = (name: string, extra: Record<string, unknown> = {}) => ({ metadata: { labels: { app: name } }, spec: { containers: [{ name: 'db', image: 'nginx:1.25' }], ...extra } });

/** A v1beta1 Advanced StatefulSet `name` in namespace `asts`, with `spec` on top of a minimal valid one. */
function manifest(name: string, spec: Partial<StatefulSet['spec']> = {}): StatefulSetObject {
  return { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', metadata: { name, namespace: NS }, spec: { serviceName: name, selector: { matchLabels: { app: name } }, template: template(name), ...spec } };
}

// The manager runs as its service account with exactly deploy/'s RBAC, its controllers limited to
// a namespace the tests do not use: what is checked here is admission, conversion and the CRD.
describe('Advanced StatefulSet API: CRD and webhooks of kruise-ts-manager, called by a real kube-apiserver', () => {
  let cluster: TestCluster;
  let client: KubeClient;
  let manager: ManagerProcess;

  beforeAll(async () => {
    cluster = await startCloneSetCluster();
    client = cluster.client;
    await applyDeployManifests(client, 'manager/namespace.yaml');
    await applyDeployManifests(client, 'manager/rbac.yaml');
    const kubeconfig = await cluster.kubeconfigFor('system:serviceaccount:kruise-system:kruise-ts-manager', ['system:serviceaccounts', 'system:serviceaccounts:kruise-system']);
    manager = await startWebhookManager(kubeconfig, await freePort(), ['--namespace=controllers-elsewhere']);
    await vi.waitFor(async () => {
      const crd = await client.get(Resources.CustomResourceDefinition, { name: kruiseCrdName(KruiseResources.StatefulSet) });
      expect((crd.spec.conversion as { strategy?: string } | undefined)?.strategy).toBe('Webhook');
    }, { timeout: 30_000, interval: 200 });
    await createNamespace(client, NS);
  });
  afterAll(async () => {
    await manager.kill('SIGKILL');
    await cluster.stop();
  });

  it('is served under the short names sts and asts, in v1beta1 and v1alpha1', async () => {
    for (const version of ['v1beta1', 'v1alpha1']) {
      const discovery = (await client.request('GET', `/apis/apps.kruise.io/${version}`)) as { resources: { name: string; shortNames?: string[] }[] };
      expect(discovery.resources.find((r) => r.name === 'statefulsets')?.shortNames).toEqual(['sts', 'asts']);
    }
  });

  it.each<[string, string, Partial<StatefulSet['spec']>, string]>([
    ['bad-budget', 'maxUnavailable 2 without Parallel', { updateStrategy: { rollingUpdate: { maxUnavailable: 2 } } }, 'spec.updateStrategy.rollingUpdate.maxUnavailable: can only work with Parallel PodManagementPolicyType'],
    ['bad-reserve', 'a reserved range written backwards', { reserveOrdinals: [1, '5-3'] }, 'spec.reserveOrdinals[1]: '],
    ['bad-ready', 'minReadySeconds above 300', { updateStrategy: { rollingUpdate: { minReadySeconds: 301 } } }, 'spec.updateStrategy.rollingUpdate.minReadySeconds: must be no more than 300 seconds'],
    ['bad-unordered', 'an unordered update without Parallel', { updateStrategy: { rollingUpdate: { unorderedUpdate: {} } } }, 'spec.updateStrategy.rollingUpdate.unorderedUpdate: '],
    ['bad-inplace', 'InPlaceIfPossible without the InPlaceUpdateReady readiness gate', { updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } } }, 'spec.template.spec.readinessGates: must contain InPlaceUpdateReady'],
    ['bad-deadline', 'activeDeadlineSeconds in the pod template', { template: template('bad-deadline', { activeDeadlineSeconds: 3 }) }, 'spec.template.spec.activeDeadlineSeconds: '],
  ])('refuses %s (%s), the validating webhook naming the field', async (name, _story, spec, field) => {
    const message = await rejection(client.create(KruiseResources.StatefulSet, manifest(name, spec)));
    expect(message).toContain('admission webhook "vstatefulset.kb.io" denied the request: ');
    expect(message).toContain(field);
  });

  it('refuses an unknown podManagementPolicy at the mutating webhook (it cannot read the object), naming the field', async () => {
    const bad = { ...manifest('bad-policy'), spec: { ...manifest('bad-policy').spec, podManagementPolicy: 'Sometimes' } } as unknown as StatefulSetObject;
    const message = await rejection(client.create(KruiseResources.StatefulSet, bad));
    expect(message).toContain('admission webhook "mstatefulset.kb.io" denied the request: cannot read the StatefulSet: spec.podManagementPolicy: ');
  });

  it('applies OpenKruise’s defaults on create (mutating webhook), the pod template included', async () => {
    const created = await client.create(KruiseResources.StatefulSet, manifest('defaults'));
    expect(created.spec).toEqual({
      ...manifest('defaults').spec,
      template: withPodTemplateDefaults(template('defaults')),
      replicas: 1,
      revisionHistoryLimit: 10,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1, podUpdatePolicy: 'ReCreate', minReadySeconds: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
  });

  it('refuses update-only violations: a serviceName change, and with InPlaceOnly a change that cannot be done in place', async () => {
    const inPlace = template('upd', { readinessGates: [{ conditionType: 'InPlaceUpdateReady' }] });
    await client.create(KruiseResources.StatefulSet, manifest('upd', { replicas: 0, updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceOnly' } }, template: inPlace }));
    const key = { name: 'upd', namespace: NS };
    expect(await rejection(client.patch(KruiseResources.StatefulSet, key, { type: 'merge', body: { spec: { serviceName: 'other' } } }))).toMatch(/denied the request: spec\.serviceName: Forbidden: updates to statefulset spec for fields other than/);
    const env = await rejection(client.patch(KruiseResources.StatefulSet, key, { type: 'json', operations: [{ op: 'add', path: '/spec/template/spec/containers/0/env', value: [{ name: 'A', value: '1' }] }] }));
    expect(env).toContain('spec.template.spec.containers[0].env: only container images may change with podUpdatePolicy InPlaceOnly');
    const updated = await client.patch(KruiseResources.StatefulSet, key, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
    expect(updated.spec.template.spec.containers[0]?.image).toBe('nginx:1.26');
  });

  it('applies a v1alpha1 Advanced StatefulSet and reads it back in both versions', async () => {
    const alpha = { ...manifest('alpha', { replicas: 2, podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '50%', partition: 1 } } }), apiVersion: 'apps.kruise.io/v1alpha1' };
    await client.create(KruiseResources.StatefulSetV1alpha1, alpha);
    const readAlpha = await client.get(KruiseResources.StatefulSetV1alpha1, { name: 'alpha', namespace: NS });
    const expected = {
      ...alpha.spec,
      template: withPodTemplateDefaults(template('alpha')),
      revisionHistoryLimit: 10,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '50%', partition: 1, podUpdatePolicy: 'ReCreate', minReadySeconds: 0 } },
    };
    expect(readAlpha.apiVersion).toBe('apps.kruise.io/v1alpha1');
    expect(readAlpha.spec).toEqual(expected);
    expect(readAlpha.metadata.annotations ?? {}).toEqual({});
    const readBeta = await client.get(KruiseResources.StatefulSet, { name: 'alpha', namespace: NS });
    expect(readBeta.apiVersion).toBe('apps.kruise.io/v1beta1');
    // As OpenKruise's webhook: a v1alpha1 write gets only the defaults v1alpha1 can hold.
    expect(readBeta.spec).toEqual(expected);
  });

  it('round-trips a v1beta1 Advanced StatefulSet through v1alpha1 without losing its v1beta1-only fields', async () => {
    const written = await client.create(KruiseResources.StatefulSet, manifest('trip', {
      replicas: 3,
      podManagementPolicy: 'Parallel',
      reserveOrdinals: [1, '4-5'],
      ordinals: { start: 2 },
      scaleStrategy: { maxUnavailable: 2 },
      lifecycle: { preDelete: { labelsHandler: { hold: 'true' } } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
    }));
    const alpha = await client.get(KruiseResources.StatefulSetV1alpha1, { name: 'trip', namespace: NS });
    expect(Object.keys(alpha.spec)).not.toContain('reserveOrdinals');
    expect(JSON.parse(alpha.metadata.annotations?.[STATEFULSET_V1BETA1_FIELDS_ANNOTATION] ?? '{}')).toEqual({
      spec: {
        reserveOrdinals: [1, '4-5'],
        lifecycle: { preDelete: { labelsHandler: { hold: 'true' } } },
        scaleStrategy: { maxUnavailable: 2 },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
        ordinals: { start: 2 },
      },
    });
    // Written back through v1alpha1 (a change of replicas), then read as v1beta1: only replicas moved.
    await client.replace(KruiseResources.StatefulSetV1alpha1, { ...alpha, spec: { ...alpha.spec, replicas: 4 } });
    const beta = await client.get(KruiseResources.StatefulSet, { name: 'trip', namespace: NS });
    expect(beta.spec).toEqual({ ...written.spec, replicas: 4 });
    expect(beta.metadata.annotations ?? {}).toEqual({});
  });

  it('scales through the scale subresource, as kubectl scale and the HPA do', async () => {
    await client.create(KruiseResources.StatefulSet, manifest('scaled', { replicas: 1 }));
    const scalePath = resourcePath(KruiseResources.StatefulSet, { namespace: NS, name: 'scaled', subresource: 'scale' });
    expect(((await client.request('GET', scalePath)) as Scale).spec?.replicas).toBe(1);
    await client.request('PATCH', scalePath, { body: { spec: { replicas: 5 } }, contentType: 'application/merge-patch+json' });
    expect((await client.get(KruiseResources.StatefulSet, { name: 'scaled', namespace: NS })).spec.replicas).toBe(5);
    expect((await client.get(KruiseResources.StatefulSetV1alpha1, { name: 'scaled', namespace: NS })).spec.replicas).toBe(5);
    // The status paths of the scale: .status.replicas and .status.labelSelector.
    await client.patch(KruiseResources.StatefulSet, { name: 'scaled', namespace: NS }, { type: 'merge', body: { status: { replicas: 2, labelSelector: 'app=scaled' } } }, { subresource: 'status' });
    expect(((await client.request('GET', scalePath)) as Scale).status).toEqual({ replicas: 2, selector: 'app=scaled' });
    const alphaScale = (await client.request('GET', resourcePath(KruiseResources.StatefulSetV1alpha1, { namespace: NS, name: 'scaled', subresource: 'scale' }))) as Scale;
    expect(alphaScale).toMatchObject({ spec: { replicas: 5 }, status: { replicas: 2, selector: 'app=scaled' } });
  });

  it('did all of it with the RBAC of deploy/: no forbidden request', () => {
    expect(manager.logs.filter((l) => /ForbiddenError| 403 /.test(JSON.stringify(l)))).toEqual([]);
  });
});
