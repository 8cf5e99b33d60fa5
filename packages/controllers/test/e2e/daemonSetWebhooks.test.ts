import { DAEMONSET_PROGRESSIVE_CREATE_POD_ANNOTATION, DAEMONSET_V1BETA1_FIELDS_ANNOTATION, type DaemonSet } from '@kruise-ts/core';
import { KruiseResources, Resources, kruiseCrdName, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { freePort, startTestCluster, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ManagerProcess } from './managerProcess.js';
import { applyDeployManifests, rejection, startWebhookManager } from './webhookHarness.js';
import { ALL_CRDS } from './allCrds.js';

type DaemonSetObject = DaemonSet & KubeObject;

const NS = 'ads';

const template = (name: string, extra: Record<string, unknown> = {}) => ({ metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image: 'nginx:1.25' }], ...extra } });

/** A v1beta1 Advanced DaemonSet `name` in namespace `ads`, with `spec` on top of a minimal valid one. */
function manifest(name: string, spec: Partial<DaemonSet['spec']> = {}): DaemonSetObject {
  return { apiVersion: 'apps.kruise.io/v1beta1', kind: 'DaemonSet', metadata: { name, namespace: NS }, spec: { selector: { matchLabels: { app: name } }, template: template(name), ...spec } };
}

const DEFAULT_STRATEGY = { type: 'RollingUpdate', rollingUpdate: { rollingUpdateType: 'Standard', maxUnavailable: 1, maxSurge: 0 } };

