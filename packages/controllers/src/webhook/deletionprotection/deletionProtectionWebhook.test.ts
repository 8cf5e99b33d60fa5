import { aCloneSet, aPod } from '@kruise-ts/core/testing';
import { Resources, createCachedReader, createMemoryCluster, createSharedInformerFactory, type MemoryCluster, type ResourceType } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionContext, AdmissionRequest } from '../admissionTypes.js';
import { countReads } from '../testing/countReads.testkit.js';
import { deletionProtectionWebhook } from './deletionProtectionWebhook.js';

const context: AdmissionContext = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
const P = 'forbidden by ResourcesProtectionDeletion for policy.kruise.io/delete-protection=';
const labelled = (value: string) => ({ 'policy.kruise.io/delete-protection': value });
let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const remove = (group: string, resource: string, oldObject: unknown, namespace?: string): AdmissionRequest => ({
  uid: 'u',
  kind: { group, version: 'v1', kind: 'X' },
  resource: { group, version: 'v1', resource },
  name: (oldObject as { metadata: { name: string } }).metadata.name,
  namespace,
  operation: 'DELETE',
  oldObject,
});

const WIDGETS = { group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true } as ResourceType;
const widgetCrd = (value: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com', labels: labelled(value) },
  spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1', served: true, storage: true }] },
});

async function webhook(gates: { ResourcesDeletionProtection?: boolean; DeletionProtectionForCRDCascadingGate?: boolean } = { ResourcesDeletionProtection: true }) {
  cluster = await createMemoryCluster({ nodes: 1 });
  cluster.registerResource(WIDGETS);
  await cluster.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
  return deletionProtectionWebhook({ client: cluster.client, featureGates: gates });
}

describe('vdeletionprotection.kb.io', () => {
  it('refuses an Always namespace with 403 and OpenKruise\'s message', async () => {
    const hook = await webhook();
    expect(await hook.handle(remove('', 'namespaces', { metadata: { name: 'apps', labels: labelled('Always') } }), context)).toEqual({ kind: 'deny', code: 403, reason: 'Forbidden', message: `${P}Always` });
  });

  it('refuses a Cascading namespace while a pod runs, allows it once empty', async () => {
    const hook = await webhook();
    const ns = { metadata: { name: 'apps', labels: labelled('Cascading') } };
    const pod = aPod({ name: 'p', namespace: 'apps' });
    await (cluster as MemoryCluster).client.create(Resources.Pod, { metadata: pod.metadata, spec: pod.spec });
    expect(await hook.handle(remove('', 'namespaces', ns), context)).toMatchObject({ kind: 'deny', message: `${P}Cascading and active pods 1>0` });
    await (cluster as MemoryCluster).client.delete(Resources.Pod, { namespace: 'apps', name: 'p' }, { gracePeriodSeconds: 0 });
    await (cluster as MemoryCluster).settle();
    expect(await hook.handle(remove('', 'namespaces', ns), context)).toEqual({ kind: 'allow' });
  });

  it('refuses a Cascading CloneSet with replicas 3 and allows it at 0', async () => {
    const hook = await webhook();
    const cs = aCloneSet({ name: 'web', namespace: 'apps', replicas: 3 });
    const withLabel = { ...cs, metadata: { ...cs.metadata, labels: labelled('Cascading') } };
    expect(await hook.handle(remove('apps.kruise.io', 'clonesets', withLabel, 'apps'), context)).toMatchObject({ kind: 'deny', message: `${P}Cascading and replicas 3>0` });
    expect(await hook.handle(remove('apps.kruise.io', 'clonesets', { ...withLabel, spec: { ...withLabel.spec, replicas: 0 } }, 'apps'), context)).toEqual({ kind: 'allow' });
  });

  it('refuses a Cascading CRD with custom resources (DeletionProtectionForCRDCascadingGate), and outright without the gate', async () => {
    const hook = await webhook({ ResourcesDeletionProtection: true, DeletionProtectionForCRDCascadingGate: true });
    expect(await hook.handle(remove('apiextensions.k8s.io', 'customresourcedefinitions', widgetCrd('Cascading')), context)).toEqual({ kind: 'allow' });
    await (cluster as MemoryCluster).client.create(WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'apps' } });
    expect(await hook.handle(remove('apiextensions.k8s.io', 'customresourcedefinitions', widgetCrd('Cascading')), context)).toMatchObject({ kind: 'deny', message: `${P}Cascading and active CRs 1>0` });
    const ungated = deletionProtectionWebhook({ client: (cluster as MemoryCluster).client, featureGates: { ResourcesDeletionProtection: true } });
    expect(await ungated.handle(remove('apiextensions.k8s.io', 'customresourcedefinitions', widgetCrd('Cascading')), context)).toMatchObject({ kind: 'deny', message: 'feature-gate DeletionProtectionForCRDCascadingGate is not enabled' });
  });

  it('Services and Ingresses: Always only', async () => {
    const hook = await webhook();
    expect(await hook.handle(remove('', 'services', { metadata: { name: 's', labels: labelled('Always') } }, 'apps'), context)).toMatchObject({ kind: 'deny', message: `${P}Always` });
    expect(await hook.handle(remove('networking.k8s.io', 'ingresses', { metadata: { name: 'i', labels: labelled('Cascading') } }, 'apps'), context)).toEqual({ kind: 'allow' });
  });

  it('allows everything while ResourcesDeletionProtection is off (OpenKruise\'s default)', async () => {
    const hook = await webhook({});
    expect(await hook.handle(remove('', 'namespaces', { metadata: { name: 'apps', labels: labelled('Always') } }), context)).toEqual({ kind: 'allow' });
  });

  it('through the informer cache: a Cascading namespace counts cached pods and PVCs (no request once synced); a CRD\'s custom resources are listed on the apiserver', async () => {
    await webhook();
    const c = cluster as MemoryCluster;
    const { client, reads } = countReads(c.client);
    const informers = createSharedInformerFactory(c.client);
    const reader = createCachedReader({ client, informers });
    const hook = deletionProtectionWebhook({ client, reader, featureGates: { ResourcesDeletionProtection: true, DeletionProtectionForCRDCascadingGate: true } });
    const ns = { metadata: { name: 'apps', labels: labelled('Cascading') } };
    expect(await hook.handle(remove('', 'namespaces', ns), context)).toEqual({ kind: 'allow' });
    await vi.waitFor(async () => {
      reads.length = 0;
      expect(await hook.handle(remove('', 'namespaces', ns), context)).toEqual({ kind: 'allow' });
      expect(reads).toEqual([]);
    });
    // A pod the cache has not seen yet: allowed until the watch delivers it, then refused (OpenKruise's cached list).
    const pod = aPod({ name: 'p', namespace: 'apps' });
    await c.client.create(Resources.Pod, { metadata: pod.metadata, spec: pod.spec });
    await vi.waitFor(async () => {
      expect(await hook.handle(remove('', 'namespaces', ns), context)).toMatchObject({ kind: 'deny', message: `${P}Cascading and active pods 1>0` });
    });
    expect(reads).toEqual([]);
    await c.client.create(WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'apps' } });
    expect(await hook.handle(remove('apiextensions.k8s.io', 'customresourcedefinitions', widgetCrd('Cascading')), context)).toMatchObject({ kind: 'deny', message: `${P}Cascading and active CRs 1>0` });
    expect(reads).toEqual(['list widgets *']);
    reader.stop();
    informers.stopAll();
  });
});