// The manager runs as its service account with exactly deploy/'s RBAC, its controllers limited to
// a namespace the tests do not use: what is checked here is admission, conversion and the CRD.
describe('Advanced DaemonSet API: CRD and webhooks of kruise-ts-manager, called by a real kube-apiserver', () => {
  let cluster: TestCluster;
  let client: KubeClient;
  let manager: ManagerProcess;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 1, crds: ALL_CRDS });
    client = cluster.client;
    await applyDeployManifests(client, 'manager/namespace.yaml');
    await applyDeployManifests(client, 'manager/rbac.yaml');
    const kubeconfig = await cluster.kubeconfigFor('system:serviceaccount:kruise-system:kruise-ts-manager', ['system:serviceaccounts', 'system:serviceaccounts:kruise-system']);
    manager = await startWebhookManager(kubeconfig, await freePort(), ['--namespace=controllers-elsewhere']);
    await vi.waitFor(async () => {
      const crd = await client.get(Resources.CustomResourceDefinition, { name: kruiseCrdName(KruiseResources.DaemonSet) });
      expect((crd.spec.conversion as { strategy?: string } | undefined)?.strategy).toBe('Webhook');
    }, { timeout: 30_000, interval: 200 });
    await client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });
  afterAll(async () => {
    await manager.kill('SIGKILL');
    await cluster.stop();
  });

  it('is served under the short names daemon and ads, in v1beta1 and v1alpha1, without a scale subresource', async () => {
    for (const version of ['v1beta1', 'v1alpha1']) {
      const discovery = (await client.request('GET', `/apis/apps.kruise.io/${version}`)) as { resources: { name: string; shortNames?: string[] }[] };
      expect(discovery.resources.find((r) => r.name === 'daemonsets')?.shortNames).toEqual(['daemon', 'ads']);
      expect(discovery.resources.map((r) => r.name)).toEqual(expect.arrayContaining(['daemonsets/status']));
      expect(discovery.resources.map((r) => r.name)).not.toContain('daemonsets/scale');
    }
  });

  it.each<[string, string, Partial<DaemonSet['spec']>, string]>([
    ['no-budget', 'maxUnavailable and maxSurge both 0', { updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }, 'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
    ['two-budgets', 'maxUnavailable and maxSurge both set', { updateStrategy: { rollingUpdate: { maxUnavailable: '10%', maxSurge: 1 } } }, 'spec.updateStrategy.rollingUpdate.maxSurge: may not be set when maxUnavailable is non-zero'],
    ['inplace-surge', 'a surge with InPlaceIfPossible', { updateStrategy: { rollingUpdate: { rollingUpdateType: 'InPlaceIfPossible', maxSurge: 1 } } }, 'spec.updateStrategy.rollingUpdate.maxSurge: Required value: must be 0 for InPlaceIfPossible type'],
    ['big-partition', 'a partition above 100%', { updateStrategy: { rollingUpdate: { partition: '150%' } } }, 'spec.updateStrategy.rollingUpdate.partition: must not be greater than 100%'],
    ['mismatch', 'a selector that does not match the template', { selector: { matchLabels: { app: 'other' } } }, 'spec.template.metadata.labels: `selector` does not match template `labels`'],
    ['inplace-hook', 'an inPlaceUpdate hook', { lifecycle: { inPlaceUpdate: { labelsHandler: { hold: 'true' } } } }, 'spec.lifecycle.inPlaceUpdate: Forbidden: inPlaceUpdate hook has not supported yet'],
    ['deadline', 'activeDeadlineSeconds in the pod template', { template: template('deadline', { activeDeadlineSeconds: 3 }) }, 'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported'],
  ])('refuses %s (%s), the validating webhook naming the field', async (name, _story, spec, field) => {
    const message = await rejection(client.create(KruiseResources.DaemonSet, manifest(name, spec)));
    expect(message).toContain('admission webhook "vdaemonset.kb.io" denied the request: ');
    expect(message).toContain(field);
  });

  it('refuses a v1beta1 Surging at the mutating webhook (it cannot read the object), naming the field', async () => {
    const bad = manifest('surging-beta', { updateStrategy: { rollingUpdate: { rollingUpdateType: 'Surging' as 'Standard' } } });
    const message = await rejection(client.create(KruiseResources.DaemonSet, bad));
    expect(message).toContain('admission webhook "mdaemonset.kb.io" denied the request: cannot read the DaemonSet: spec.updateStrategy.rollingUpdate.rollingUpdateType: ');
  });

  it('applies OpenKruise’s defaults on create (mutating webhook), the pod template left as written', async () => {
    const created = await client.create(KruiseResources.DaemonSet, manifest('defaults'));
    expect(created.spec).toEqual({ ...manifest('defaults').spec, burstReplicas: 250, revisionHistoryLimit: 10, updateStrategy: DEFAULT_STRATEGY });
    const surge = await client.create(KruiseResources.DaemonSet, manifest('surge', { updateStrategy: { rollingUpdate: { maxSurge: '25%' } } }));
    expect(surge.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { rollingUpdateType: 'Standard', maxSurge: '25%' } });
  });

  it('refuses a selector change on UPDATE, and lets the template, update strategy and scale strategy change', async () => {
    await client.create(KruiseResources.DaemonSet, manifest('upd'));
    const key = { name: 'upd', namespace: NS };
    const reselect = { spec: { selector: { matchLabels: { app: 'upd', tier: 'x' } }, template: { metadata: { labels: { app: 'upd', tier: 'x' } } } } };
    expect(await rejection(client.patch(KruiseResources.DaemonSet, key, { type: 'merge', body: reselect }))).toMatch(
      /vdaemonset\.kb\.io" denied the request: spec\.selector: Forbidden: updates to daemonset spec for fields other than 'BurstReplicas', 'template', 'lifecycle', 'scaleStrategy', 'updateStrategy'/,
    );
    const updated = await client.patch(KruiseResources.DaemonSet, key, {
      type: 'merge',
      body: { spec: { template: { spec: { containers: [{ name: 'agent', image: 'nginx:1.26' }] } }, updateStrategy: { rollingUpdate: { rollingUpdateType: 'InPlaceIfPossible', partition: '50%' } }, scaleStrategy: { partitionedScaling: true } } },
    });
    expect(updated.spec.template.spec.containers[0]?.image).toBe('nginx:1.26');
    expect(updated.spec.updateStrategy?.rollingUpdate).toEqual({ rollingUpdateType: 'InPlaceIfPossible', maxUnavailable: 1, maxSurge: 0, partition: '50%' });
    expect(updated.spec.scaleStrategy).toEqual({ partitionedScaling: true });
  });

  it('applies an OpenKruise v1alpha1 DaemonSet (progressive-create-pod, Surging) and reads it back in both versions', async () => {
    const alpha = {
      ...manifest('alpha', { updateStrategy: { rollingUpdate: { rollingUpdateType: 'Surging' as 'Standard', partition: 1 } }, minReadySeconds: 5 }),
      apiVersion: 'apps.kruise.io/v1alpha1',
      metadata: { name: 'alpha', namespace: NS, annotations: { [DAEMONSET_PROGRESSIVE_CREATE_POD_ANNOTATION]: 'true' } },
    };
    await client.create(KruiseResources.DaemonSetV1alpha1, alpha);
    // As OpenKruise's v1alpha1 defaulting: Surging becomes Standard that keeps surging.
    const strategy = { type: 'RollingUpdate', rollingUpdate: { rollingUpdateType: 'Standard', partition: 1, maxSurge: 1, maxUnavailable: 0 } };
    const readAlpha = await client.get(KruiseResources.DaemonSetV1alpha1, { name: 'alpha', namespace: NS });
    expect(readAlpha.apiVersion).toBe('apps.kruise.io/v1alpha1');
    expect(readAlpha.spec).toEqual({ ...alpha.spec, burstReplicas: 250, revisionHistoryLimit: 10, updateStrategy: strategy });
    expect(readAlpha.metadata.annotations).toEqual({ [DAEMONSET_PROGRESSIVE_CREATE_POD_ANNOTATION]: 'true' });
    const readBeta = await client.get(KruiseResources.DaemonSet, { name: 'alpha', namespace: NS });
    expect(readBeta.apiVersion).toBe('apps.kruise.io/v1beta1');
    expect(readBeta.spec).toEqual({ ...alpha.spec, burstReplicas: 250, revisionHistoryLimit: 10, updateStrategy: strategy, scaleStrategy: { partitionedScaling: true } });
    expect(readBeta.metadata.annotations ?? {}).toEqual({});
  });

  it('round-trips a v1beta1 DaemonSet through v1alpha1 without losing its scaleStrategy, updateRevision read as daemonSetHash', async () => {
    const written = await client.create(KruiseResources.DaemonSet, manifest('trip', { scaleStrategy: {}, burstReplicas: '10%', lifecycle: { preDelete: { finalizersHandler: ['example.com/drain'] } } }));
    await client.patch(KruiseResources.DaemonSet, { name: 'trip', namespace: NS }, { type: 'merge', body: { status: { desiredNumberScheduled: 1, updateRevision: 'trip-5d8' } } }, { subresource: 'status' });
    const alpha = await client.get(KruiseResources.DaemonSetV1alpha1, { name: 'trip', namespace: NS });
    expect(Object.keys(alpha.spec)).not.toContain('scaleStrategy');
    expect(alpha.metadata.annotations).toEqual({ [DAEMONSET_V1BETA1_FIELDS_ANNOTATION]: '{"spec":{"scaleStrategy":{}}}' });
    expect(alpha.status).toMatchObject({ desiredNumberScheduled: 1, daemonSetHash: 'trip-5d8' });
    // Written back through v1alpha1 (a change of minReadySeconds), then read as v1beta1: only minReadySeconds moved.
    await client.replace(KruiseResources.DaemonSetV1alpha1, { ...alpha, spec: { ...alpha.spec, minReadySeconds: 10 } });
    const beta = await client.get(KruiseResources.DaemonSet, { name: 'trip', namespace: NS });
    expect(beta.spec).toEqual({ ...written.spec, minReadySeconds: 10 });
    expect(beta.metadata.annotations ?? {}).toEqual({});
    expect(beta.status).toMatchObject({ desiredNumberScheduled: 1, updateRevision: 'trip-5d8' });
  });

  it('did all of it with the RBAC of deploy/: no forbidden request', () => {
    expect(manager.logs.filter((l) => /ForbiddenError| 403 /.test(JSON.stringify(l)))).toEqual([]);
  });
});
